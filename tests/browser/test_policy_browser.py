"""The enterprise's policy matches in headless Chromium: every item with its outcome, each
clause with its reason and source; the public catalogue; the office's candidates."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_enterprise_sees_its_matches_with_reasons(
    open_page, live_server_url, artifacts_dir, viewport
):
    watched = open_page(viewport)
    page = watched.page
    login(watched, *live_server_url.login_for("enterprise"))
    page.goto(watched.base + "/policies/mine/")
    assert "我的政策匹配" in page.locator("h1").inner_text()
    cards = page.locator("section.match")
    assert cards.count() >= 10
    # eligible items come first, and each clause says why, with its article
    assert cards.first.get_attribute("data-outcome") == "eligible"
    ai = page.locator("#item-YP-AI-SCENE")
    assert ai.get_attribute("data-outcome") == "eligible"
    assert ai.locator("tr.clause.pass").count() == 3
    rent = page.locator("#item-YP-RENT")
    assert rent.get_attribute("data-outcome") == "not_eligible"
    assert "第二条" in rent.locator("tr.clause.fail").first.inner_text()
    assert page.locator(".badge.demo").count() >= 1
    screenshot(page, artifacts_dir, f"policy-matches-zh-{viewport}")
    watched.assert_clean()


def test_public_catalogue_and_office_candidates(open_page, live_server_url, artifacts_dir):
    watched = open_page()
    page = watched.page
    page.goto(watched.base + "/policies/")
    assert page.locator("section.card[id^=group-]").count() == 11  # 1 + 6 + 4
    screenshot(page, artifacts_dir, "policy-catalogue-zh-desktop")
    login(watched, *live_server_url.login_for("office"))
    page.goto(watched.base + "/policies/item/YP-RD-SUBSIDY/")
    assert "杨浦演示智能科技有限公司" in page.content()
    screenshot(page, artifacts_dir, "policy-item-office-zh-desktop")
    page.goto(watched.base + "/policies/pool/")
    screenshot(page, artifacts_dir, "policy-pool-zh-desktop")
    watched.assert_clean()
