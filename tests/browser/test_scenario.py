"""Issue 5's full scenario in headless Chromium against a real server with the demo data.

Office, department reporter and leader log in; the cockpit and each drill-down open; a
department submits a value that the office approves and publishes; the public sees it on the
portal; a public comment is moderated and published; the language is switched; no console
error and no request to another host anywhere. Screenshots of every page, in both languages,
at desktop and phone width, go to artifacts/screenshots/.
"""

from __future__ import annotations

import json
import sqlite3
import urllib.request
from collections.abc import Iterator

import pytest

from tests.browser.conftest import LiveServer, login, require_chromium, running_server, screenshot
from tests.portal.captcha import live_answer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server_url(tmp_path_factory) -> Iterator[LiveServer]:
    """This module's own server with the demo data of `./run` (plan, users, demo monitoring
    reports, the index run computed from them), so other modules' rounds cannot collide."""
    require_chromium()
    setup = [["init", "--demo"], ["round", "demo"], ["init", "--demo"]]
    with running_server(tmp_path_factory.mktemp("cockpit-live"), setup) as server:
        yield server


COCKPIT_PAGES = {
    "cockpit": "/cockpit/",
    "cockpit-index": "/cockpit/index/?DIM_INFLUENCE=2",
    "cockpit-indicator": "/cockpit/indicators/HIGH_TECH_ENTERPRISES/",
    "cockpit-task": "/cockpit/tasks/T01.M1/",
    "cockpit-department": "/cockpit/departments/STC/",
}
PUBLIC_PAGES = {
    "portal": "/open/",
    "open-data": "/open-data/",
    "comments-indicator": "/open/comments/indicator/HIGH_TECH_ENTERPRISES/",
}
LOCALES = {"zh": "zh-CN", "en": "en-US"}


def _charts_drawn(page) -> int:  # type: ignore[no-untyped-def]
    page.wait_for_function("document.querySelectorAll('.chartbox canvas').length > 0")
    return page.locator(".chartbox canvas").count()


def _submission_pk(data_dir, code: str, year: int) -> int:  # type: ignore[no-untyped-def]
    """Which report to open (the reporter would click it in the round list)."""
    with sqlite3.connect(data_dir / "nengji.sqlite3") as db:
        (pk,) = db.execute(
            "select s.id from monitoring_submission s"
            " join monitoring_round r on r.id = s.round_id"
            " join monitoring_assignment a on a.id = s.assignment_id"
            " join plan_indicator i on i.id = a.indicator_id"
            " where i.code = ? and r.year = ? and s.sequence = 1"
            " and a.unit_id is null",  # the district's own report, not a partner base's
            (code, year),
        ).fetchone()
    return int(pk)


def _round_pk(data_dir, year: int) -> int:  # type: ignore[no-untyped-def]
    with sqlite3.connect(data_dir / "nengji.sqlite3") as db:
        (pk,) = db.execute("select id from monitoring_round where year = ?", (year,)).fetchone()
    return int(pk)


