"""The reports page in headless Chromium against a real gunicorn server: the office asks for a
report, the job runs in its background thread, the page refreshes until the download appears."""

from __future__ import annotations

import docx
import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_office_generates_and_downloads_a_report(
    open_page, live_server_url, artifacts_dir, tmp_path
):
    watched = open_page()
    page = watched.page
    login(watched, *live_server_url.login_for("office"))
    page.goto(watched.base + "/reports/")
    assert "报告" in page.locator("h1").inner_text()
    page.select_option("select[name=kind]", "annual")
    page.select_option("select[name=year]", "2023")
    page.check("input[name=fmt][value=docx]")
    screenshot(page, artifacts_dir, "reports-form-zh-desktop")
    page.click("form.reportform button[type=submit]")
    page.wait_for_selector("#job a.button", timeout=90_000)  # the page refreshes itself
    assert "已完成" in page.locator("#job").inner_text()
    screenshot(page, artifacts_dir, "reports-job-done-zh-desktop")
    with page.expect_download() as info:
        page.click("#job a.button")
    path = tmp_path / "report.docx"
    info.value.save_as(path)
    assert docx.Document(path).paragraphs[1].text == "2023年度实施监测报告"
    page.goto(watched.base + "/reports/")
    assert page.locator("tbody tr").count() >= 1
    page.click(".langswitch button")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Reports"
    screenshot(page, artifacts_dir, "reports-list-en-desktop")
    watched.assert_clean()


def test_leader_sees_reports_but_no_form(open_page, live_server_url):
    watched = open_page("phone")
    page = watched.page
    login(watched, *live_server_url.login_for("leader"))
    page.goto(watched.base + "/reports/")
    assert page.locator("form.reportform").count() == 0
    watched.assert_clean()
