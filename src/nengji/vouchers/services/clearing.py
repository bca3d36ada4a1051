"""Closing a clearing period and confirming its statements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record
from nengji.core.roles import require_office
from nengji.vouchers.clearing import clearing_report
from nengji.vouchers.errors import VoucherError
from nengji.vouchers.models import ClearingPeriod, Statement
from nengji.vouchers.permissions import require_region_staff
from nengji.vouchers.services.common import locked, take, today_or


@transaction.atomic
def period_close(
    *, period: ClearingPeriod, by: Any, today: dt.date | None = None
) -> ClearingPeriod:
    """Close a period after its last day (by the alliance's clearing office, the plan office of
    the chairing district) and issue each region's statement. Refused if the net positions do not
    sum to zero (they always do; this is the check on every run)."""
    require_office(by)
    p = locked(period)
    if today_or(today) <= p.ends_on:
        raise VoucherError.one("period", _("A period closes after its last day."))
    report = clearing_report(period=p)
    if not report.balanced:  # pragma: no cover - the entries make this impossible
        raise VoucherError.one("period", _("The net positions do not sum to zero."))
    before = take(p, "close")
    p.closed_at = timezone.now()
    p.save(update_fields=["state", "closed_at"])
    Statement.objects.bulk_create(
        Statement(
            period=p,
            region_id=r,
            owed_fen=report.owed.get(r, 0),
            due_fen=report.due.get(r, 0),
            net_fen=report.net(r),
            is_demo=p.is_demo,
        )
        for r in report.regions
    )
    audit_record(
        actor=by,
        action="close",
        obj=p,
        before={"state": before},
        after={
            "state": p.state,
            "positions": {report.regions[r].code: report.net(r) for r in report.regions},
        },
    )
    return p


@transaction.atomic
def statement_confirm(*, statement: Statement, by: Any) -> Statement:
    """A region confirms its statement of a closed period."""
    require_region_staff(by, statement.region_id)
    s = locked(statement)
    before = take(s, "confirm")
    s.confirmed_by, s.confirmed_at = by, timezone.now()
    s.save(update_fields=["state", "confirmed_by", "confirmed_at"])
    audit_record(
        actor=by,
        action="confirm",
        obj=s,
        organisation=s.region,
        before={"state": before},
        after={"state": s.state, "net_fen": s.net_fen},
    )
    return s
