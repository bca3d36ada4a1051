"""Enterprises: create, update, and the district's list of streets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record, snapshot
from nengji.core.events import emit
from nengji.core.models import Organisation
from nengji.core.roles import OrgKind
from nengji.registry.errors import ErrorDetail, RegistryError
from nengji.registry.events import EnterpriseChanged
from nengji.registry.industry import industry_normalise, industry_problem
from nengji.registry.models import Carrier, Enterprise, Street
from nengji.registry.services.access import require_editor, require_office
from nengji.registry.uscc import uscc_normalise, uscc_problem

#: profile fields `enterprise_update` may change (the code never changes: it is the key)
PROFILE_FIELDS = (
    "name_zh",
    "name_en",
    "former_names",
    "founded_on",
    "registered_address",
    "operating_address",
    "street",
    "industry",
    "carrier",
)
AUDIT_FIELDS = ("uscc", "district", "organisation", *PROFILE_FIELDS)
MAX_FORMER_NAMES = 20
EARLIEST_FOUNDING = dt.date(1949, 10, 1)


def _text(
    value: Any, *, field: str, max_length: int, required: bool = False
) -> tuple[str, list[ErrorDetail]]:
    text = "" if value is None else str(value).strip()
    if "\x00" in text:
        return "", [ErrorDetail(field=field, message=_("Contains a NUL character."))]
    if required and not text:
        return "", [ErrorDetail(field=field, message=_("Required."))]
    if len(text) > max_length:
        return "", [
            ErrorDetail(field=field, message=_("At most %(n)d characters.") % {"n": max_length})
        ]
    return text, []


def enterprise_problems(
    values: Mapping[str, Any],
    *,
    district: Organisation,
    today: dt.date | None = None,
    streets: set[str] | None = None,
    carriers: dict[str, Carrier] | None = None,
) -> tuple[dict[str, Any], list[ErrorDetail]]:
    """Clean the profile `values` (only the keys given): (clean values, every problem).

    Shared by the services and the importer, so a file's row is judged exactly like a form
    (the importer passes the district's street codes and carriers, read once)."""
    clean: dict[str, Any] = {}
    errors: list[ErrorDetail] = []
    today = today or timezone.localdate()
    if "uscc" in values:
        code = uscc_normalise(str(values["uscc"] or ""))
        problem = uscc_problem(code)
        if problem:
            errors.append(
                ErrorDetail(
                    field="uscc",
                    message=_("Not a valid unified social credit code: %(p)s") % {"p": problem},
                )
            )
        clean["uscc"] = code
    for name, length, required in (
        ("name_zh", 200, True),
        ("name_en", 300, False),
        ("registered_address", 300, False),
        ("operating_address", 300, False),
    ):
        if name in values:
            clean[name], errs = _text(
                values[name], field=name, max_length=length, required=required
            )
            errors += errs
    if "former_names" in values:
        raw = values["former_names"] or []
        if isinstance(raw, str):
            raw = [n for n in raw.replace("；", ";").split(";")]
        if not isinstance(raw, list | tuple) or len(raw) > MAX_FORMER_NAMES:
            errors.append(
                ErrorDetail(
                    field="former_names",
                    message=_("A list of at most %(n)d names.") % {"n": MAX_FORMER_NAMES},
                )
            )
        else:
            names: list[str] = []
            for n in raw:
                text, errs = _text(n, field="former_names", max_length=200)
                errors += errs
                if text and text not in names:
                    names.append(text)
            clean["former_names"] = names
    if "founded_on" in values:
        founded = values["founded_on"]
        if founded in (None, ""):
            clean["founded_on"] = None
        else:
            if isinstance(founded, str):
                try:
                    founded = dt.date.fromisoformat(founded.strip()[:10])
                except ValueError:
                    founded = None
            if isinstance(founded, dt.datetime):
                founded = founded.date()
            if not isinstance(founded, dt.date):
                errors.append(ErrorDetail(field="founded_on", message=_("A date (YYYY-MM-DD).")))
            elif not EARLIEST_FOUNDING <= founded <= today:
                errors.append(
                    ErrorDetail(
                        field="founded_on",
                        message=_("Must be between 1949-10-01 and today."),
                    )
                )
            else:
                clean["founded_on"] = founded
    if "street" in values:
        code = str(values["street"] or "").strip()
        known = (
            code in streets
            if streets is not None
            else Street.objects.filter(district=district, code=code).exists()
        )
        if code and not known:
            errors.append(
                ErrorDetail(
                    field="street",
                    message=_("“%(code)s” is not a street of this district.") % {"code": code[:40]},
                )
            )
        clean["street"] = code
    if "carrier" in values:
        raw = values["carrier"]
        if raw in (None, ""):
            clean["carrier"] = None
        else:
            code = raw.code if isinstance(raw, Carrier) else str(raw).strip()
            carrier = (
                carriers.get(code)
                if carriers is not None
                else Carrier.objects.filter(district=district, code=code).first()
            )
            if carrier is None:
                errors.append(
                    ErrorDetail(
                        field="carrier",
                        message=_("“%(code)s” is not a carrier of this district.")
                        % {"code": code[:64]},
                    )
                )
            clean["carrier"] = carrier
    if "industry" in values:
        code = industry_normalise(str(values["industry"] or ""))
        problem = industry_problem(code) if code else None
        if problem:
            errors.append(ErrorDetail(field="industry", message=problem))
        clean["industry"] = code
    return clean, errors


def _district_check(district: Organisation) -> None:
    if district.kind != OrgKind.REGION:
        raise RegistryError.one(
            "district", _("Choose a district (an organisation of kind region).")
        )


@transaction.atomic
def enterprise_create(
    *,
    district: Organisation,
    uscc: str,
    name_zh: str,
    by: Any,
    organisation: Organisation | None = None,
    is_demo: bool = False,
    **profile: Any,
) -> Enterprise:
    """Register an enterprise. Its code must be valid and new (a second registration of the same
    code is a conflict: one enterprise, one record)."""
    require_office(by)
    _district_check(district)
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise RegistryError.one(sorted(unknown)[0], _("Not a profile field."))
    clean, errors = enterprise_problems(
        {"uscc": uscc, "name_zh": name_zh, **profile}, district=district
    )
    if errors:
        raise RegistryError(errors)
    if Enterprise.objects.filter(uscc=clean["uscc"]).exists():
        raise RegistryError.one(
            "uscc", _("An enterprise with this code is already registered."), code="conflict"
        )
    if organisation is not None and organisation.kind != OrgKind.ENTERPRISE:
        raise RegistryError.one("organisation", _("Choose an organisation of kind enterprise."))
    enterprise = Enterprise.objects.create(
        district=district, organisation=organisation, is_demo=is_demo, **clean
    )
    audit_record(
        actor=by, action="create", obj=enterprise, after=snapshot(enterprise, AUDIT_FIELDS)
    )
    emit(EnterpriseChanged(actor_id=_actor_id(by), enterprise_id=enterprise.pk, created=True))
    return enterprise


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, by: Any, **changes: Any) -> Enterprise:
    """Change profile fields (the office, or the enterprise's own people). A new Chinese name
    keeps the old one among the former names. Unchanged values change nothing."""
    row = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    require_editor(by, row)
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise RegistryError.one(sorted(unknown)[0], _("Not a profile field."))
    clean, errors = enterprise_problems(changes, district=row.district)
    if errors:
        raise RegistryError(errors)
    before = snapshot(row, AUDIT_FIELDS)
    if "name_zh" in clean and clean["name_zh"] != row.name_zh:
        former = list(clean.get("former_names", row.former_names) or [])
        if row.name_zh not in former:
            former.append(row.name_zh)
        clean["former_names"] = [n for n in former if n != clean["name_zh"]][-MAX_FORMER_NAMES:]
    changed = [k for k, v in clean.items() if getattr(row, k) != v]
    if not changed:
        return row
    for k in changed:
        setattr(row, k, clean[k])
    row.save(update_fields=changed)
    audit_record(
        actor=by, action="update", obj=row, before=before, after=snapshot(row, AUDIT_FIELDS)
    )
    emit(EnterpriseChanged(actor_id=_actor_id(by), enterprise_id=row.pk, created=False))
    return row


