"""Ledger writes shared by orders, claims and sanctions."""

from __future__ import annotations

from django.utils import timezone

from nengji.vouchers.models import Claim, LedgerEntry, Order, Quota


def release(*, quota: Quota, amount_fen: int, order: Order, claim: Claim | None = None) -> None:
    """Give a reservation back to the quota; on a voided quota it is voided at once, so a
    voided quota never has a balance to spend."""
    if amount_fen <= 0:
        return
    now = timezone.now()
    LedgerEntry.objects.create(
        quota=quota,
        kind=LedgerEntry.Kind.RELEASE,
        amount_fen=amount_fen,
        order=order,
        claim=claim,
        at=now,
        is_demo=order.is_demo,
    )
    if quota.state == Quota.State.VOIDED:
        LedgerEntry.objects.create(
            quota=quota,
            kind=LedgerEntry.Kind.VOID,
            amount_fen=amount_fen,
            order=order,
            claim=claim,
            at=now,
            is_demo=order.is_demo,
        )
