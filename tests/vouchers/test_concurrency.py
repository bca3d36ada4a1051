"""No double spend: people and retries acting at the same moment on one quota, one claim, one
payment, one budget. Real threads, each with its own PostgreSQL connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from nengji.core.errors import DomainError
from nengji.vouchers import services as s
from nengji.vouchers.models import Claim, ClearingEntry, LedgerEntry, Order
from nengji.vouchers.reconcile import reconcile
from nengji.vouchers.selectors import quota_balance
from tests.vouchers import factories as f

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and real concurrent connections need PostgreSQL",
    ),
]
DAY = f.DAY


def race(*actions: Callable[[], Any]) -> list[Any]:
    """Run the actions at the same moment in threads; each result or the exception raised."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(i: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = action()
        except Exception as exc:  # checked by the caller
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def split(results: list[Any]) -> tuple[list[Any], list[DomainError]]:
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, DomainError) for e in errors), errors
    return [r for r in results if not isinstance(r, Exception)], errors  # type: ignore[misc]


@pytest.fixture
def w() -> f.Alliance:
    return f.Alliance()


def place(w: f.Alliance, voucher: int, key: str | None = None) -> Callable[[], Order]:
    return lambda: s.order_place(
        quota=w.quota,
        institution=w.inst_b,
        category="testing",
        contract_fen=voucher * 2,
        voucher_fen=voucher,
        starts_on=DAY,
        ends_on=DAY,
        by=w.ent_user,
        today=DAY,
        idempotency_key=key,
    )


def test_concurrent_orders_never_exceed_the_quota(w: f.Alliance) -> None:
    # eight orders of 300 000 分 against a quota of 1 000 000: at most three fit
    wins, errors = split(race(*[place(w, 300_000) for _ in range(8)]))
    assert len(wins) == 3 and len(errors) == 5
    assert all(e.detail[0].field == "voucher_fen" for e in errors)
    b = quota_balance(quota=w.quota)
    assert b.reserved == 900_000 and b.available == 100_000
    assert reconcile() == []


def test_double_click_places_one_order(w: f.Alliance) -> None:
    results = race(*[place(w, 100_000, key="click-0001") for _ in range(4)])
    wins, _errors = split(results)
    # the unique key makes a racing duplicate either return the first order or conflict
    assert len({o.pk for o in wins}) == 1
    assert Order.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="reserve").count() == 1


def test_claim_submitted_twice_at_once_is_one_claim(w: f.Alliance) -> None:
    o = f.confirmed_order(w.quota, w.ent_user, w.inst_b, w.inst_b_user)
    submit = lambda: s.claim_submit(  # noqa: E731
        order=o, mode="tongdui", amount_fen=100_000, invoice_no="INV-9", by=w.inst_b_user
    )
    wins, errors = split(race(submit, submit, submit))
    assert not errors and len({c.pk for c in wins}) == 1
    assert Claim.objects.count() == 1


def test_two_reviewers_decide_at_once(w: f.Alliance) -> None:
    a3 = f.user("region", w.a)
    o = f.confirmed_order(w.quota, w.ent_user, w.inst_b, w.inst_b_user)
    c = s.claim_submit(
        order=o, mode="tongdui", amount_fen=100_000, invoice_no="I", by=w.inst_b_user
    )
    c = s.claim_review(claim=c, approve=True, by=w.a1)
    wins, errors = split(
        race(
            lambda: s.claim_decide(claim=c, approve=True, by=w.a2),
            lambda: s.claim_decide(claim=c, approve=False, note="不符", by=a3),
        )
    )
    assert len(wins) == 1 and errors[0].code == "conflict"
    final = Claim.objects.get(pk=c.pk)
    releases = LedgerEntry.objects.filter(claim=c, kind="release").count()
    assert (final.state, releases) in (("approved", 0), ("rejected", 1))
    assert reconcile() == []


def test_payment_recorded_twice_at_once_is_paid_once(w: f.Alliance) -> None:
    o = f.confirmed_order(w.quota, w.ent_user, w.inst_b, w.inst_b_user)
    c = s.claim_submit(
        order=o, mode="tongdui", amount_fen=100_000, invoice_no="I", by=w.inst_b_user
    )
    c = s.claim_decide(claim=s.claim_review(claim=c, approve=True, by=w.a1), approve=True, by=w.a2)

    def pay(ref):
        return lambda: s.claim_pay(
            claim=c, amount_fen=100_000, paid_on=DAY, reference=ref, by=w.b1, today=DAY
        )

    _wins, errors = split(race(pay("P-1"), pay("P-1"), pay("P-2")))
    assert LedgerEntry.objects.filter(claim=c, kind="redeem").count() == 1
    assert ClearingEntry.objects.filter(claim=c).count() == 1
    assert Claim.objects.get(pk=c.pk).state == "paid"
    assert all(e.code == "conflict" for e in errors)
    assert reconcile() == []


def test_concurrent_grants_never_exceed_the_budget(w: f.Alliance) -> None:
    prog = f.programme(w.b, w.b1, budget_fen=2_500_000, cap=1_000_000)
    quotas = []
    for i in range(5):
        e, u = f.enterprise(w.b, f"企业{i}")
        q = s.quota_apply(
            programme=prog,
            enterprise=e,
            applicant_kind="sme",
            requested_fen=1_000_000,
            legal_rep="x",
            address="y",
            phone="z",
            by=u,
            today=DAY,
        )
        quotas.append(s.quota_review(quota=q, approve=True, by=w.b1))
    wins, errors = split(
        race(*[(lambda q=q: s.quota_decide(quota=q, approve=True, by=w.b2)) for q in quotas])
    )
    assert len(wins) == 2 and len(errors) == 3
    assert sum(q.granted_fen for q in wins) <= 2_500_000


def test_orders_and_cancellations_interleaved_keep_the_ledger_whole(w: f.Alliance) -> None:
    first = [place(w, 100_000)() for _ in range(3)]
    actions: list[Callable[[], Any]] = [place(w, 200_000) for _ in range(5)]
    actions += [(lambda o=o: s.order_cancel(order=o, by=w.ent_user)) for o in first]
    split(race(*actions))
    b = quota_balance(quota=w.quota)
    assert b.available >= 0 and b.reserved + b.available == 1_000_000
    assert reconcile() == []