@transaction.atomic
def street_upsert(
    *, district: Organisation, code: str, name_zh: str, name_en: str = "", by: Any = None
) -> Street:
    """Add or rename a street of a district (the plan package's list is loaded through here)."""
    _district_check(district)
    code_t, e1 = _text(code, field="code", max_length=16, required=True)
    name_t, e2 = _text(name_zh, field="name_zh", max_length=100, required=True)
    name_e, e3 = _text(name_en, field="name_en", max_length=200)
    if e1 or e2 or e3:
        raise RegistryError(e1 + e2 + e3)
    street, created = Street.objects.get_or_create(
        district=district, code=code_t, defaults={"name_zh": name_t, "name_en": name_e}
    )
    if not created and (street.name_zh, street.name_en) != (name_t, name_e):
        before = snapshot(street, ("name_zh", "name_en"))
        street.name_zh, street.name_en = name_t, name_e
        street.save(update_fields=["name_zh", "name_en"])
        audit_record(
            actor=by,
            action="update",
            obj=street,
            before=before,
            after=snapshot(street, ("name_zh", "name_en")),
        )
    elif created:
        audit_record(
            actor=by, action="create", obj=street, after=snapshot(street, ("code", "name_zh"))
        )
    return street


def _actor_id(by: Any) -> int | None:
    return by.pk if getattr(by, "is_authenticated", False) else None
