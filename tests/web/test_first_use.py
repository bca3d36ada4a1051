"""Issue 16, first use: what the office, a leader and a citizen meet. Each test fails on the
defect it names (public downloads behind a login, an empty "latest report" column, a computed
index shown as missing, demo values called official, bare English error pages)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import RequestFactory

from nengji.cockpit.selectors import index_view
from nengji.indexing.services import index_run_compute
from tests.django_fixtures import demo_monitoring, load_demo_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(plan):  # type: ignore[no-untyped-def]
    load_demo_panel()
    return index_run_compute(plan=plan, trigger="demo")


def _row(html: str, code: str) -> str:
    match = re.search(rf'<tr data-code="{code}">(.*?)</tr>', html, re.S)
    assert match, code
    return match.group(1)


class TestPublicDownloads:
    def test_chart_downloads_on_the_public_page_are_open_data(self, client, run):
        html = client.get("/open/").content.decode()
        assert "/cockpit/data/" not in html
        links = re.findall(r'href="(/open-data/charts/[^"]+)"', html)
        assert {"/open-data/charts/index.csv", "/open-data/charts/tasks-area.xlsx"} <= set(links)
        for link in links:
            response = client.get(link.replace("&amp;", "&"))
            assert response.status_code == 200, link
        text = client.get("/open-data/charts/index.csv").content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) > 5  # a header and one row per year of the index

    def test_unknown_public_chart_or_format_is_404(self, client, run):
        assert client.get("/open-data/charts/waterfall.csv").status_code == 404
        assert client.get("/open-data/charts/index.exe").status_code == 404


def test_portal_index_row_shows_the_computed_index(client, plan, run):
    code = index_view(plan).official_code
    assert code
    row = _row(client.get("/open/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode(), code)
    assert "数据不足" not in row
    latest = index_view(plan).latest
    assert latest is not None
    assert f"{latest:.1f}" in row
    assert "演示" in row


def test_index_page_never_calls_demo_values_official(client, leader_user, run):
    client.force_login(leader_user)
    html = client.get("/cockpit/index/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "官方 v" not in html
    assert "演示" in html


def test_department_latest_report_while_the_new_round_is_a_draft(
    client, leader_user, office_user, plan
):
    demo_monitoring(by=office_user)
    client.force_login(leader_user)
    html = client.get("/cockpit/departments/STC/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    assert len(rows) > 20
    last_cells = [re.findall(r"<td>(.*?)</td>", r, re.S)[-1].strip() for r in rows]
    assert all(cell and cell != "—" for cell in last_cells), last_cells[:3]
    assert all("已审核通过" in cell for cell in last_cells)


class TestErrorPages:
    @pytest.mark.parametrize("lang, text", [("zh-hans", "页面不存在"), ("en", "Page not found")])
    def test_404_in_the_site_layout_and_language(self, client, settings, lang, text):
        settings.DEBUG = False
        client.cookies["django_language"] = lang
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        html = response.content.decode()
        assert 'class="topbar"' in html
        assert text in html
        assert 'href="/"' in html

    def test_403_offers_home_in_the_site_layout(self, client, settings, reporter_user, plan):
        settings.DEBUG = False
        client.force_login(reporter_user)
        client.cookies["django_language"] = "zh-hans"
        response = client.get("/cockpit/index/")
        assert response.status_code == 403
        html = response.content.decode()
        assert 'class="topbar"' in html
        assert "无权访问" in html

    def test_500_renders_even_without_a_working_request_context(self, db):
        from nengji.web.errors import server_error

        request = RequestFactory().get("/", HTTP_REFERER="https://elsewhere.example/x")
        response = server_error(request)
        assert response.status_code == 500
        html = response.content.decode()
        assert 'class="topbar"' in html
        assert "elsewhere.example" not in html  # the way back never leads off-site
