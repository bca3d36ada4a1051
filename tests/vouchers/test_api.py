"""The `/api/vouchers/` door: per-region tokens, idempotency keys, 4xx JSON naming the field."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from nengji.api.auth import token_issue
from nengji.vouchers.models import Claim, LedgerEntry, Order
from nengji.vouchers.services.periods import period_code
from tests.vouchers import factories as f

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, client: Client, user: object) -> None:
        self.client, self.h = client, {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user)}"}

    def get(self, url: str):  # type: ignore[no-untyped-def]
        return self.client.get("/api/vouchers" + url, **self.h)

    def post(self, url: str, data: dict | None = None, key: str | None = None):  # type: ignore[no-untyped-def, type-arg]
        extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        return self.client.post(
            "/api/vouchers" + url, data or {}, content_type="application/json", **self.h, **extra
        )


TODAY = timezone.localdate()


@pytest.fixture
def w() -> f.Alliance:
    return f.Alliance(day=TODAY)  # the API acts today


def order_body(w: f.Alliance, voucher: int = 100_000) -> dict[str, object]:
    return {
        "institution": w.inst_b.pk,
        "category": "testing",
        "contract_fen": voucher * 2,
        "voucher_fen": voucher,
        "starts_on": "2025-02-10",
        "ends_on": "2025-03-10",
    }


def test_full_cycle_through_the_api(client: Client, w: f.Alliance, settings) -> None:  # type: ignore[no-untyped-def]
    ent, inst = Api(client, w.ent_user), Api(client, w.inst_b_user)
    r = ent.post(f"/quotas/{w.quota.pk}/orders", order_body(w), key="order-0001")
    assert r.status_code == 200, r.content
    oid = r.json()["id"]
    assert r.json()["service_region"] == "T-B"
    assert inst.post(f"/orders/{oid}/accept").status_code == 200
    assert inst.post(f"/orders/{oid}/deliver", {"evidence": "报告"}).status_code == 200
    assert ent.post(f"/orders/{oid}/confirm").status_code == 200
    r = inst.post(
        f"/orders/{oid}/claim",
        {"mode": "tongdui", "amount_fen": 100_000, "invoice_no": "FP001"},
        key="claim-0001",
    )
    assert r.status_code == 200, r.content
    cid = r.json()["id"]
    a1, a2, b1 = Api(client, w.a1), Api(client, w.a2), Api(client, w.b1)
    assert a1.post(f"/claims/{cid}/review", {"approve": True}).status_code == 200
    assert a2.post(f"/claims/{cid}/decide", {"approve": True}).status_code == 200
    # B's token sees the claim its institution served; A's token the claim its voucher pays
    assert [c["id"] for c in b1.get("/claims").json()] == [cid]
    assert [c["id"] for c in a1.get("/orders").json()] == [oid]
    pay = {"amount_fen": 100_000, "paid_on": TODAY.isoformat(), "reference": "PAY-1"}
    first = b1.post(f"/claims/{cid}/pay", pay, key="pay-00000001")
    again = b1.post(f"/claims/{cid}/pay", pay, key="pay-00000001")
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    assert LedgerEntry.objects.filter(kind="redeem").count() == 1
    other = b1.post(f"/claims/{cid}/pay", {**pay, "reference": "X"}, key="pay-00000001")
    assert other.status_code == 409 and other.json()["detail"][0]["field"] == "Idempotency-Key"
    clearing = client.get(f"/api/vouchers/clearing/{period_code(TODAY)}").json()
    assert clearing["balanced"] and clearing["net_pairs"] == [
        {"debtor": "T-A", "creditor": "T-B", "amount_fen": 80_000}
    ]
    data = client.get("/api/vouchers/open-data").json()
    assert {"measure", "region", "amount_fen"} <= set(data[0])
    assert all("enterprise" not in row for row in data)


def test_double_click_places_one_order(client: Client, w: f.Alliance) -> None:
    ent = Api(client, w.ent_user)
    r1 = ent.post(f"/quotas/{w.quota.pk}/orders", order_body(w), key="dbl-click-1")
    r2 = ent.post(f"/quotas/{w.quota.pk}/orders", order_body(w), key="dbl-click-1")
    assert r1.json() == r2.json() and Order.objects.count() == 1


@pytest.mark.parametrize(
    ("patch", "field", "status"),
    [
        ({"voucher_fen": -5}, "voucher_fen", 400),
        ({"voucher_fen": 10**30}, "voucher_fen", 400),
        ({"voucher_fen": 10.5}, "voucher_fen", 422),
        ({"category": "<script>"}, "category", 400),
        ({"voucher_fen": 2_000_000, "contract_fen": 9_000_000}, "voucher_fen", 400),
        ({"starts_on": "yesterday"}, "starts_on", 422),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(
    client: Client, w: f.Alliance, patch: dict[str, object], field: str, status: int
) -> None:
    r = Api(client, w.ent_user).post(f"/quotas/{w.quota.pk}/orders", {**order_body(w), **patch})
    assert r.status_code == status, r.content
    assert field in r.json()["detail"][0]["field"]
    assert not Order.objects.exists()


def test_other_regions_and_enterprises_see_nothing(client: Client, w: f.Alliance) -> None:
    _ent2, u2 = f.enterprise(w.a, "别家")
    r = Api(client, u2).post(f"/quotas/{w.quota.pk}/orders", order_body(w))
    assert r.status_code == 404
    o = f.confirmed_order(w.quota, w.ent_user, w.inst_a, w.inst_a_user, day=TODAY)
    assert Api(client, w.b1).get("/orders").json() == []  # served in A, paid by A
    r = Api(client, w.b1).post(f"/orders/{o.pk}/accept")
    assert r.status_code == 404
    assert not Claim.objects.exists()


def test_bad_idempotency_key_and_no_token(client: Client, w: f.Alliance) -> None:
    r = Api(client, w.ent_user).post(f"/quotas/{w.quota.pk}/orders", order_body(w), key="short")
    assert r.status_code == 400 and r.json()["detail"][0]["field"] == "Idempotency-Key"
    assert client.get("/api/vouchers/quotas").status_code == 401
