"""Redemption claims: submitted once per confirmed order (通用 by the enterprise, 通兑 by the
institution), risk-checked, reviewed twice by the issuing region, paid by the paying region,
and, after payment, cleared between regions.

Who pays: in 通用 mode the issuing region reimburses its enterprise; in 通兑 mode the service
region pays its institution the voucher part. The voucher part is funded by the issuing region,
except the share its programme agreed the service region bears for a cross-region service.
What one paid for another's share is a clearing entry of the payment's period.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record
from nengji.vouchers.errors import VoucherError
from nengji.vouchers.models import (
    Claim,
    ClearingEntry,
    LedgerEntry,
    Mode,
    Order,
    Partner,
    Quota,
)
from nengji.vouchers.money import fen, share_of
from nengji.vouchers.permissions import (
    require_enterprise_member,
    require_institution_member,
    require_region_staff,
)
from nengji.vouchers.risk import claim_flags_compute
from nengji.vouchers.services.common import locked, take, text, today_or
from nengji.vouchers.services.ledger import release
from nengji.vouchers.services.periods import period_open_for


def paying_region_id(claim: Claim) -> int:
    return claim.issuing_region_id if claim.mode == Mode.TONGYONG else claim.service_region_id


def clearing_parts(claim: Claim, amount_fen: int) -> list[tuple[int, int, int]]:
    """(debtor, creditor, 分) for a payment of `amount_fen` on the claim: the region that did
    not pay owes the payer its funding part. Nothing for a claim within one region."""
    if not claim.cross_region:
        return []
    service_part = share_of(amount_fen, claim.service_share)
    issuer_part = amount_fen - service_part
    if paying_region_id(claim) == claim.issuing_region_id:
        debt = (claim.service_region_id, claim.issuing_region_id, service_part)
    else:
        debt = (claim.issuing_region_id, claim.service_region_id, issuer_part)
    return [debt] if debt[2] else []


@transaction.atomic
def claim_submit(
    *,
    order: Order,
    mode: str,
    amount_fen: Any,
    invoice_no: str,
    by: Any,
    is_demo: bool = False,
) -> Claim:
    """Submit the redemption claim of a confirmed order. Submitting it again with the same
    content (a double click, a retry) returns the first claim; with other content, a conflict."""
    if mode not in Mode.values:
        raise VoucherError.one("mode", _("The mode is 通用 (tongyong) or 通兑 (tongdui)."))
    o = (
        Order.objects.select_for_update()
        .select_related("quota__programme", "quota__enterprise", "institution")
        .get(pk=order.pk)
    )
    if mode == Mode.TONGYONG:
        require_enterprise_member(by, o.quota)
    else:
        require_institution_member(by, o.institution)
    amount = fen(amount_fen, field="amount_fen")
    invoice = text(invoice_no, field="invoice_no", max_length=40)
    existing = Claim.objects.filter(order=o).first()
    if existing is not None:
        if (existing.mode, existing.amount_fen, existing.invoice_no) == (mode, amount, invoice):
            return existing
        raise VoucherError.one("order", _("This order has a claim already."), code="conflict")
    if o.state != Order.State.CONFIRMED:
        raise VoucherError.one(
            "order", _("A claim needs an order whose delivery the enterprise has confirmed.")
        )
    if amount > o.voucher_fen:
        raise VoucherError.one(
            "amount_fen", _("A claim cannot exceed the voucher part reserved by the order.")
        )
    programme = o.quota.programme
    issuing, service = programme.region_id, o.institution.region_id
    share = Decimal(0)
    if issuing != service:
        partner = Partner.objects.filter(programme=programme, region_id=service).first()
        if partner is None:
            raise VoucherError.one(
                "order", _("The institution's region is no longer a partner of this programme.")
            )
        share = partner.service_share
    take(o, "claim")
    o.save(update_fields=["state"])
    claim = Claim.objects.create(
        order=o,
        mode=mode,
        amount_fen=amount,
        invoice_no=invoice,
        issuing_region_id=issuing,
        service_region_id=service,
        service_share=share,
        submitted_at=timezone.now(),
        is_demo=is_demo,
    )
    flags = claim_flags_compute(claim=claim)
    audit_record(
        actor=by,
        action="claim",
        obj=claim,
        organisation=programme.region,
        after={
            "mode": mode,
            "amount_fen": amount,
            "invoice_no": invoice,
            "flags": [f.rule for f in flags],
        },
    )
    return claim


def _reject(c: Claim, note: str, by: Any) -> Claim:
    before = take(c, "reject")
    c.decision_note = text(note, field="note", max_length=300)
    c.save(update_fields=["state", "decision_note"])
    order = c.order
    release(
        quota=Quota.objects.get(pk=order.quota_id),
        amount_fen=order.voucher_fen,
        order=order,
        claim=c,
    )
    audit_record(
        actor=by,
        action="reject",
        obj=c,
        organisation=c.issuing_region,
        before={"state": before},
        after={"state": c.state, "note": c.decision_note},
    )
    return c


@transaction.atomic
def claim_review(*, claim: Claim, approve: bool, note: str = "", by: Any) -> Claim:
    """The issuing region's first review."""
    require_region_staff(by, claim.issuing_region_id)
    c = locked(claim)
    if not approve:
        return _reject(c, note, by)
    before = take(c, "pass_first_review")
    c.first_reviewer = by
    c.decision_note = text(note, field="note", max_length=300, required=False)
    c.save(update_fields=["state", "first_reviewer", "decision_note"])
    audit_record(
        actor=by,
        action="review",
        obj=c,
        organisation=c.issuing_region,
        before={"state": before},
        after={"state": c.state},
    )
    return c


