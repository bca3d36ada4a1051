"""The demo alliance: four flagged regions, programmes, institutions, orders at every stage,
two closed quarters whose statements sum to zero, and a ledger that reconciles."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db.models import F

from nengji.accounts.models import User
from nengji.plan.packages import bundled_packages, demo_dir
from nengji.vouchers.clearing import clearing_report
from nengji.vouchers.demo import demo_vouchers_ensure
from nengji.vouchers.models import Claim, ClearingPeriod, Institution, Order, Programme, Statement
from nengji.vouchers.reconcile import reconcile

pytestmark = pytest.mark.django_db


def test_demo_alliance(plan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    User.objects.create_user(username="office", password="pw", role="office")  # as the demo has
    folder = demo_dir(next(p for p in bundled_packages() if p.name == plan.code))
    demo_vouchers_ensure(plan=plan, demo_dir=folder, data_dir=tmp_path)
    demo_vouchers_ensure(plan=plan, demo_dir=folder, data_dir=tmp_path)  # idempotent
    programmes = Programme.objects.all()
    assert programmes.count() >= 4 and all(p.is_demo for p in programmes)
    # the partner regions by 行政区划代码 (their names are whoever created them first: the
    # benchmark loader writes the official ones, e.g. 常州市武进区)
    assert {p.region.code for p in programmes} >= {"320412", "330402", "340171"}
    assert programmes.filter(region=plan.district).exists()
    assert Institution.objects.filter(state="admitted", is_demo=True).count() >= 6
    assert Order.objects.filter(is_demo=True).count() >= 20
    cross = Claim.objects.filter(state="paid").exclude(issuing_region=F("service_region"))
    assert {c.mode for c in cross} == {"tongyong", "tongdui"}
    closed = ClearingPeriod.objects.filter(state="closed")
    assert closed.count() == 2
    for period in closed:
        assert clearing_report(period=period).balanced
        assert sum(s.net_fen for s in period.statements.all()) == 0
    assert Statement.objects.filter(state="confirmed").exists()
    assert reconcile() == []
    logins = (tmp_path / "demo-logins.txt").read_text(encoding="utf-8")
    assert logins.count("region vouchers_") == 8  # two people per region: review, then decide
