"""Two people at once: the same award is paid once; two approvals cannot both pass a cap only
one fits. Real threads, each with its own PostgreSQL connection."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from nengji.core.errors import DomainError
from nengji.policy import services
from nengji.policy.models import Claim, LedgerEntry, Payment, PolicyItem
from tests.django_fixtures import YANGPU
from tests.policy.conftest import bank, enterprise

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and real concurrent connections need PostgreSQL",
    ),
]


def race(*actions: Callable[[], Any]) -> list[Any]:
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(i: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = action()
        except Exception as exc:  # DomainError expected; anything else fails the assertion
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def wins(results: list[Any]) -> int:
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, DomainError) for e in errors), errors
    return len(results) - len(errors)


@pytest.fixture
def yangpu():  # type: ignore[no-untyped-def]
    from nengji.plan.selectors import plan_get
    from tests.django_fixtures import load_yangpu

    load_yangpu()
    return plan_get(code=YANGPU)


def test_an_award_is_paid_once(yangpu) -> None:  # type: ignore[no-untyped-def]
    from nengji.accounts.models import User

    office = User.objects.create_user(username="c_office", password="pw", role="office")
    office2 = User.objects.create_user(username="c_office2", password="pw", role="office")
    item = PolicyItem.objects.get(plan=yangpu, code="YP-RD-SUBSIDY")
    e, user = enterprise(yangpu)
    today = dt.date(2026, 10, 15)
    app = services.application_create(item=item, enterprise=e, period="2026", by=user, today=today)
    app = services.application_submit(application=app, by=user, today=today)
    app = services.application_decide(application=app, action="approve", awarded="5000", by=office)
    results = race(
        lambda: services.payment_record(application=app, paid_on=today, reference="A", by=office),
        lambda: services.payment_record(application=app, paid_on=today, reference="B", by=office2),
    )
    assert wins(results) == 1
    assert Payment.objects.filter(enterprise=e, item=item, period="2026").count() == 1


def test_two_approvals_cannot_both_pass_the_bank_cap(yangpu) -> None:  # type: ignore[no-untyped-def]
    from nengji.accounts.models import User

    office = User.objects.create_user(username="c_office3", password="pw", role="office")
    office2 = User.objects.create_user(username="c_office4", password="pw", role="office")
    pool = services.pool_create(
        plan=yangpu,
        code="C-POOL",
        name_zh="并发池",
        ratio="0.5",
        cap_per_enterprise="1000000",
        cap_per_bank="600000",
        max_loan="3000000",
        max_term_months=36,
        by=office,
    )
    services.pool_contribute(pool=pool, amount="5000000", reference="r", by=office)
    org, bank_user = bank()
    services.pool_bank_admit(pool=pool, bank=org, products=["P"], by=office)
    claims = []
    for n in range(2):
        e, _ = enterprise(yangpu, with_user=False)
        ln = services.loan_register(
            pool=pool,
            bank=org,
            product="P",
            enterprise=e,
            contract_no=f"C{n}",
            amount="1000000",
            term_months=12,
            rate="3",
            guarantee="credit",
            start_on=dt.date(2026, 1, 1),
            by=bank_user,
        )
        claims.append(services.claim_submit(loan=ln, loss="1000000", by=bank_user))  # 500,000 each
    results = race(
        lambda: services.claim_decide(claim=claims[0], action="approve", by=office),
        lambda: services.claim_decide(claim=claims[1], action="approve", by=office2),
    )
    assert wins(results) == 1
    assert Claim.objects.filter(loan__pool=pool, status="approved").count() == 1
    approved = Claim.objects.get(loan__pool=pool, status="approved")
    results = race(
        lambda: services.claim_pay(claim=approved, by=office),
        lambda: services.claim_pay(claim=approved, by=office2),
    )
    assert wins(results) == 1
    assert LedgerEntry.objects.filter(pool=pool, kind="compensation").count() == 1
    assert sum(e.amount for e in LedgerEntry.objects.filter(pool=pool)) == Decimal("4500000.00")


def test_two_submits_at_once_write_one_loan_one_claim_one_contribution(yangpu) -> None:  # type: ignore[no-untyped-def]
    """A double click reaches two workers: each form's second submit returns the first's row."""
    from nengji.accounts.models import User

    office = User.objects.create_user(username="c_office5", password="pw", role="office")
    pool = services.pool_create(
        plan=yangpu,
        code="D-POOL",
        name_zh="重复提交池",
        ratio="0.5",
        cap_per_enterprise="1000000",
        cap_per_bank="1000000",
        max_loan="3000000",
        max_term_months=36,
        by=office,
    )
    org, bank_user = bank()
    services.pool_bank_admit(pool=pool, bank=org, products=["P"], by=office)
    e, _ = enterprise(yangpu, with_user=False)

    def contribute() -> Any:
        return services.pool_contribute(pool=pool, amount="800000", reference="杨财12号", by=office)

    entries = race(contribute, contribute)
    assert wins(entries) == 2 and entries[0].pk == entries[1].pk
    assert LedgerEntry.objects.filter(pool=pool).count() == 1

    def register() -> Any:
        return services.loan_register(
            pool=pool,
            bank=org,
            product="P",
            enterprise=e,
            contract_no="DUP-1",
            amount="500000",
            term_months=12,
            rate="3",
            guarantee="credit",
            start_on=dt.date(2026, 1, 1),
            by=bank_user,
        )

    loans = race(register, register)
    assert wins(loans) == 2 and loans[0].pk == loans[1].pk

    def claim() -> Any:
        return services.claim_submit(loan=loans[0], loss="100000", by=bank_user)

    claims = race(claim, claim)
    assert wins(claims) == 2 and claims[0].pk == claims[1].pk
    assert Claim.objects.filter(loan=loans[0]).count() == 1
