"""The demo story and the pages: public catalogue, an enterprise's matches with reasons, the
office's applications and candidates (with the outreach xlsx), the risk pool; roles kept apart."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nengji.accounts.models import User
from nengji.plan.packages import demo_dir, package_path
from nengji.policy.demo import demo_policy_ensure
from nengji.policy.models import Application, Claim, Payment
from tests.django_fixtures import YANGPU


@pytest.fixture
def demo(plan, office, tmp_path: Path):  # type: ignore[no-untyped-def]
    demo_policy_ensure(
        plan=plan, demo_dir=demo_dir(package_path(YANGPU)), data_dir=tmp_path, full=True
    )
    return {
        u.username: u for u in User.objects.filter(username__in=["enterprise_demo", "bank_demo"])
    }


def test_demo_story_is_complete_and_idempotent(plan, office, demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert Payment.objects.filter(is_demo=True).count() == 1
    assert Application.objects.filter(origin="auto", is_demo=True).exists()
    claim = Claim.objects.get(is_demo=True)
    assert claim.status == "paid" and str(claim.amount) == "550000.00"
    demo_policy_ensure(
        plan=plan, demo_dir=demo_dir(package_path(YANGPU)), data_dir=tmp_path, full=True
    )
    assert Payment.objects.filter(is_demo=True).count() == 1
    assert Claim.objects.filter(is_demo=True).count() == 1


def test_public_catalogue_shows_the_structure_and_flags_demo(client, plan) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/policies/")
    text = r.content.decode()
    assert r.status_code == 200
    assert "6 大类主体政策" in text and "产业指导目录" in text
    assert "演示数据" in text
    item = client.get("/policies/item/YP-RD-SUBSIDY/").content.decode()
    assert "研发费用占营业收入比例不低于3%" in item and "第四条" in item
    assert "candidates.xlsx" not in item  # the office's list is not public


def test_enterprise_sees_its_matches_with_reasons(client, demo) -> None:  # type: ignore[no-untyped-def]
    client.force_login(demo["enterprise_demo"])
    r = client.get("/policies/mine/")
    text = r.content.decode()
    assert r.status_code == 200
    assert "杨浦演示智能科技有限公司" in text
    assert 'id="item-YP-AI-SCENE" data-outcome="eligible"' in text
    assert 'id="item-YP-RENT" data-outcome="not_eligible"' in text
    assert "第四条" in text  # every clause shows its source
    assert client.get("/policies/office/").status_code == 403
    assert client.get("/policies/item/YP-RD-SUBSIDY/candidates.xlsx").status_code == 403


def test_office_pages_and_outreach_export(client, office, demo) -> None:  # type: ignore[no-untyped-def]
    client.force_login(office)
    assert "杨浦演示智能科技有限公司" in client.get("/policies/office/").content.decode()
    item = client.get("/policies/item/YP-RD-SUBSIDY/").content.decode()
    assert "杨浦演示新材料有限公司" in item  # one clause away: revenue below 500万元
    x = client.get("/policies/item/YP-RD-SUBSIDY/candidates.xlsx")
    ws = load_workbook(io.BytesIO(x.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert any(r[1] == "91310110MA1FPY002H" and r[0] == "near" for r in rows)
    pool = client.get("/policies/pool/").content.decode()
    assert "550000.00" in pool


def test_bank_sees_the_pool(client, demo) -> None:  # type: ignore[no-untyped-def]
    client.force_login(demo["bank_demo"])
    r = client.get("/policies/pool/")
    assert r.status_code == 200 and "演示贷-0001" in r.content.decode()


def test_enterprise_applies_from_its_page(client, plan, demo) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from nengji.policy.models import PolicyItem

    item = PolicyItem.objects.get(plan=plan, code="YP-AI-SCENE")
    today = timezone.localdate()
    item.opens, item.closes = today, today
    item.save()
    client.force_login(demo["enterprise_demo"])
    r = client.post("/policies/mine/", {"item": "YP-AI-SCENE", "note": "=HYPERLINK(1)"})
    assert r.status_code == 302
    app = Application.objects.get(item=item, enterprise__uscc="91310110MA1FPY001E")
    assert app.status == "submitted" and app.verdict["outcome"] == "eligible"
