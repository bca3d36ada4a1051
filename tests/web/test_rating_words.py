"""One set of rating words everywhere (issue 10): the office's threshold settings are labelled
with the words every page and report shows (符合预期 / 基本符合预期 …), in Chinese and English,
and no catalogue, template or message keeps the old 进展良好 / 进展一般."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from nengji.monitoring.models import MonitoringSettings
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

OLD_WORDS = re.compile("进展良好|进展一般|进展较好|进展缓慢")


def setup_page(client, lang: str) -> str:  # type: ignore[no-untyped-def]
    client.post(reverse("set_language"), {"language": lang, "next": "/"})
    response = client.get("/monitoring/setup/")
    assert response.status_code == 200
    return response.content.decode()


def test_thresholds_are_labelled_with_the_rating_words(client, plan, office_user) -> None:
    client.force_login(office_user)
    zh = setup_page(client, "zh-hans")
    for label in ("符合预期：比值 R ≥", "基本符合预期：比值 R ≥", "符合预期（无目标）：增速 ≥"):
        assert label in zh
    assert not OLD_WORDS.search(zh), OLD_WORDS.findall(zh)
    en = setup_page(client, "en")
    for label in ("on track: ratio R ≥", "broadly on track: ratio R ≥"):
        assert label in en
    assert "moderate-progress" not in en and "moderate growth" not in en


def test_a_wrong_order_is_explained_in_the_same_words(client, plan, office_user) -> None:
    client.force_login(office_user)
    response = client.post(
        "/monitoring/setup/",
        {
            "form": "settings",
            "on_track_ratio": 0.5,
            "moderate_ratio": 0.9,
            "no_target_on_track": 0.02,
            "no_target_moderate": 0.01,
            "change_threshold": 0.3,
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "须满足 0 &lt; “基本符合预期”比值 &lt; “符合预期”比值。" in body
    assert not MonitoringSettings.objects.filter(plan=plan, moderate_ratio=0.9).exists()


def test_no_catalogue_or_template_keeps_other_rating_words() -> None:
    src = ROOT / "src" / "nengji"
    found = [
        f"{path.relative_to(src)}: {sorted(set(OLD_WORDS.findall(path.read_text())))}"
        for pattern in ("*/locale/*/LC_MESSAGES/django.po", "*/templates/**/*.html", "**/*.py")
        for path in src.glob(pattern)
        if OLD_WORDS.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert not found