def _choose_language(page, base: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    """What the language switch leaves behind: the language cookie."""
    if lang == "en":
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_cockpit_and_portal_page(open_page, live_server_url, artifacts_dir, viewport, lang):
    watched = open_page(viewport, LOCALES[lang])
    page = watched.page
    _choose_language(page, watched.base, lang)  # the browser's locale alone does not switch
    login(watched, *live_server_url.login_for("leader"))
    for name, url in COCKPIT_PAGES.items():
        page.goto(watched.base + url)
        page.wait_for_load_state("networkidle")
        if name in ("cockpit", "cockpit-index", "cockpit-indicator"):
            assert _charts_drawn(page) >= 1, name
            assert page.locator(".demobanner").count() == 1  # demo data says so
        screenshot(page, artifacts_dir, f"{name}-{lang}-{viewport}")
    page.goto(watched.base + "/accounts/login/")
    page.context.clear_cookies()
    _choose_language(page, watched.base, lang)
    for name, url in PUBLIC_PAGES.items():
        page.goto(watched.base + url)
        page.wait_for_load_state("networkidle")
        screenshot(page, artifacts_dir, f"{name}-{lang}-{viewport}")
    html_lang = page.locator("html").get_attribute("lang")
    assert html_lang == ("zh-CN" if lang == "zh" else "en")
    watched.assert_clean()


def test_wall_screen(browser, live_server_url, artifacts_dir):
    context = browser.new_context(viewport={"width": 2560, "height": 1440}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    from tests.browser.conftest import Watched

    watched = Watched(page=page, base=live_server_url.url)
    login(watched, *live_server_url.login_for("leader"))
    page.goto(watched.base + "/cockpit/")
    _charts_drawn(page)
    width = page.evaluate("document.querySelector('main').getBoundingClientRect().width")
    assert width > 2000  # the cockpit uses the whole wall
    screenshot(page, artifacts_dir, "cockpit-zh-wall")
    assert not errors
    context.close()


def test_scenario(open_page, live_server_url, artifacts_dir):
    server = live_server_url
    # -- the office opens the cockpit and each drill-down ------------------------------------
    office = open_page("desktop")
    page = office.page
    login(office, *server.login_for("office"))
    page.goto(office.base + "/cockpit/")
    assert _charts_drawn(page) >= 4
    assert "数据驾驶舱" in page.locator("h1").inner_text()
    assert page.locator("table.indicators tbody tr").count() >= 30
    # keyboard: the first chart is focusable and described
    chart = page.locator(".chartbox").first
    chart.focus()
    assert page.evaluate("document.activeElement.classList.contains('chartbox')")
    assert chart.get_attribute("aria-label")
    # table view of a chart
    page.locator("details.tableview summary").first.click()
    assert page.locator("details.tableview[open] tbody tr").count() >= 10
    # PNG download of a chart
    with page.expect_download() as dl:
        page.locator("button.png").first.click()
    assert dl.value.suggested_filename == "nengji-index.png"
    # CSV download of the same chart
    with page.expect_download() as dl:
        page.locator("a[href='/cockpit/data/index.csv']").click()
    assert dl.value.suggested_filename == "nengji-index.csv"
    # filter the indicators (htmx swaps the table)
    with page.expect_response(lambda r: "partial=indicators" in r.url and "on_track" in r.url):
        page.select_option("select[name=status]", "on_track")
    page.wait_for_load_state("networkidle")
    bands = page.locator("#ind-table .band").all_inner_texts()
    assert bands and all(b.strip() == "符合预期" for b in bands)
    # drill down: indicator, then its department, a task and the index with a what-if
    page.locator("#ind-table tbody a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(office.base + "/cockpit/indicators/")
    page.goto(office.base + "/cockpit/index/")
    page.fill("input[name=DIM_INFLUENCE]", "3")
    page.click("#whatif button.primary")
    page.wait_for_load_state("networkidle")
    assert page.locator("#chart-whatif canvas").count() == 1
    screenshot(page, artifacts_dir, "scenario-index-whatif")
    office.assert_clean()

    # -- a department reporter sees its department and reports a value -----------------------
    reporter = open_page("desktop")
    rpage = reporter.page
    failed: list[str] = []
    rpage.on(
        "response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    login(reporter, *server.login_for("reporter", "STC"))
    rpage.goto(reporter.base + "/cockpit/")
    assert rpage.url.endswith("/cockpit/departments/STC/")
    assert rpage.goto(reporter.base + "/cockpit/departments/DRC/").status == 403
    reporter.console_errors.clear()  # the refusal itself
    pk = _submission_pk(server.data_dir, "HIGH_TECH_ENTERPRISES", 2025)
    rpage.goto(reporter.base + f"/monitoring/reports/{pk}/")
    rpage.fill("#id_value", "3141")
    rpage.fill("#id_explanation", "高新技术企业认定数增加（浏览器测试）")
    rpage.click("button[name=action][value=submit]")
    rpage.wait_for_load_state("networkidle")
    screenshot(rpage, artifacts_dir, "scenario-reporter-submitted")
    assert failed == [f"403 {reporter.base}/cockpit/departments/DRC/"], failed
    reporter.assert_clean()

    # -- the office approves and publishes ---------------------------------------------------
    page.goto(office.base + f"/monitoring/reports/{pk}/")
    page.click("button[name=action][value=approve]")
    page.wait_for_load_state("networkidle")
    page.goto(office.base + f"/monitoring/rounds/{_round_pk(server.data_dir, 2025)}/")
    page.click("details.publish summary")  # the panel says what will and will not be published
    page.check("details.publish input[name=confirm]")
    page.locator("form[action$='/publish/'] button").click()
    page.wait_for_load_state("networkidle")
    page.goto(office.base + "/cockpit/indicators/HIGH_TECH_ENTERPRISES/")
    assert "3,141" in page.content() or "3141" in page.content()

    # -- the public sees it ------------------------------------------------------------------
    public = open_page("phone")
    ppage = public.page
    ppage.goto(public.base + "/open/")
    row = ppage.locator("#indicators tr", has_text="高新技术企业")
    assert "3,141" in row.first.inner_text() or "3141" in row.first.inner_text()
    with urllib.request.urlopen(server.url + "/open-data/indicators.json") as resp:  # noqa: S310
        rows = json.load(resp)["rows"]
    (hte,) = [r for r in rows if r["code"] == "HIGH_TECH_ENTERPRISES"]
    assert (hte["latest_year"], hte["latest_value"]) == (2025, 3141.0)
    screenshot(ppage, artifacts_dir, "scenario-portal-published")

    # -- the public comments; the office moderates and replies --------------------------------
    ppage.goto(public.base + "/open/comments/indicator/HIGH_TECH_ENTERPRISES/")
    ppage.fill("#id_name", "杨浦居民")
    ppage.fill("#id_text", "<b>建议</b>公布各街道的高新技术企业数")
    live_answer(server.data_dir, ppage)  # the CAPTCHA, read as the person reads the picture
    ppage.click(".commentform button[type=submit]")
    ppage.wait_for_load_state("networkidle")
    assert "审核后" in ppage.locator(".messages").inner_text()
    assert "公布各街道" not in ppage.locator(".comment").all_inner_texts().__str__()
    page.goto(office.base + "/open/moderation/")
    card = page.locator("article.comment-mod", has_text="公布各街道").first
    assert "<b>建议</b>" in card.inner_text()  # shown as text, not markup
    card.locator("button[value=approve]").click()
    page.wait_for_load_state("networkidle")
    card = page.locator("article.comment-mod", has_text="公布各街道").first
    card.locator("textarea").fill("感谢建议，将在年度监测报告中公布。")
    card.locator("button[value=reply]").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, artifacts_dir, "scenario-moderation")
    ppage.reload()
    comment = ppage.locator("article.comment").first
    assert "<b>建议</b>公布各街道的高新技术企业数" in comment.inner_text()
    assert "感谢建议" in comment.inner_text()
    screenshot(ppage, artifacts_dir, "scenario-comment-published")

    # -- switch language ---------------------------------------------------------------------
    ppage.click(".langswitch button")
    ppage.wait_for_load_state("networkidle")
    assert ppage.locator("h1").inner_text().startswith("Public comments")
    public.assert_clean()

    # -- a leader reads the cockpit ------------------------------------------------------------
    leader = open_page("phone")
    lpage = leader.page
    login(leader, *server.login_for("leader"))
    lpage.goto(leader.base + "/cockpit/")
    assert _charts_drawn(lpage) >= 4
    assert lpage.locator(".kpi").count() == 4
    screenshot(lpage, artifacts_dir, "scenario-leader-phone")
    leader.assert_clean()
    office.assert_clean()
