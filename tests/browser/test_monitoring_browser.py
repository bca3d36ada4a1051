"""A round in a real browser: the office opens it, a department reports (one error first),
the office approves and publishes, the public reads the result. Screenshots in artifacts/."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_round_in_the_browser(open_page, live_server_url, artifacts_dir):
    office = open_page()
    login(office, *live_server_url.login_for("office"))
    page = office.page
    page.goto(office.base + "/monitoring/setup/")
    page.select_option("select[name=item]", "i:HIGH_TECH_ENTERPRISES")
    page.select_option("select[name=lead]", label="STC 区科委")
    page.locator("form.setup").first.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "HIGH_TECH_ENTERPRISES" in page.content()
    page.goto(office.base + "/monitoring/")
    page.fill("#id_year", "2021")
    page.fill("#id_deadline", "2022-03-31T17:00")
    page.click("form[action$='/rounds/open/'] button")
    page.wait_for_load_state("networkidle")
    assert "轮次 2021" in page.locator("h1").inner_text()
    screenshot(page, artifacts_dir, "monitoring-round-office")

    reporter = open_page()
    login(reporter, *live_server_url.login_for("reporter", "STC"))
    rpage = reporter.page
    rpage.goto(office.base + "/monitoring/")
    rpage.click("text=2021")
    # names lead, the code is small beside the link: open the report through its row's link
    rpage.locator("tr", has_text="HIGH_TECH_ENTERPRISES").first.locator("a").first.click()
    rpage.fill("#id_value", "3000")
    rpage.click("button[value=submit]")
    rpage.wait_for_load_state("networkidle")
    assert rpage.locator("ul.errors li[data-field=explanation]").count() == 1
    screenshot(rpage, artifacts_dir, "monitoring-report-error")
    rpage.fill("#id_value", "1100")
    rpage.click("button[value=submit]")
    rpage.wait_for_load_state("networkidle")
    assert "已提交" in rpage.content()

    page.goto(office.base + "/monitoring/review/")
    page.click("text=HIGH_TECH_ENTERPRISES")
    page.click("button[value=approve]")
    page.wait_for_load_state("networkidle")
    page.click("text=2021")
    page.click("text=发布审核通过的数据")  # opens the panel that says what will be published
    page.check("details.publish input[name=confirm]")
    page.locator("details.publish button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "已发布" in page.content()

    public = open_page("phone")
    public.page.goto(public.base + "/monitoring/published/")
    row = public.page.locator("tr.indicator[data-code=HIGH_TECH_ENTERPRISES]")
    why = public.page.locator("tr.why[data-code=HIGH_TECH_ENTERPRISES]")
    assert "1100" in row.inner_text() and "符合预期" in row.inner_text()
    assert "年均增长" in why.inner_text()
    screenshot(public.page, artifacts_dir, "monitoring-published-phone")
    for w in (office, reporter, public):
        w.assert_clean()
