"""A randomised run of thousands of voucher operations (Hypothesis): whatever the order of
orders, cancellations, claims, reviews, payments, reversals and period closings, no quota is
overspent, the ledger reconciles with the clearing, and every period's net positions sum to 0."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nengji.core.errors import DomainError
from nengji.vouchers import services as s
from nengji.vouchers.clearing import clearing_report
from nengji.vouchers.models import Claim, ClearingPeriod, LedgerEntry, Order
from nengji.vouchers.reconcile import reconcile
from nengji.vouchers.selectors import quota_balance
from nengji.vouchers.services.claims import paying_region_id
from tests.vouchers import factories as f

pytestmark = pytest.mark.django_db

OPS = st.sampled_from(
    ["place", "advance", "claim", "review", "decide", "pay", "cancel", "reverse", "tick", "close"]
)
STEP = st.tuples(OPS, st.integers(0, 50), st.integers(1, 400_000), st.booleans())


class RollbackError(Exception):
    pass


def run(w: f.Alliance, steps: list[tuple[str, int, int, bool]]) -> None:
    today = dt.date(2025, 1, 10)
    insts = [(w.inst_a, w.inst_a_user), (w.inst_b, w.inst_b_user)]
    orders: list[Order] = []
    for op, i, amount, flag in steps:
        order = orders[i % len(orders)] if orders else None
        try:
            if op == "place":
                inst, _ = insts[amount % 2]
                orders.append(
                    s.order_place(
                        quota=w.quota,
                        institution=inst,
                        category="testing",
                        contract_fen=amount * 2,
                        voucher_fen=amount,
                        starts_on=today,
                        ends_on=today,
                        by=w.ent_user,
                        today=today,
                    )
                )
            elif order is None:
                continue
            elif op == "advance":
                o = Order.objects.get(pk=order.pk)
                iu = w.inst_a_user if o.institution_id == w.inst_a.pk else w.inst_b_user
                if o.state == "placed":
                    s.order_accept(order=o, by=iu)
                elif o.state == "accepted":
                    s.order_deliver(order=o, evidence="报告", by=iu)
                elif o.state == "delivered":
                    s.order_confirm(order=o, by=w.ent_user)
            elif op == "claim":
                o = Order.objects.get(pk=order.pk)
                iu = w.inst_a_user if o.institution_id == w.inst_a.pk else w.inst_b_user
                mode = "tongdui" if flag else "tongyong"
                s.claim_submit(
                    order=o,
                    mode=mode,
                    amount_fen=max(1, o.voucher_fen * amount // 400_000),
                    invoice_no=f"I{o.pk}",
                    by=iu if flag else w.ent_user,
                )
            elif op in ("review", "decide", "pay", "reverse"):
                c = Claim.objects.filter(order=order).first()
                if c is None:
                    continue
                if op == "review":
                    s.claim_review(claim=c, approve=flag, note="x", by=w.a1)
                elif op == "decide":
                    s.claim_decide(claim=c, approve=flag, note="x", by=w.a2)
                elif op == "pay":
                    payer = w.b1 if paying_region_id(c) == w.b.pk else w.a1
                    s.claim_pay(
                        claim=c,
                        amount_fen=c.amount_fen,
                        paid_on=today,
                        reference=f"P{c.pk}",
                        by=payer,
                        today=today,
                    )
                else:
                    s.claim_reverse(claim=c, reason="核查", by=w.a1, today=today)
            elif op == "cancel":
                s.order_cancel(order=order, by=w.ent_user)
            elif op == "tick":
                today = min(today + dt.timedelta(days=amount % 40), dt.date(2025, 12, 31))
            elif op == "close":
                for p in ClearingPeriod.objects.filter(state="open", ends_on__lt=today):
                    s.period_close(period=p, by=w.office, today=today)
        except DomainError:
            pass  # a refusal is a legitimate outcome; it must change nothing
        b = quota_balance(quota=w.quota)
        assert b.available >= 0 and b.reserved >= 0 and b.redeemed >= 0


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=40, max_size=120))
def test_random_operations_reconcile(db: Any, steps: list[tuple[str, int, int, bool]]) -> None:
    try:
        with transaction.atomic():
            w = f.Alliance()
            run(w, steps)
            assert reconcile() == []
            for p in ClearingPeriod.objects.all():
                assert clearing_report(period=p).balanced
            redeemed = sum(
                e.amount_fen if e.kind == "redeem" else -e.amount_fen
                for e in LedgerEntry.objects.filter(kind__in=("redeem", "reverse"))
            )
            assert redeemed == quota_balance(quota=w.quota).redeemed
            raise RollbackError
    except RollbackError:
        pass
