"""Technology contract registration: statutory fields, working-day deadlines, expert review,
decision, change and cancellation, the registrar's queue."""

from __future__ import annotations

import datetime as dt

import pytest

from nengji.core.errors import DomainError
from nengji.core.roles import OrgKind, Role
from nengji.techrights import services, workdays
from nengji.techrights.models import ContractStatus, TechContract
from nengji.techrights.selectors import certificate_check, contracts_queue
from tests.techrights import factories as f

pytestmark = pytest.mark.django_db
D = dt.date


def submit(**kw):  # type: ignore[no-untyped-def]
    seller = kw.pop("seller", None) or f.org()
    args = dict(
        seller=seller,
        buyer_name="上海某新能源科技有限公司（演示）",
        category="dev_commissioned",
        title="锂电池隔膜涂覆工艺开发",
        signed_on=D(2026, 1, 20),
        starts_on=D(2026, 2, 1),
        ends_on=D(2026, 12, 31),
        contract_amount="1800000",
        tech_amount="1500000",
        text=f.CONTRACT_TEXT * 2,
        submitted_on=D(2026, 2, 10),
        by=f.user(Role.UNIVERSITY, seller),
    )
    args.update(kw)
    return services.contract_submit(**args)


def test_working_days_skip_weekends_and_public_holidays() -> None:
    # 2026-02-10 (Tue) + 15 working days: the Spring Festival (16–23 Feb off, 14 and 28 Feb
    # worked) lies in between
    assert workdays.is_workday(D(2026, 2, 14)) and not workdays.is_workday(D(2026, 2, 16))
    assert workdays.add_workdays(D(2026, 2, 10), 15) == D(2026, 3, 9)
    assert workdays.add_workdays(D(2025, 9, 26), 1) == D(2025, 9, 28)  # a Sunday worked
    assert {2025, 2026} <= workdays.covered()


def test_submission_sets_the_deadline_and_expert_review_from_the_threshold() -> None:
    small = submit()
    assert (small.due_on, small.expert_review) == (D(2026, 3, 9), False)
    big = submit(tech_amount="5000000", contract_amount="6000000", text=f.CONTRACT_TEXT * 3)
    assert big.expert_review
    assert big.due_on == workdays.add_workdays(D(2026, 2, 10), 30)


def test_every_missing_statutory_field_is_named_at_once_and_nothing_recorded() -> None:
    before = TechContract.objects.count()
    with pytest.raises(DomainError) as exc:
        submit(buyer_name="", category="gift", title="", contract_amount="", text="太短")
    fields = set(exc.value.by_field())
    assert {"buyer_name", "category", "title", "contract_amount", "text"} <= fields
    assert TechContract.objects.count() == before


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("tech_amount", {"tech_amount": "2000000"}),
        ("ends_on", {"ends_on": D(2026, 1, 1)}),
        ("submitted_on", {"submitted_on": D(2026, 1, 1)}),
        ("contract_amount", {"contract_amount": "1e15"}),
        ("text", {"text": "x" * 600_000}),
    ],
)
def test_inconsistent_contracts_are_refused(field: str, changes: dict) -> None:
    with pytest.raises(DomainError) as exc:
        submit(**changes)
    assert field in exc.value.by_field()


def test_a_contract_is_submitted_once() -> None:
    seller = f.org()
    submit(seller=seller)
    with pytest.raises(DomainError) as exc:
        submit(seller=seller)
    assert exc.value.code == "conflict"


def test_only_the_seller_or_the_registrar_submits() -> None:
    with pytest.raises(DomainError) as exc:
        submit(by=f.user(Role.ENTERPRISE, f.org(OrgKind.ENTERPRISE)))
    assert exc.value.code == "permission"


def test_register_change_and_cancel_with_certificates() -> None:
    office = f.user(Role.OFFICE, None)
    c = submit()
    c = services.contract_decide(contract=c, register=True, by=office, on=D(2026, 2, 20))
    assert c.status == ContractStatus.REGISTERED
    first = c.certificates.get()
    verdict = certificate_check(first)
    assert verdict.ok and verdict.payload is not None
    assert verdict.payload["amounts"] == {
        "contract_turnover_yuan": "1800000.00",
        "technology_turnover_yuan": "1500000.00",
    }
    changed = services.contract_change(
        contract=c, contract_amount="2000000", by=office, submitted_on=D(2026, 3, 2)
    )
    assert changed.version == 2 and changed.status == ContractStatus.SUBMITTED
    services.contract_decide(contract=changed, register=True, by=office, on=D(2026, 3, 5))
    c.refresh_from_db()
    assert c.status == ContractStatus.CHANGED
    old = certificate_check(type(first).objects.get(pk=first.pk))
    assert old.status == "superseded"
    second = changed.certificates.get()
    services.contract_cancel(contract=changed, reason="双方协议解除", by=office, on=D(2026, 4, 1))
    assert certificate_check(type(second).objects.get(pk=second.pk)).status == "revoked"
    with pytest.raises(DomainError):
        services.contract_cancel(contract=changed, reason="again", by=office)


def test_expert_review_comes_before_a_decision_and_the_queue_shows_overdue() -> None:
    office = f.user(Role.OFFICE, None)
    big = submit(tech_amount="5000000", contract_amount="5000000")
    with pytest.raises(DomainError) as exc:
        services.contract_decide(contract=big, register=True, by=office, on=D(2026, 2, 11))
    assert exc.value.code == "conflict"
    queue = dict(contracts_queue(today=D(2026, 6, 1)))
    assert queue[big] is True  # overdue by June
    services.contract_review_start(contract=big, by=office, on=D(2026, 2, 11))
    with pytest.raises(DomainError) as exc:
        services.contract_decide(contract=big, register=False, by=office, on=D(2026, 3, 1))
    assert "note" in exc.value.by_field()  # a refusal says why
    services.contract_decide(
        contract=big, register=False, note="非技术合同", by=office, on=D(2026, 3, 1)
    )
    assert big.pk not in {c.pk for c, _ in contracts_queue(today=D(2026, 6, 1))}
    with pytest.raises(DomainError):
        services.contract_decide(contract=big, register=True, by=f.user(), on=D(2026, 3, 2))
