"""Quotas: an enterprise applies against its region's programme; a first reviewer and then
another person of the region decide; a grant is a ledger entry, checked against the budget."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record
from nengji.registry.models import Enterprise
from nengji.vouchers.errors import VoucherError
from nengji.vouchers.models import LedgerEntry, Programme, Quota
from nengji.vouchers.money import fen, yuan
from nengji.vouchers.permissions import require_enterprise_member, require_region_staff
from nengji.vouchers.selectors import programme_granted_fen, quota_balance
from nengji.vouchers.services.common import locked, take, text, today_or


def _valid_on(programme: Programme, day: dt.date) -> None:
    if not programme.valid_from <= day <= programme.valid_until:
        raise VoucherError.one(
            "programme",
            _("The programme “%(p)s” is valid from %(a)s to %(b)s.")
            % {"p": programme.name, "a": programme.valid_from, "b": programme.valid_until},
        )


@transaction.atomic
def quota_apply(
    *,
    programme: Programme,
    enterprise: Enterprise,
    applicant_kind: str,
    requested_fen: Any,
    legal_rep: str,
    address: str,
    phone: str,
    purpose: str = "",
    by: Any,
    today: dt.date | None = None,
    is_demo: bool = False,
) -> Quota:
    """Apply for a quota: eligible applicant, within the cap, in the enterprise's own region,
    while the programme is valid; one application per enterprise and programme."""
    day = today_or(today)
    quota_probe = Quota(programme=programme, enterprise=enterprise)
    if getattr(by, "is_authenticated", False) and not getattr(by, "is_superuser", False):
        require_enterprise_member(by, quota_probe)
    _valid_on(programme, day)
    if enterprise.district_id != programme.region_id:
        raise VoucherError.one(
            "programme",
            _("An enterprise applies to the programme of the region it is registered in."),
        )
    if applicant_kind not in programme.applicant_kinds:
        raise VoucherError.one("applicant_kind", _("This programme is not open to this applicant."))
    amount = fen(requested_fen, field="requested_fen")
    cap = programme.cap_for(applicant_kind)
    if amount > cap:
        raise VoucherError.one(
            "requested_fen", _("Above the cap of %(cap)s 元 a year.") % {"cap": yuan(cap)}
        )
    if Quota.objects.filter(programme=programme, enterprise=enterprise).exists():
        raise VoucherError.one(
            "programme",
            _("This enterprise has applied to this programme already."),
            code="conflict",
        )
    quota = Quota.objects.create(
        programme=programme,
        enterprise=enterprise,
        applicant_kind=applicant_kind,
        requested_fen=amount,
        legal_rep=text(legal_rep, field="legal_rep", max_length=50),
        address=text(address, field="address", max_length=200),
        phone=text(phone, field="phone", max_length=30),
        purpose=text(purpose, field="purpose", max_length=2000, required=False),
        applied_at=timezone.now(),
        is_demo=is_demo,
    )
    audit_record(
        actor=by,
        action="apply",
        obj=quota,
        organisation=programme.region,
        after={"requested_fen": amount, "kind": applicant_kind},
    )
    return quota


@transaction.atomic
def quota_review(*, quota: Quota, approve: bool, note: str = "", by: Any) -> Quota:
    """The first review (初审): pass on to the decision, or reject."""
    require_region_staff(by, quota.programme.region_id)
    q = locked(quota)
    before = take(q, "pass_first_review" if approve else "reject")
    q.first_reviewer = by
    q.decision_note = text(note, field="note", max_length=300, required=not approve)
    q.save(update_fields=["state", "first_reviewer", "decision_note"])
    audit_record(
        actor=by,
        action="review" if approve else "reject",
        obj=q,
        organisation=q.programme.region,
        before={"state": before},
        after={"state": q.state},
    )
    return q


@transaction.atomic
def quota_decide(
    *, quota: Quota, approve: bool, granted_fen: Any = None, note: str = "", by: Any
) -> Quota:
    """The region's decision (复审) by a person other than the first reviewer. A grant is
    checked against the programme's remaining budget under a lock on the programme row, so two
    decisions at once never grant more than the budget."""
    require_region_staff(by, quota.programme.region_id)
    programme = Programme.objects.select_for_update().get(pk=quota.programme_id)
    q = locked(quota)
    if q.first_reviewer_id is not None and q.first_reviewer_id == getattr(by, "pk", None):
        raise VoucherError.one(
            "by", _("The decision must be taken by another person than the first review.")
        )
    if not approve:
        before = take(q, "reject")
        q.decided_by = by
        q.decision_note = text(note, field="note", max_length=300)
        q.save(update_fields=["state", "decided_by", "decision_note"])
        audit_record(
            actor=by,
            action="reject",
            obj=q,
            organisation=programme.region,
            before={"state": before},
            after={"state": q.state},
        )
        return q
    amount = q.requested_fen if granted_fen is None else fen(granted_fen, field="granted_fen")
    if amount > q.requested_fen:
        raise VoucherError.one("granted_fen", _("A grant cannot exceed the amount requested."))
    remaining = programme.budget_fen - programme_granted_fen(programme=programme)
    if amount > remaining:
        raise VoucherError.one(
            "granted_fen",
            _("Only %(left)s 元 of the programme's budget remain.") % {"left": yuan(remaining)},
        )
    before = take(q, "grant")
    q.granted_fen = amount
    q.decided_by = by
    q.decision_note = text(note, field="note", max_length=300, required=False)
    q.save(update_fields=["state", "granted_fen", "decided_by", "decision_note"])
    LedgerEntry.objects.create(
        quota=q,
        kind=LedgerEntry.Kind.GRANT,
        amount_fen=amount,
        at=timezone.now(),
        is_demo=q.is_demo,
    )
    audit_record(
        actor=by,
        action="grant",
        obj=q,
        organisation=programme.region,
        before={"state": before},
        after={"state": q.state, "granted_fen": amount},
    )
    return q


@transaction.atomic
def quota_void(*, quota: Quota, reason: str, by: Any) -> Quota:
    """Void what is left of a quota (a sanction, or the enterprise gives it up): its available
    balance goes to voided; open orders keep their reservations until they end."""
    require_region_staff(by, quota.programme.region_id)
    q = locked(quota)
    before = take(q, "void")
    q.decision_note = text(reason, field="reason", max_length=300)
    q.save(update_fields=["state", "decision_note"])
    left = quota_balance(quota=q).available
    if left > 0:
        LedgerEntry.objects.create(
            quota=q,
            kind=LedgerEntry.Kind.VOID,
            amount_fen=left,
            at=timezone.now(),
            is_demo=q.is_demo,
        )
    audit_record(
        actor=by,
        action="void",
        obj=q,
        organisation=q.programme.region,
        before={"state": before},
        after={"state": q.state, "voided_fen": left},
    )
    return q
