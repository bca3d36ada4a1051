"""`nengji vouchers clearing --period 2025Q1 --format json` and `nengji vouchers reconcile`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from nengji.cli.vouchers import vouchers
from nengji.vouchers import services as s
from nengji.vouchers.models import ClearingEntry, ClearingPeriod
from tests.vouchers import factories as f

pytestmark = pytest.mark.django_db


def test_clearing_json_and_reconcile(w_paid: f.Alliance) -> None:
    r = CliRunner().invoke(vouchers, ["clearing", "--period", "2025Q1", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["period"] == "2025Q1" and data["balanced"]
    assert sum(p["net_fen"] for p in data["positions"]) == 0
    assert {"debtor": "T-A", "creditor": "T-B", "amount_fen": 80_000} in data["gross"]
    r = CliRunner().invoke(vouchers, ["reconcile"])
    assert r.exit_code == 0 and "reconcile" in r.output


def test_unknown_period_exits_non_zero(w_paid: f.Alliance) -> None:
    r = CliRunner().invoke(vouchers, ["clearing", "--period", "2031Q4", "--format", "json"])
    assert r.exit_code == 2 and "2031Q4" in r.output


def test_reconcile_finds_a_difference(w_paid: f.Alliance) -> None:
    c = ClearingEntry.objects.first()
    assert c is not None
    ClearingEntry.objects.create(
        period=ClearingPeriod.objects.get(code="2025Q1"),
        claim=c.claim,
        debtor=c.debtor,
        creditor=c.creditor,
        amount_fen=1,
        at=c.at,
    )
    r = CliRunner().invoke(vouchers, ["reconcile"])
    assert r.exit_code == 1 and f"claim {c.claim_id}" in r.output


@pytest.fixture
def w_paid(fast_passwords: None) -> f.Alliance:
    w = f.Alliance()
    o = f.confirmed_order(w.quota, w.ent_user, w.inst_b, w.inst_b_user)
    c = s.claim_submit(
        order=o, mode="tongdui", amount_fen=100_000, invoice_no="F", by=w.inst_b_user
    )
    c = s.claim_decide(claim=s.claim_review(claim=c, approve=True, by=w.a1), approve=True, by=w.a2)
    s.claim_pay(
        claim=c,
        amount_fen=100_000,
        paid_on=f.DAY,
        reference="P",
        by=w.b1,
        today=dt.date(2025, 3, 1),
    )
    return w
