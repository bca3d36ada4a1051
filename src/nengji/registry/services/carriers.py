"""Carriers (载体) keep their own details: the people of a park or incubator (role carrier,
their organisation the carrier's) change what they operate and know — English name,
operator, floor area, surveyed position — and nothing else. What the plan says about a
carrier (its kind, level, structure group, zone, functional area) is the plan package's and
changes with the package. The office may change the same details of any carrier."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record, snapshot
from nengji.core.roles import Role, role_of
from nengji.registry.errors import ErrorDetail, RegistryError
from nengji.registry.geo import point_inside
from nengji.registry.models import Carrier, PlanRegistryData
from nengji.registry.services.access import SYSTEM

#: what a carrier's people (and the office) may change
CARRIER_FIELDS = ("name_en", "operator", "area_m2", "lon", "lat", "coords_approximate")
MAX_AREA_M2 = Decimal("10000000")  # 10 km²: more than any park of the district
LON_RANGE = (Decimal("73"), Decimal("136"))  # China, GCJ-02 degrees
LAT_RANGE = (Decimal("3"), Decimal("54"))


def carrier_can_edit(user: Any, carrier: Carrier) -> bool:
    """The office, or a person of this carrier's organisation."""
    role = role_of(user)
    if role == Role.OFFICE or user is SYSTEM:
        return True
    return (
        role == Role.CARRIER
        and carrier.organisation_id is not None
        and getattr(user, "organisation_id", None) == carrier.organisation_id
    )


def _require_editor(user: Any, carrier: Carrier) -> None:
    """Another carrier's person (or anyone else) is told it does not exist: a forged code
    must learn nothing."""
    if not carrier_can_edit(user, carrier):
        raise RegistryError.one("carrier", _("No such carrier."), code="not_found")


def _decimal(
    value: Any, field: str, lo: Decimal, hi: Decimal, places: int
) -> tuple[Decimal | None, list[ErrorDetail]]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, []
    try:
        d = Decimal(str(value).strip())
    except InvalidOperation:
        return None, [ErrorDetail(field=field, message=_("A number."))]
    if not d.is_finite() or d < lo or d > hi:
        return None, [
            ErrorDetail(
                field=field,
                message=_("Between %(lo)s and %(hi)s.") % {"lo": lo, "hi": hi},
            )
        ]
    return d.quantize(Decimal(1).scaleb(-places)), []


def carrier_problems(
    values: Mapping[str, Any], *, carrier: Carrier
) -> tuple[dict[str, Any], list[ErrorDetail]]:
    """Clean values and every problem, each naming its field."""
    errors: list[ErrorDetail] = []
    clean: dict[str, Any] = {}
    for key in values:
        if key not in CARRIER_FIELDS:
            errors.append(
                ErrorDetail(field=str(key)[:40], message=_("Not a field you may change."))
            )
    for key, n in (("name_en", 300), ("operator", 200)):
        if key in values:
            text = "" if values[key] is None else str(values[key]).strip()
            if len(text) > n or "\x00" in text:
                errors.append(
                    ErrorDetail(field=key, message=_("At most %(n)d characters.") % {"n": n})
                )
            else:
                clean[key] = text
    if "area_m2" in values:
        area, e = _decimal(values["area_m2"], "area_m2", Decimal(0), MAX_AREA_M2, 2)
        errors += e
        clean["area_m2"] = area
    if "lon" in values or "lat" in values:
        lon, e1 = _decimal(values.get("lon", carrier.lon), "lon", *LON_RANGE, 6)
        lat, e2 = _decimal(values.get("lat", carrier.lat), "lat", *LAT_RANGE, 6)
        errors += e1 + e2
        if not e1 and not e2:
            if (lon is None) != (lat is None):
                errors.append(
                    ErrorDetail(
                        field="lat" if lat is None else "lon",
                        message=_("Give both coordinates or neither."),
                    )
                )
            elif lon is not None and lat is not None:
                data = PlanRegistryData.objects.filter(
                    plan__district_id=carrier.district_id
                ).first()
                if not point_inside(float(lon), float(lat), data.boundary if data else None):
                    errors.append(
                        ErrorDetail(
                            field="lon", message=_("This position is outside the district.")
                        )
                    )
            clean["lon"], clean["lat"] = lon, lat
    if "coords_approximate" in values:
        clean["coords_approximate"] = values["coords_approximate"] in (True, "on", "true", "1", 1)
    return clean, errors


@transaction.atomic
def carrier_update(*, carrier: Carrier, by: Any, values: Mapping[str, Any]) -> Carrier:
    """Change a carrier's own details (its people or the office); audited. Unchanged values
    change nothing (a repeated request is harmless)."""
    row = Carrier.objects.select_for_update().get(pk=carrier.pk)
    _require_editor(by, row)
    clean, errors = carrier_problems(values, carrier=row)
    if errors:
        raise RegistryError(errors)
    changed = [k for k, v in clean.items() if getattr(row, k) != v]
    if not changed:
        return row
    before = snapshot(row, CARRIER_FIELDS)
    for k in changed:
        setattr(row, k, clean[k])
    row.save(update_fields=changed)
    audit_record(
        actor=by, action="update", obj=row, before=before, after=snapshot(row, CARRIER_FIELDS)
    )
    return row
