"""A region's voucher programme for a year, as data the region's office keeps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record
from nengji.core.models import Organisation
from nengji.core.roles import OrgKind
from nengji.vouchers.errors import VoucherError
from nengji.vouchers.models import ApplicantKind, Category, Partner, Programme
from nengji.vouchers.money import fen, ratio
from nengji.vouchers.permissions import require_region_staff
from nengji.vouchers.services.common import text


def _choices(raw: Sequence[str], allowed: type[Any], field: str) -> list[str]:
    values = [str(v) for v in raw]
    bad = [v for v in values if v not in allowed.values]
    if not values or bad:
        raise VoucherError.one(
            field, _("Choose from: %(choices)s.") % {"choices": ", ".join(allowed.values)}
        )
    return sorted(set(values))


@transaction.atomic
def programme_create(
    *,
    region: Organisation,
    year: int,
    name: str,
    budget_fen: Any,
    enterprise_cap_fen: Any,
    team_cap_fen: Any,
    coverage: Any,
    categories: Sequence[str],
    applicant_kinds: Sequence[str],
    valid_from: dt.date,
    valid_until: dt.date,
    partners: Mapping[Organisation, Any] | None = None,
    by: Any,
    is_demo: bool = False,
) -> Programme:
    """Create a region's programme. ``partners`` maps each partner region whose admitted
    institutions the vouchers may pay to the share of the voucher part it bears then."""
    require_region_staff(by, region.pk)
    if region.kind != OrgKind.REGION:
        raise VoucherError.one("region", _("A programme belongs to a region."))
    if not 2000 <= int(year) <= 2100:
        raise VoucherError.one("year", _("The year is out of range."))
    budget = fen(budget_fen, field="budget_fen")
    ent_cap = fen(enterprise_cap_fen, field="enterprise_cap_fen")
    team_cap = fen(team_cap_fen, field="team_cap_fen")
    if max(ent_cap, team_cap) > budget:
        raise VoucherError.one("enterprise_cap_fen", _("A cap cannot exceed the budget."))
    cover = ratio(coverage, field="coverage")
    if cover == 0:
        raise VoucherError.one("coverage", _("The coverage ratio must be above 0."))
    if valid_until < valid_from:
        raise VoucherError.one("valid_until", _("The programme must end after it starts."))
    shares: dict[Organisation, Decimal] = {}
    for partner, share in (partners or {}).items():
        if partner.kind != OrgKind.REGION or partner.pk == region.pk:
            raise VoucherError.one("partners", _("A partner is another region."))
        shares[partner] = ratio(share, field="partners")
    try:
        with transaction.atomic():
            programme = Programme.objects.create(
                region=region,
                year=int(year),
                name=text(name, field="name", max_length=200),
                budget_fen=budget,
                enterprise_cap_fen=ent_cap,
                team_cap_fen=team_cap,
                coverage=cover,
                categories=_choices(categories, Category, "categories"),
                applicant_kinds=_choices(applicant_kinds, ApplicantKind, "applicant_kinds"),
                valid_from=valid_from,
                valid_until=valid_until,
                is_demo=is_demo,
            )
    except IntegrityError:
        raise VoucherError.one(
            "year", _("This region already has a programme for that year."), code="conflict"
        ) from None
    Partner.objects.bulk_create(
        Partner(programme=programme, region=r, service_share=s) for r, s in shares.items()
    )
    audit_record(
        actor=by,
        action="create",
        obj=programme,
        organisation=region,
        after={
            "year": programme.year,
            "budget_fen": budget,
            "coverage": cover,
            "partners": {r.code: s for r, s in shares.items()},
        },
    )
    return programme
