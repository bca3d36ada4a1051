"""Issue 16 in a real browser: every page fits a phone and a desktop in both languages, the
public downloads answer without a login, error pages carry the site's header."""

from __future__ import annotations

import urllib.request

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser

PUBLIC = ["/", "/open/", "/indicators/", "/plan/", "/open-data/", "/open/comments/plan/"]
OFFICE = [
    "/cockpit/",
    "/departments/",
    "/monitoring/",
    "/monitoring/alerts/",
    "/monitoring/audit/",
    "/monitoring/setup/",
    "/open/moderation/",
]


def _width(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("document.documentElement.scrollWidth"))


@pytest.mark.parametrize("viewport, width", [("phone", 390), ("desktop", 1366)])
@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_no_page_is_wider_than_its_viewport(
    open_page, live_server_url, artifacts_dir, viewport, width, locale
):
    watched = open_page(viewport, locale=locale)
    page = watched.page
    lang = "zh-hans" if locale == "zh-CN" else "en"
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": watched.base}])
    too_wide = {}
    for url in PUBLIC:
        page.goto(watched.base + url)
        page.wait_for_load_state("networkidle")
        if _width(page) > width:
            too_wide[url] = _width(page)
        name = f"first-use-public{url.replace('/', '_')}-{lang}-{viewport}"
        screenshot(page, artifacts_dir, name)
    login(watched, *live_server_url.login_for("office"))
    for url in OFFICE:
        page.goto(watched.base + url)
        page.wait_for_load_state("networkidle")
        if _width(page) > width:
            too_wide[url] = _width(page)
        name = f"first-use-office{url.replace('/', '_')}-{lang}-{viewport}"
        screenshot(page, artifacts_dir, name)
    assert not too_wide, too_wide


def test_public_chart_downloads_answer_without_login(open_page):
    watched = open_page()
    page = watched.page
    page.goto(watched.base + "/open/")
    links = page.eval_on_selector_all(".downloads a", "els => els.map(e => e.href)")
    assert links
    for link in links:
        with urllib.request.urlopen(link, timeout=20) as response:  # noqa: S310 - local server
            assert response.status == 200, link
            assert "/accounts/login/" not in response.url


@pytest.mark.parametrize("locale, title", [("zh-CN", "页面不存在"), ("en", "Page not found")])
def test_error_page_has_the_site_header(open_page, artifacts_dir, locale, title):
    watched = open_page("phone", locale=locale)
    page = watched.page
    lang = "zh-hans" if locale == "zh-CN" else "en"
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": watched.base}])
    response = page.goto(watched.base + "/no-such-page/")
    assert response is not None and response.status == 404
    assert page.locator("header.topbar").count() == 1
    assert page.locator("h1").inner_text() == title
    screenshot(page, artifacts_dir, f"first-use-404-{lang}-phone")
