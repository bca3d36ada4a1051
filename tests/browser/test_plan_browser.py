"""The plan browser in headless Chromium, in both languages and at desktop and phone width."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_plan_browser_in_chinese_and_english(open_page, artifacts_dir, viewport):
    watched = open_page(viewport)
    page = watched.page
    page.goto(watched.base + "/plan/")
    assert page.locator("section.area").count() == 5
    assert page.locator("details.task").count() == 12
    assert page.locator("article.measure").count() >= 24
    assert "主要任务与举措" in page.locator("h1").inner_text()
    screenshot(page, artifacts_dir, f"plan-browser-zh-{viewport}")

    page.click(".langswitch button")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Tasks and measures"
    assert page.locator("section.area").count() == 5
    screenshot(page, artifacts_dir, f"plan-browser-en-{viewport}")
    watched.assert_clean()


def test_source_link_highlights_the_quote(open_page, artifacts_dir):
    watched = open_page()
    page = watched.page
    page.goto(watched.base + "/plan/")
    page.locator("#T01\\.M1 .src a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("mark#hl").inner_text().startswith("打造区校融合升级版")
    screenshot(page, artifacts_dir, "plan-source-highlight")
    watched.assert_clean()


def test_home_indicators_and_login(open_page, live_server_url, artifacts_dir):
    watched = open_page()
    page = watched.page
    page.goto(watched.base + "/")
    assert "杨浦区提升科技创新能级" in page.locator("h1").inner_text()
    screenshot(page, artifacts_dir, "home-zh-desktop")
    page.goto(watched.base + "/indicators/")
    assert page.locator("tbody tr").count() >= 30
    screenshot(page, artifacts_dir, "indicators-zh-desktop")
    login(watched, *live_server_url.login_for("reporter"))
    page.goto(watched.base + "/departments/")
    assert page.locator("tbody tr").count() >= 10
    screenshot(page, artifacts_dir, "departments-zh-desktop")
    watched.assert_clean()
