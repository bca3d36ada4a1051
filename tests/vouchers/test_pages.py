"""Each role's voucher page, its actions, and the statement download (a real xlsx, user text
as text)."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from nengji.vouchers import services as s
from nengji.vouchers.models import Claim, ClearingPeriod, Order, Statement
from tests.vouchers import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def w() -> f.Alliance:
    return f.Alliance(day=TODAY)


def login(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_each_role_sees_its_page(
    client: Client, w: f.Alliance, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    f.confirmed_order(w.quota, w.ent_user, w.inst_b, w.inst_b_user, day=TODAY)
    for user, text in (
        (w.a1, "甲区"),
        (w.ent_user, "乙检测"),
        (w.inst_b_user, "乙检测"),
        (w.office, ""),
    ):
        c = login(Client(), user)
        with django_assert_max_num_queries(40):
            r = c.get(reverse("vouchers-home"))
        assert r.status_code == 200 and text in r.content.decode()
    assert Client().get(reverse("vouchers-home")).status_code == 302


def test_enterprise_places_an_order_in_yuan(client: Client, w: f.Alliance) -> None:
    c = login(client, w.ent_user)
    r = c.post(
        reverse("vouchers-order-new"),
        {
            "quota": w.quota.pk,
            "institution": w.inst_b.pk,
            "category": "testing",
            "contract": "2000.50",
            "voucher": "1000.25",
            "starts_on": TODAY.isoformat(),
            "ends_on": TODAY.isoformat(),
            "idempotency_key": "page-key-001",
        },
    )
    assert r.status_code == 302
    o = Order.objects.get()
    assert (o.contract_fen, o.voucher_fen) == (200_050, 100_025)
    r = c.post(
        reverse("vouchers-order-new"),
        {
            "quota": w.quota.pk,
            "institution": w.inst_b.pk,
            "category": "testing",
            "contract": "10.001",
            "voucher": "1",
            "starts_on": TODAY.isoformat(),
            "ends_on": TODAY.isoformat(),
        },
        follow=True,
    )
    assert "contract" in r.content.decode() and Order.objects.count() == 1


def test_a_forged_action_of_another_region_is_refused(client: Client, w: f.Alliance) -> None:
    o = f.confirmed_order(w.quota, w.ent_user, w.inst_b, w.inst_b_user, day=TODAY)
    claim = s.claim_submit(
        order=o, mode="tongdui", amount_fen=1000, invoice_no="X", by=w.inst_b_user
    )
    c = login(client, w.b1)  # B may not review A's claims
    c.post(reverse("vouchers-act", args=["claim", claim.pk, "review"]), {"approve": "1"})
    assert Claim.objects.get(pk=claim.pk).state == "submitted"


def test_statement_download_writes_user_text_as_text(client: Client) -> None:
    w = f.Alliance()  # a 2025 programme, a quarter closed since
    inst, iu = f.institution(w.b, w.b1, name='=HYPERLINK("http://x")检测')
    day = dt.date(2025, 2, 10)
    o = f.confirmed_order(w.quota, w.ent_user, inst, iu, day=day)
    c = s.claim_submit(order=o, mode="tongdui", amount_fen=100_000, invoice_no="@SUM(A1)", by=iu)
    c = s.claim_decide(claim=s.claim_review(claim=c, approve=True, by=w.a1), approve=True, by=w.a2)
    s.claim_pay(claim=c, amount_fen=100_000, paid_on=day, reference="+P1", by=w.b1, today=day)
    s.period_close(period=ClearingPeriod.objects.get(code="2025Q1"), by=w.office)
    st = Statement.objects.get(region=w.b)
    r = login(client, w.b1).get(reverse("vouchers-statement", args=[st.pk]))
    assert r.status_code == 200
    wb = load_workbook(BytesIO(b"".join(r.streaming_content)))  # type: ignore[attr-defined]
    cells = [v for row in wb.worksheets[1].iter_rows(values_only=True) for v in row]
    assert '\'=HYPERLINK("http://x")检测' in cells and "'@SUM(A1)" in cells
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)
    assert 800 in cells  # 80 % of 1 000 元 due from 甲区, in 元
    assert login(Client(), w.a1).get(reverse("vouchers-statement", args=[st.pk])).status_code == 403
