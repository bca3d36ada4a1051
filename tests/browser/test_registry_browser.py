"""The registry in headless Chromium: the offline map (the district's boundary and the
carriers drawn from our own static files and the page's data, the stage filter changing what
is drawn, no request leaving the server) and the enterprise's own view (its page, its gap to
the next stage, the figures form), at 390 and 1366 px, in Chinese and English."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser

LOCALES = {"zh": "zh-CN", "en": "en"}
LANG_COOKIE = {"zh": "zh-hans", "en": "en"}


def _language(watched: Any, lang: str) -> None:
    watched.page.context.add_cookies(
        [{"name": "django_language", "value": LANG_COOKIE[lang], "url": watched.base}]
    )


CHART_STATE = """() => {
  const el = document.getElementById("registry-map");
  const chart = window.echarts && window.echarts.getInstanceByDom(el);
  if (!chart) { return null; }
  const option = chart.getOption();
  const points = option.series.flatMap((s) => s.data);
  const canvas = el.querySelector("canvas");
  return {
    boundary: !!window.echarts.getMap("district"),
    features: window.echarts.getMap("district").geoJSON.features.length,
    geo: option.geo.length,
    points: points.length,
    enterprises: points.reduce((n, p) => n + (p.value[2] || 0), 0),
    canvas: canvas ? [canvas.width, canvas.height] : null,
    scripts: Array.from(document.scripts).map((s) => s.src).filter(Boolean),
  };
}"""


def _chart(page: Any) -> dict[str, Any]:
    page.wait_for_function("() => !!document.querySelector('#registry-map canvas')")
    state = page.evaluate(CHART_STATE)
    assert state is not None, "no ECharts instance on the map"
    return state  # type: ignore[no-any-return]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_map_draws_boundary_and_carriers_offline(
    open_page, live_server_url, artifacts_dir, viewport, lang
):
    watched = open_page(viewport, LOCALES[lang])
    _language(watched, lang)
    page = watched.page
    login(watched, *live_server_url.login_for("office"))
    page.goto(watched.base + "/registry/map/")
    page.wait_for_load_state("networkidle")
    state = _chart(page)
    assert state["boundary"] and state["features"] >= 1 and state["geo"] == 1
    assert state["points"] >= 9  # the plan's 4+4+1 and the demo carriers
    assert state["enterprises"] > 0
    assert state["canvas"] and min(state["canvas"]) > 100
    # ECharts and our script come from this server's static files
    assert state["scripts"] and all(s.startswith(watched.base) for s in state["scripts"])
    assert any("echarts" in s for s in state["scripts"])
    screenshot(page, artifacts_dir, f"registry-map-{lang}-{viewport}")
    watched.assert_clean()


def test_map_filter_changes_what_is_drawn(open_page, live_server_url):
    watched = open_page()
    page = watched.page
    login(watched, *live_server_url.login_for("office"))
    page.goto(watched.base + "/registry/map/")
    everyone = _chart(page)["enterprises"]
    page.select_option("select[name=stage]", "high_tech")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "stage=high_tech" in page.url
    high_tech = _chart(page)["enterprises"]
    assert 0 < high_tech < everyone
    # a click on a carrier leads to the list of its enterprises, filtered the same way
    url = page.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById("registry-map"))
             .getOption().series.flatMap((s) => s.data).find((p) => p.value[2] > 0).url"""
    )
    assert "carrier=" in url and "stage=high_tech" in url
    page.goto(watched.base + url)
    assert page.locator("table tbody tr").count() >= 1
    watched.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_enterprise_sees_itself_its_gap_and_its_form(
    open_page, live_server_url, artifacts_dir, viewport, lang
):
    watched = open_page(viewport, LOCALES[lang])
    _language(watched, lang)
    page = watched.page
    login(watched, "enterprise_demo", live_server_url.logins["enterprise_demo"][1])
    page.goto(watched.base + "/registry/")
    page.wait_for_load_state("networkidle")
    assert "/registry/e/" in page.url  # its own page, not the office's list
    own = page.url
    assert page.locator("ol.ladder li[aria-current=step]").count() == 1
    # the next stage's clauses, each with its numbers in words
    first = page.locator("section.assessment").first
    assert first.locator("li.clause").count() >= 3
    assert first.locator("small").first.inner_text().strip() != ""  # its source
    # against a stage it does not meet: a failing clause says how far it is
    page.select_option("form.filters select[name=stage]", "little_giant")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    failing = page.locator("section.assessment li.clause.fail")
    assert failing.count() >= 1
    short = "尚差" if lang == "zh" else "Short by"
    assert any(short in failing.nth(i).inner_text() for i in range(failing.count()))
    screenshot(page, artifacts_dir, f"registry-enterprise-{lang}-{viewport}")
    # the figures form refuses figures that contradict each other, naming the field
    page.goto(own)
    page.fill("form.figures input[name=employees]", "10")
    page.fill("form.figures input[name=st_staff]", "99")
    page.click("form.figures button[type=submit]")
    page.wait_for_load_state("networkidle")
    alert = page.locator("form.figures [role=alert]")
    assert alert.count() == 1 and "st_staff" in alert.inner_text()
    screenshot(page, artifacts_dir, f"registry-enterprise-form-{lang}-{viewport}")
    # another enterprise's page does not exist for it
    response = page.goto(watched.base + "/registry/e/91310110MA1FPY003L/")
    assert response is not None and response.status == 404
    watched.console_errors.clear()  # the 404 itself is logged by the browser
    watched.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_import_page_checks_and_previews(open_page, live_server_url, artifacts_dir, viewport, lang):
    """The office's upload: a bad file lists its problems by row and field; a good one is
    previewed with a confirmation (not confirmed here: the shared server's data stays as is)."""
    watched = open_page(viewport, LOCALES[lang])
    _language(watched, lang)
    page = watched.page
    login(watched, *live_server_url.login_for("office"))
    page.goto(watched.base + "/registry/import/")
    header = "统一社会信用代码,企业名称,成立日期,年份,职工总数,科技人员数,营业收入"
    bad = f"{header}\n91310110MB0000001X,甲公司,2018-01-02,2023,5,9,-3\n"
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": bad.encode("utf-8")}],
    )
    page.click("form.upload button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("tr.import-error").count() >= 1
    screenshot(page, artifacts_dir, f"registry-import-errors-{lang}-{viewport}")
    good = f"{header}\n91310110MB0000001Q,浏览器测试公司,2018-01-02,2023,50,9,300\n"
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "good.csv", "mimeType": "text/csv", "buffer": good.encode("utf-8")}],
    )
    page.click("form.upload button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#import-preview input[name=token]").count() == 1
    screenshot(page, artifacts_dir, f"registry-import-preview-{lang}-{viewport}")
    watched.assert_clean()
