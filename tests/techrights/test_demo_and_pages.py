"""The flagged demo story, and the pages each role works on."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from nengji.accounts.models import User
from nengji.techrights.demo import demo_techrights_ensure
from nengji.techrights.models import (
    Achievement,
    Certificate,
    ContractStatus,
    Mode,
    TechContract,
    Transaction,
)
from nengji.techrights.selectors import certificate_check
from tests.django_fixtures import YANGPU

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(key_data_dir: Path) -> None:
    from nengji.plan.packages import demo_dir, package_path

    assert demo_techrights_ensure(demo_dir=demo_dir(package_path(YANGPU)), data_dir=key_data_dir)


def test_the_demo_has_two_universities_every_mode_and_valid_certificates(demo, key_data_dir):  # type: ignore[no-untyped-def]
    institutions = set(Achievement.objects.values_list("institution__name_zh", flat=True))
    assert {"复旦大学", "同济大学"} <= institutions
    assert set(Transaction.objects.values_list("mode", flat=True)) == set(Mode.values)
    assert all(a.is_demo for a in Achievement.objects.all())
    statuses = set(TechContract.objects.values_list("status", flat=True))
    assert {
        ContractStatus.REGISTERED,
        ContractStatus.REFUSED,
        ContractStatus.SUBMITTED,
        ContractStatus.EXPERT_REVIEW,
    } <= statuses
    certs = list(Certificate.objects.all())
    assert certs and all(c.is_demo for c in certs)
    assert all(certificate_check(c).ok for c in certs)
    # run twice: nothing is added
    from nengji.plan.packages import demo_dir, package_path

    assert not demo_techrights_ensure(
        demo_dir=demo_dir(package_path(YANGPU)), data_dir=key_data_dir
    )


def login(client, username: str):  # type: ignore[no-untyped-def]
    client.force_login(User.objects.get(username=username))
    return client


def test_each_role_sees_its_page(demo, client):  # type: ignore[no-untyped-def]
    home = reverse("techrights:home")
    assert client.get(home).status_code == 302  # login first
    page = login(client, "tr-fudan").get(home).content.decode()
    assert "柔性钙钛矿" in page and "燃料电池汽车氢气循环" not in page  # only its own
    assert "演示数据" in page
    page = login(client, "tr-tongji").get(home).content.decode()
    assert "燃料电池汽车氢气循环" in page and "柔性钙钛矿" not in page
    page = login(client, "tr-exchange").get(home).content.decode()
    assert "SSTE-DEMO-2025-0001" in page and "GP-DEMO-2024-1008" in page
    page = login(client, "tr-registrar").get(home).content.decode()
    assert "overdue" in page or "逾期" in page
    page = login(client, "tr-enterprise").get(home).content.decode()
    assert "柔性钙钛矿" in page  # it bought the patent


def test_rights_as_of_a_date_on_the_achievement_page(demo, client):  # type: ignore[no-untyped-def]
    a = Achievement.objects.get(identifier="ZL209910000001.3")
    login(client, "tr-exchange")
    url = reverse("techrights:achievement", kwargs={"pk": a.pk})
    before = client.get(url, {"as_of": "2025-01-15"}).content.decode()
    after = client.get(url, {"as_of": "2025-01-16"}).content.decode()
    assert "复旦大学: <strong>100 %" in before
    assert "上海曜能新材料科技有限公司（演示）: <strong>100 %" in after
    assert client.get(url, {"as_of": "garbage"}).status_code == 200
    # another university's office cannot open it
    assert login(client, "tr-tongji").get(url).status_code == 404


def test_the_registrar_decides_on_the_page(demo, client):  # type: ignore[no-untyped-def]
    c = TechContract.objects.get(status=ContractStatus.SUBMITTED, title__contains="可靠性测试")
    url = reverse("techrights:contract", kwargs={"pk": c.pk})
    # the seller sees it but cannot decide
    login(client, "tr-fudan")
    assert client.get(url).status_code == 200
    client.post(url, {"action": "register"})
    c.refresh_from_db()
    assert c.status == ContractStatus.SUBMITTED
    login(client, "tr-registrar")
    res = client.post(url, {"action": "refuse", "note": ""})
    assert res.status_code == 200 and "note" in res.content.decode()
    res = client.post(url, {"action": "register"})
    assert res.status_code == 302
    c.refresh_from_db()
    assert c.status == ContractStatus.REGISTERED and c.certificates.count() == 1
    # another seller's office sees nothing
    assert login(client, "tr-tongji").get(url).status_code == 404


def test_forms_of_the_transfer_office(demo, client):  # type: ignore[no-untyped-def]
    login(client, "tr-tongji")
    res = client.post(
        reverse("techrights:achievement-new"),
        {
            "kind": "patent",
            "title": "一种测试方法",
            "identifier": "ZL209910000099.9",
            "inventors": "甲，乙",
            "service": "on",
            "registered_on": "2026-05-06",
            "owner0": "DEMO-TR-TONGJI",
            "share0": "60",
            "owner1": "DEMO-TR-E04",
            "share1": "30",
        },
    )
    assert res.status_code == 200 and "100" in res.content.decode()  # shares add up to 90
    assert not Achievement.objects.filter(identifier="ZL209910000099.9").exists()
    res = client.post(
        reverse("techrights:achievement-new"),
        {
            "kind": "patent",
            "title": "一种测试方法",
            "identifier": "ZL209910000099.9",
            "inventors": "甲，乙",
            "service": "on",
            "registered_on": "2026-05-06",
            "owner0": "DEMO-TR-TONGJI",
            "share0": "70",
            "owner1": "DEMO-TR-E04",
            "share1": "30",
        },
    )
    assert res.status_code == 302
    res = client.post(reverse("techrights:contract-new"), {"title": "x", "text": "短"})
    assert res.status_code == 200 and TechContract.objects.filter(title="x").count() == 0
    # enterprises and the public have no such forms
    assert (
        login(client, "tr-enterprise").get(reverse("techrights:achievement-new")).status_code == 404
    )
