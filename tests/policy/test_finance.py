"""The loan risk-compensation pool: admission, loans, claims at the ratio within the caps, paid
once from an append-only ledger; policy finance products and their use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nengji.core.errors import DomainError
from nengji.policy import services
from nengji.policy.models import LedgerEntry, Programme, RiskPool
from nengji.policy.services.finance import pool_balance, pool_figures
from tests.policy.conftest import bank, enterprise

START = dt.date(2026, 1, 10)


def loan(pool, admitted, ent, *, amount="1000000", first=False, contract=None):  # type: ignore[no-untyped-def]
    org, user = admitted
    return services.loan_register(
        pool=pool,
        bank=org,
        product="科技信用贷",
        enterprise=ent,
        contract_no=contract or f"L-{ent.pk}-{amount}",
        amount=amount,
        term_months=12,
        rate="3.45",
        guarantee="credit",
        start_on=START,
        first_loan=first,
        by=user,
    )


def test_bundled_pool_and_products_are_loaded_with_their_source(plan) -> None:  # type: ignore[no-untyped-def]
    p = RiskPool.objects.get(plan=plan, code="RISK-POOL")
    assert p.is_demo and p.source == "建立双创企业融资风险补偿机制"
    names = set(Programme.objects.filter(plan=plan).values_list("name_zh", flat=True))
    assert {"“科技履约贷”市区联动项目", "“科创保”", "园区“批次贷”"} <= names


class TestLoans:
    def test_loans_backed_by_other_fiscal_compensation_are_excluded(
        self, plan, pool, admitted
    ) -> None:  # type: ignore[no-untyped-def]
        e, _ = enterprise(plan, with_user=False)
        org, user = admitted
        with pytest.raises(DomainError) as exc:
            services.loan_register(
                pool=pool,
                bank=org,
                product="科技信用贷",
                enterprise=e,
                contract_no="X",
                amount="100",
                term_months=12,
                rate="3",
                guarantee="credit",
                start_on=START,
                other_fiscal_backing=True,
                by=user,
            )
        assert exc.value.detail[0].field == "other_fiscal_backing"

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"amount": "3000000.01"}, "amount"),
            ({"amount": "-5"}, "amount"),
            ({"term_months": 37}, "term_months"),
            ({"rate": "NaN"}, "rate"),
            ({"product": "别的产品"}, "product"),
            ({"guarantee": "gold"}, "guarantee"),
        ],
    )
    def test_bad_loans(self, plan, pool, admitted, change, field) -> None:  # type: ignore[no-untyped-def]
        e, _ = enterprise(plan, with_user=False)
        org, user = admitted
        kw = dict(
            pool=pool,
            bank=org,
            product="科技信用贷",
            enterprise=e,
            contract_no="C1",
            amount="1000",
            term_months=12,
            rate="3",
            guarantee="credit",
            start_on=START,
            by=user,
        )
        kw.update(change)
        with pytest.raises(DomainError) as exc:
            services.loan_register(**kw)
        assert exc.value.detail[0].field == field

    def test_a_bank_not_admitted_or_another_banks_user(self, plan, pool, admitted) -> None:  # type: ignore[no-untyped-def]
        e, _ = enterprise(plan, with_user=False)
        other, other_user = bank()
        with pytest.raises(DomainError):
            services.loan_register(
                pool=pool,
                bank=other,
                product="科技信用贷",
                enterprise=e,
                contract_no="C",
                amount="1",
                term_months=1,
                rate="1",
                guarantee="credit",
                start_on=START,
                by=other_user,
            )
        with pytest.raises(DomainError) as exc:
            services.loan_register(
                pool=pool,
                bank=admitted[0],
                product="科技信用贷",
                enterprise=e,
                contract_no="C",
                amount="1",
                term_months=1,
                rate="1",
                guarantee="credit",
                start_on=START,
                by=other_user,
            )
        assert exc.value.status == 403


class TestClaims:
    def test_claim_at_the_ratio_with_the_first_loan_bonus_paid_once(
        self, plan, pool, admitted, office
    ) -> None:  # type: ignore[no-untyped-def]
        e, _ = enterprise(plan, with_user=False)
        ln = loan(pool, admitted, e, amount="1000000", first=True)
        claim = services.claim_submit(loan=ln, loss="800000", by=admitted[1])
        assert claim.ratio == Decimal("0.55") and claim.amount == Decimal("440000.00")
        services.claim_decide(claim=claim, action="approve", by=office)
        entry = services.claim_pay(claim=claim, by=office)
        assert entry.amount == Decimal("-440000.00")
        assert pool_balance(pool) == Decimal("1560000.00")
        with pytest.raises(DomainError) as exc:
            services.claim_pay(claim=claim, by=office)
        assert exc.value.code == "conflict"
        figures = pool_figures(pool)
        assert figures["compensation_paid"] == Decimal("440000.00")
        assert figures["leverage"] == Decimal("0.50")
        assert figures["loss_rate"] == Decimal("80.00")

    def test_claim_above_the_cap_per_enterprise(self, plan, pool, admitted, office) -> None:  # type: ignore[no-untyped-def]
        e, _ = enterprise(plan, with_user=False)
        first = services.claim_submit(
            loan=loan(pool, admitted, e, amount="1000000"), loss="1000000", by=admitted[1]
        )
        services.claim_decide(claim=first, action="approve", by=office)  # 500,000 of 600,000
        second = loan(pool, admitted, e, amount="400000", contract="L-2")
        with pytest.raises(DomainError) as exc:
            services.claim_submit(loan=second, loss="400000", by=admitted[1])  # +200,000
        assert exc.value.detail[0].field == "loss"
        assert "单户补偿上限" in exc.value.detail[0].message
        second.refresh_from_db()
        assert second.status == "active"  # nothing changed

    def test_claim_above_the_cap_per_bank(self, plan, pool, admitted, office) -> None:  # type: ignore[no-untyped-def]
        for _ in range(2):
            e, _ = enterprise(plan, with_user=False)
            c = services.claim_submit(
                loan=loan(pool, admitted, e, amount="1000000"), loss="1000000", by=admitted[1]
            )
            services.claim_decide(claim=c, action="approve", by=office)
        e, _ = enterprise(plan, with_user=False)
        with pytest.raises(DomainError) as exc:
            services.claim_submit(
                loan=loan(pool, admitted, e, amount="10000"), loss="10000", by=admitted[1]
            )
        assert "单家银行补偿上限" in exc.value.detail[0].message

    def test_loss_above_the_loan_and_a_second_claim(self, plan, pool, admitted) -> None:  # type: ignore[no-untyped-def]
        e, _ = enterprise(plan, with_user=False)
        ln = loan(pool, admitted, e, amount="1000")
        with pytest.raises(DomainError) as exc:
            services.claim_submit(loan=ln, loss="1000.01", by=admitted[1])
        assert exc.value.detail[0].field == "loss"
        first = services.claim_submit(loan=ln, loss="1000", by=admitted[1])
        # the same claim again (a second submit) is the first one; another loss is a conflict
        assert services.claim_submit(loan=ln, loss="1000", by=admitted[1]).pk == first.pk
        with pytest.raises(DomainError) as exc:
            services.claim_submit(loan=ln, loss="900", by=admitted[1])
        assert exc.value.code == "conflict"

    def test_reject_needs_a_reason(self, plan, pool, admitted, office) -> None:  # type: ignore[no-untyped-def]
        e, _ = enterprise(plan, with_user=False)
        c = services.claim_submit(loan=loan(pool, admitted, e), loss="1000", by=admitted[1])
        with pytest.raises(DomainError):
            services.claim_decide(claim=c, action="reject", by=office)
        c = services.claim_decide(claim=c, action="reject", reason="未按期报送逾期信息", by=office)
        assert c.status == "rejected"

    def test_pool_cannot_pay_more_than_it_holds(self, plan, office, admitted) -> None:  # type: ignore[no-untyped-def]
        small = services.pool_create(
            plan=plan,
            code="SMALL",
            name_zh="小池",
            ratio="0.5",
            cap_per_enterprise="1e6",
            cap_per_bank="1e7",
            max_loan="1e7",
            max_term_months=12,
            by=office,
        )
        services.pool_bank_admit(pool=small, bank=admitted[0], products=["科技信用贷"], by=office)
        services.pool_contribute(pool=small, amount="100", reference="r", by=office)
        e, _ = enterprise(plan, with_user=False)
        c = services.claim_submit(
            loan=loan(small, admitted, e, amount="1000"), loss="1000", by=admitted[1]
        )
        services.claim_decide(claim=c, action="approve", by=office)
        with pytest.raises(DomainError) as exc:
            services.claim_pay(claim=c, by=office)
        assert exc.value.detail[0].field == "amount"


def test_ledger_is_append_only(pool) -> None:  # type: ignore[no-untyped-def]
    entry = LedgerEntry.objects.filter(pool=pool).first()
    assert entry is not None
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        LedgerEntry.objects.filter(pool=pool).update(amount=0)
    with pytest.raises(ValidationError):
        LedgerEntry.objects.filter(pool=pool).delete()


def test_bad_pool_parameters(plan, office) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as exc:
        services.pool_create(
            plan=plan,
            code="B",
            name_zh="坏",
            ratio="0.9",
            first_loan_bonus="0.2",
            cap_per_enterprise="1",
            cap_per_bank="1",
            max_loan="1",
            max_term_months=12,
            by=office,
        )
    assert exc.value.detail[0].field == "ratio"


def test_programme_use_recorded_once(plan, office) -> None:  # type: ignore[no-untyped-def]
    prog = Programme.objects.get(plan=plan, code="LVYUE-LOAN")
    e, _ = enterprise(plan, with_user=False)
    use = services.programme_use_record(
        programme=prog,
        enterprise=e,
        institution=prog.institutions[0],
        amount="2000000",
        used_on=START,
        reference="LY-1",
        by=office,
    )
    assert use.amount == Decimal(2000000)
    with pytest.raises(DomainError):
        services.programme_use_record(
            programme=prog,
            enterprise=e,
            institution=prog.institutions[0],
            amount="1",
            used_on=START,
            reference="LY-1",
            by=office,
        )
    with pytest.raises(DomainError) as exc:
        services.programme_use_record(
            programme=prog,
            enterprise=e,
            institution="不存在的银行",
            amount="1",
            used_on=START,
            reference="LY-2",
            by=office,
        )
    assert exc.value.detail[0].field == "institution"
