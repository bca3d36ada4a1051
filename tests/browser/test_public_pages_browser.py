"""Issue 16 (pages2) in a real browser: the public indicator and task pages, the plan pages that
link to them, the comment form with its challenge and the office's site footer. Each page fits a
phone and a desktop in both languages, makes no foreign request and logs no script error;
screenshots land in the artefacts for a person to look at."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

PAGES = [
    "/open/",
    "/open/indicators/INVENTION_PATENTS_PER_10K/",
    "/open/indicators/UNIVERSITY_SCIENCE_PARK_FLAGSHIPS/",
    "/open/tasks/T01/",
    "/open/tasks/T01.M1/",
    "/plan/",
    "/plan/T01.M1/",
    "/indicators/",
    "/open/comments/task/T01/",
]


def _width(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("document.documentElement.scrollWidth"))


@pytest.mark.parametrize("viewport, width", [("phone", 390), ("desktop", 1366)])
@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_public_pages_fit_and_stay_local(open_page, artifacts_dir, viewport, width, locale):
    watched = open_page(viewport, locale=locale)
    page = watched.page
    lang = "zh-hans" if locale == "zh-CN" else "en"
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": watched.base}])
    too_wide = {}
    for url in PAGES:
        response = page.goto(watched.base + url)
        assert response is not None and response.status == 200, url
        page.wait_for_load_state("networkidle")
        if _width(page) > width:
            too_wide[url] = _width(page)
        name = "pages2" + url.replace("/", "_").replace(".", "-") + f"-{lang}-{viewport}"
        screenshot(page, artifacts_dir, name)
    assert not too_wide, too_wide
    watched.assert_clean()


def test_task_heading_on_the_plan_leads_to_its_page(open_page):
    watched = open_page("phone")
    page = watched.page
    page.goto(watched.base + "/plan/")
    page.click('#T01 summary a[href="/open/tasks/T01/"]')
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/open/tasks/T01/")
    assert page.locator("#lead").count() == 1
    assert page.locator('a[href="/open/comments/task/T01/"]').count() >= 1
