"""/api/policy/: the public catalogue, an enterprise's matches (its own only), the office's
candidates, an application to payment, the pool; every error a 4xx JSON naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nengji.policy.models import PolicyItem
from tests.django_fixtures import YANGPU
from tests.policy.conftest import bank, enterprise, figures


@pytest.fixture
def plan(db):  # type: ignore[no-untyped-def]
    from nengji.plan.selectors import plan_get

    return plan_get(code=YANGPU)


def test_catalogue_is_public_and_traced(as_user, plan) -> None:  # type: ignore[no-untyped-def]
    r = as_user(None).get(f"/policy/items?plan={plan.code}")
    assert r.status_code == 200
    items = {i["code"]: i for i in r.json()}
    rd = items["YP-RD-SUBSIDY"]
    assert rd["is_demo"] and rd["tier"] == "main"
    assert {c["id"]: c["source"] for c in rd["clauses"]}["RD-SHARE"] == "第四条"
    assert as_user(None).get("/policy/items/NOPE").status_code == 404


def test_matches_only_for_the_enterprise_itself_and_the_office(as_user, plan, office) -> None:  # type: ignore[no-untyped-def]
    e, user = enterprise(plan)
    figures(e, office)
    _other, other_user = enterprise(plan)
    r = as_user(user).get(f"/policy/matches/{e.uscc}")
    assert r.status_code == 200
    rd = next(i for i in r.json()["items"] if i["item"] == "YP-RD-SUBSIDY")
    assert rd["outcome"] == "eligible" and rd["estimated_amount"] == "150000.00"
    assert as_user(other_user).get(f"/policy/matches/{e.uscc}").status_code == 404
    assert as_user(None).get(f"/policy/matches/{e.uscc}").status_code == 401
    assert as_user(office).get(f"/policy/matches/{e.uscc}").status_code == 200
    cands = as_user(office).get("/policy/items/YP-RD-SUBSIDY/candidates").json()
    assert e.uscc in [c["uscc"] for c in cands["eligible"]]
    assert as_user(user).get("/policy/items/YP-RD-SUBSIDY/candidates").status_code == 403


def test_application_to_payment(as_user, plan, office) -> None:  # type: ignore[no-untyped-def]
    item = PolicyItem.objects.get(plan=plan, code="YP-RD-SUBSIDY")
    today = timezone.localdate()
    item.opens, item.closes = today - dt.timedelta(days=1), today + dt.timedelta(days=30)
    item.save()
    e, user = enterprise(plan)
    api = as_user(user)
    r = api.post(
        "/policy/applications", {"item": item.code, "enterprise": e.uscc, "period": "2026"}
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert api.post(f"/policy/applications/{pk}/submit", {}).status_code == 200
    bad = as_user(office).post(
        f"/policy/applications/{pk}/decision", {"action": "approve", "awarded": "99999999"}
    )
    assert bad.status_code == 400 and bad.json()["detail"][0]["field"] == "awarded"
    ok = as_user(office).post(
        f"/policy/applications/{pk}/decision", {"action": "approve", "awarded": "120000"}
    )
    assert ok.json()["status"] == "approved"
    paid = as_user(office).post(
        f"/policy/applications/{pk}/payment", {"paid_on": str(today), "reference": "PAY-9"}
    )
    assert paid.status_code == 201
    again = as_user(office).post(
        f"/policy/applications/{pk}/payment", {"paid_on": str(today), "reference": "PAY-10"}
    )
    assert again.status_code == 409
    unknown = api.post(
        "/policy/applications", {"item": item.code, "enterprise": e.uscc, "period": "2026", "x": 1}
    )
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "x"


def test_pool_loan_and_claim(as_user, plan, office) -> None:  # type: ignore[no-untyped-def]
    from nengji.policy import services
    from nengji.policy.models import RiskPool

    pool = RiskPool.objects.get(plan=plan, code="RISK-POOL")
    services.pool_contribute(pool=pool, amount="10000000", reference="拨款", by=office)
    org, bank_user = bank()
    services.pool_bank_admit(pool=pool, bank=org, products=["科技贷"], by=office)
    e, _ = enterprise(plan, with_user=False)
    b = as_user(bank_user)
    loan = {
        "product": "科技贷",
        "enterprise": e.uscc,
        "contract_no": "HT-1",
        "amount": "2000000",
        "term_months": 12,
        "rate": "3.2",
        "guarantee": "credit",
        "start_on": "2026-01-05",
        "first_loan": True,
    }
    excluded = b.post("/policy/pools/RISK-POOL/loans", {**loan, "other_fiscal_backing": True})
    assert excluded.status_code == 400
    assert excluded.json()["detail"][0]["field"] == "other_fiscal_backing"
    r = b.post("/policy/pools/RISK-POOL/loans", loan)
    assert r.status_code == 201, r.content
    claim = b.post(f"/policy/loans/{r.json()['id']}/claims", {"loss": "1000000"})
    assert claim.json()["amount"] == "550000.00"  # 50 % + 5 % for a first loan
    cid = claim.json()["id"]
    assert (
        as_user(office).post(f"/policy/claims/{cid}/decision", {"action": "approve"}).status_code
        == 200
    )
    assert as_user(office).post(f"/policy/claims/{cid}/payment").json()["status"] == "paid"
    figures_ = as_user(office).get("/policy/pools/RISK-POOL").json()["figures"]
    assert figures_["compensation_paid"] in ("550000", "550000.00")
    assert as_user(None).get("/policy/pools/RISK-POOL").status_code == 401
