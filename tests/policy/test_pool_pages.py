"""The risk pool's pages: a bank registers its loans and claims on them, the office puts money
into the pool. Hostile first: another bank's loan is not found, amounts are bounded (the
message names the field, nothing is written), a second submit of the same form changes nothing."""

from __future__ import annotations

import pytest

from nengji.policy import services
from nengji.policy.models import Claim, LedgerEntry, Loan
from tests.policy.conftest import bank, enterprise

URL = "/policies/pool/"


@pytest.fixture
def borrower(plan):  # type: ignore[no-untyped-def]
    e, _ = enterprise(plan, with_user=False)
    return e


def loan_form(pool, borrower, **over):  # type: ignore[no-untyped-def]
    return {
        "action": "loan",
        "pool": pool.code,
        "product": "科技信用贷",
        "enterprise": borrower.uscc,
        "contract_no": "HT-2026-001",
        "amount": "800000",
        "term_months": "12",
        "rate": "3.45",
        "guarantee": "credit",
        "start_on": "2026-02-01",
        **over,
    }


def messages_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_a_bank_registers_a_loan_once_however_often_it_submits(
    client, pool, admitted, borrower
) -> None:  # type: ignore[no-untyped-def]
    org, user = admitted
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert 'name="contract_no"' in page and "科技信用贷" in page
    first = client.post(URL, loan_form(pool, borrower), follow=True)
    assert first.status_code == 200
    loan = Loan.objects.get(bank=org, contract_no="HT-2026-001")
    assert loan.amount == 800000 and loan.enterprise == borrower
    again = client.post(URL, loan_form(pool, borrower), follow=True)  # a double click
    assert again.status_code == 200
    assert Loan.objects.filter(bank=org).count() == 1
    assert not any("error" in m.lower() or "错误" in m for m in messages_of(again))
    assert "HT-2026-001" in again.content.decode()
    # the same contract number with other terms is a conflict, named
    other = client.post(URL, loan_form(pool, borrower, amount="900000"), follow=True)
    assert any("contract_no" in m for m in messages_of(other))
    assert Loan.objects.get(bank=org).amount == 800000


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "-5"),
        ("amount", "1e309"),
        ("amount", "abc"),
        ("amount", "3000000.01"),  # above the pool's largest loan
        ("amount", "100.001"),
        ("term_months", "0"),
        ("term_months", "999"),
        ("rate", "99"),
        ("start_on", "2026-13-40"),
        ("enterprise", "91310110MA1FX00010"),
        ("guarantee", "magic"),
        ("product", "其他贷款"),
    ],
)
def test_bad_loan_input_names_the_field_and_writes_nothing(
    client, pool, admitted, borrower, field, value
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admitted[1])
    r = client.post(URL, loan_form(pool, borrower, **{field: value}), follow=True)
    assert r.status_code == 200
    assert any(m.startswith(f"{field}:") for m in messages_of(r)), messages_of(r)
    assert not Loan.objects.exists()


def test_a_bank_not_admitted_cannot_register(client, pool, borrower) -> None:  # type: ignore[no-untyped-def]
    _org, user = bank("未准入银行")
    client.force_login(user)
    r = client.post(URL, loan_form(pool, borrower), follow=True)
    assert any(m.startswith("bank:") for m in messages_of(r))
    assert not Loan.objects.exists()


def _loan(pool, admitted, borrower, contract="HT-1"):  # type: ignore[no-untyped-def]
    org, user = admitted
    return services.loan_register(
        pool=pool,
        bank=org,
        product="科技信用贷",
        enterprise=borrower,
        contract_no=contract,
        amount="1000000",
        term_months=12,
        rate="3.45",
        guarantee="credit",
        start_on="2026-01-10",
        by=user,
    )


def test_a_bank_claims_on_its_own_loan_once(client, pool, admitted, borrower) -> None:  # type: ignore[no-untyped-def]
    loan = _loan(pool, admitted, borrower)
    client.force_login(admitted[1])
    assert f'name="loan" value="{loan.pk}"' in client.get(URL).content.decode()
    form = {"action": "claim", "loan": str(loan.pk), "loss": "400000"}
    client.post(URL, form, follow=True)
    client.post(URL, form, follow=True)  # a double click
    claim = Claim.objects.get(loan=loan)
    assert claim.amount == 200000 and claim.status == "submitted"
    bad = client.post(URL, {**form, "loss": "1000000.01"}, follow=True)
    assert Claim.objects.filter(loan=loan).count() == 1
    assert any(m.startswith("loan:") or m.startswith("loss:") for m in messages_of(bad))


def test_another_banks_loan_is_not_found(client, pool, admitted, borrower, office) -> None:  # type: ignore[no-untyped-def]
    loan = _loan(pool, admitted, borrower)
    other, other_user = bank("他行")
    services.pool_bank_admit(pool=pool, bank=other, products=["科技信用贷"], by=office)
    client.force_login(other_user)
    assert "HT-1" not in client.get(URL).content.decode()
    r = client.post(URL, {"action": "claim", "loan": str(loan.pk), "loss": "1000"})
    assert r.status_code == 404
    assert client.post(URL, {"action": "claim", "loan": "x", "loss": "1"}).status_code == 404
    assert not Claim.objects.exists()


def test_the_office_puts_money_into_the_pool_once_per_reference(client, pool, office) -> None:  # type: ignore[no-untyped-def]
    client.force_login(office)
    before = LedgerEntry.objects.filter(pool=pool).count()
    form = {
        "action": "contribute",
        "pool": pool.code,
        "amount": "500000",
        "reference": "杨财〔2026〕12号",
    }
    client.post(URL, form, follow=True)
    client.post(URL, form, follow=True)  # a double click
    entries = LedgerEntry.objects.filter(pool=pool, reference="杨财〔2026〕12号")
    assert entries.count() == 1 and entries.get().amount == 500000
    assert LedgerEntry.objects.filter(pool=pool).count() == before + 1
    # the same reference with another amount is refused, named
    r = client.post(URL, {**form, "amount": "600000"}, follow=True)
    assert any(m.startswith("reference:") for m in messages_of(r))
    for amount in ("-1", "0", "1e20", "NaN", "12.345"):
        r = client.post(URL, {**form, "reference": f"R-{amount}", "amount": amount}, follow=True)
        assert any(m.startswith("amount:") for m in messages_of(r)), amount
    r = client.post(URL, {**form, "reference": ""}, follow=True)
    assert any(m.startswith("reference:") for m in messages_of(r))
    assert LedgerEntry.objects.filter(pool=pool).count() == before + 1


def test_only_the_office_contributes_and_only_banks_register(
    client, pool, admitted, borrower
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admitted[1])
    r = client.post(
        URL, {"action": "contribute", "pool": pool.code, "amount": "1", "reference": "x"}
    )
    assert r.status_code == 403
    assert 'name="reference"' not in client.get(URL).content.decode()