@transaction.atomic
def claim_decide(*, claim: Claim, approve: bool, note: str = "", by: Any) -> Claim:
    """The issuing region's approval, by another person than the first reviewer. Approved
    claims wait for payment in a list of their own (a crash between the two steps leaves a
    claim a person sees there and pays)."""
    require_region_staff(by, claim.issuing_region_id)
    c = locked(claim)
    if c.first_reviewer_id is not None and c.first_reviewer_id == getattr(by, "pk", None):
        raise VoucherError.one(
            "by", _("The decision must be taken by another person than the first review.")
        )
    if not approve:
        return _reject(c, note, by)
    before = take(c, "approve")
    c.approved_by = by
    c.decision_note = text(note, field="note", max_length=300, required=False)
    c.save(update_fields=["state", "approved_by", "decision_note"])
    audit_record(
        actor=by,
        action="approve",
        obj=c,
        organisation=c.issuing_region,
        before={"state": before},
        after={"state": c.state},
    )
    return c


@transaction.atomic
def claim_pay(
    *,
    claim: Claim,
    amount_fen: Any,
    paid_on: dt.date,
    reference: str,
    by: Any,
    today: dt.date | None = None,
) -> Claim:
    """Record the payment of an approved claim by the paying region. Recording the same
    payment again returns the claim unchanged; any other second payment is a conflict."""
    require_region_staff(by, paying_region_id(claim))
    amount = fen(amount_fen, field="amount_fen")
    ref = text(reference, field="reference", max_length=64)
    c = locked(claim)
    if c.state == Claim.State.PAID and (c.paid_fen, c.paid_on, c.payment_ref) == (
        amount,
        paid_on,
        ref,
    ):
        return c
    if paid_on > today_or(today):
        raise VoucherError.one("paid_on", _("A payment cannot be dated in the future."))
    if c.state == Claim.State.APPROVED and amount != c.amount_fen:
        raise VoucherError.one("amount_fen", _("The payment must be the approved amount."))
    period = period_open_for(paid_on, field="paid_on", is_demo=c.is_demo)
    before = take(c, "pay")
    c.paid_fen, c.paid_on, c.payment_ref = amount, paid_on, ref
    c.paid_by_id = paying_region_id(c)
    c.save(update_fields=["state", "paid_fen", "paid_on", "payment_ref", "paid_by"])
    order = Order.objects.get(pk=c.order_id)
    now = timezone.now()
    LedgerEntry.objects.create(
        quota_id=order.quota_id,
        kind=LedgerEntry.Kind.REDEEM,
        amount_fen=amount,
        order=order,
        claim=c,
        at=now,
        is_demo=c.is_demo,
    )
    release(
        quota=Quota.objects.get(pk=order.quota_id),
        amount_fen=order.voucher_fen - amount,
        order=order,
        claim=c,
    )
    ClearingEntry.objects.bulk_create(
        ClearingEntry(
            period=period,
            claim=c,
            debtor_id=d,
            creditor_id=cr,
            amount_fen=a,
            at=now,
            is_demo=c.is_demo,
        )
        for d, cr, a in clearing_parts(c, amount)
    )
    audit_record(
        actor=by,
        action="pay",
        obj=c,
        organisation=c.paid_by,
        before={"state": before},
        after={
            "state": c.state,
            "paid_fen": amount,
            "paid_on": paid_on,
            "reference": ref,
            "period": period.code,
        },
    )
    return c


@transaction.atomic
def claim_reverse(*, claim: Claim, reason: str, by: Any, today: dt.date | None = None) -> Claim:
    """Reverse a paid claim found fraudulent: the redeemed amount is voided on the ledger and
    the clearing entries are reversed in the current open period (a closed one never changes)."""
    require_region_staff(by, claim.issuing_region_id)
    c = locked(claim)
    why = text(reason, field="reason", max_length=300)
    period = period_open_for(today_or(today), field="period", is_demo=c.is_demo)
    before = take(c, "reverse")
    c.decision_note = why
    c.save(update_fields=["state", "decision_note"])
    order = Order.objects.get(pk=c.order_id)
    now = timezone.now()
    LedgerEntry.objects.create(
        quota_id=order.quota_id,
        kind=LedgerEntry.Kind.REVERSE,
        amount_fen=c.paid_fen or 0,
        order=order,
        claim=c,
        at=now,
        is_demo=c.is_demo,
    )
    ClearingEntry.objects.bulk_create(
        ClearingEntry(
            period=period,
            claim=c,
            debtor_id=d,
            creditor_id=cr,
            amount_fen=-a,
            is_correction=True,
            at=now,
            is_demo=c.is_demo,
        )
        for d, cr, a in clearing_parts(c, c.paid_fen or 0)
    )
    audit_record(
        actor=by,
        action="reverse",
        obj=c,
        organisation=c.issuing_region,
        before={"state": before},
        after={"state": c.state, "reason": why, "period": period.code},
    )
    return c
