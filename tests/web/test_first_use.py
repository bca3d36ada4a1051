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
from tests.portal.captcha import solved

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


# ---- confusing: names before codes, readable audit, numbers as entered ---------------------------


def test_indicator_and_department_tables_lead_with_names(client, plan, reporter_user):
    html = client.get("/indicators/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    row = re.search(r'<tr id="INVENTION_PATENTS_PER_10K">(.*?)</tr>', html, re.S)
    assert row
    first_cell = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)[0]
    # the name leads (a link to the indicator's public page), the code follows
    assert re.sub(r"<[^>]+>", "", first_cell).strip().startswith("每万人发明专利拥有量")
    assert '<small class="code">INVENTION_PATENTS_PER_10K</small>' in first_cell
    client.force_login(reporter_user)
    client.cookies["django_language"] = "en"
    html = client.get("/departments/").content.decode()
    assert "district_body" not in html and "functional_zone" not in html
    assert "district government body" in html


def _draft_of_2025(office_user):  # type: ignore[no-untyped-def]
    from nengji.monitoring.models import Submission

    demo_monitoring(by=office_user)
    return (
        Submission.objects.filter(
            round__year=2025,
            assignment__indicator__code="INVENTION_PATENTS_PER_10K",
            assignment__unit__isnull=True,  # the plan's own report, not a benchmark region's
        )
        .select_related("department")
        .get()
    )


def test_report_form_shows_value_as_entered_and_last_period(client, plan, office_user):
    from decimal import Decimal

    from nengji.accounts.models import User

    sub = _draft_of_2025(office_user)
    sub.value = Decimal("7")
    sub.save(update_fields=["value"])
    reporter = User.objects.create_user(
        username="rep_first_use",
        password="pw-first-use",
        role="reporter",
        organisation=sub.department.organisation,
    )
    client.force_login(reporter)
    client.cookies["django_language"] = "zh-hans"
    html = client.get(f"/monitoring/reports/{sub.pk}/").content.decode()
    assert 'value="7"' in html
    assert "7.000000" not in html
    assert "data-previous" in html and "上期（2024）" in html
    h1 = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert h1 and h1.group(1).strip().startswith("每万人发明专利拥有量")


def test_audit_log_shows_changes_in_the_users_language(client, plan, office_user):
    demo_monitoring(by=office_user)
    client.force_login(office_user)
    client.cookies["django_language"] = "zh-hans"
    html = client.get("/monitoring/audit/").content.decode()
    table = html.split("<tbody>", 1)[1]
    assert "{&#x27;" not in table and "{'" not in table  # no raw Python dictionaries
    assert "demo_seed" not in table
    assert "生成演示数据" in table and "开启" in table
    assert 'class="field">年份</span>' in table


def test_audit_changes_lists_only_what_differs():
    from nengji.monitoring.audit_display import audit_changes

    changes = audit_changes(
        {"status": "submitted", "value": "7.000000", "year": 2025},
        {"status": "approved", "value": "7.000000", "year": 2025},
    )
    assert [(c.field, c.before, c.after) for c in changes] == [("status", "submitted", "approved")]
    (created,) = audit_changes(None, {"value": "12.500000"})
    assert (created.before, created.after) == ("—", "12.5")


# ---- missing: what waits for the office, what publishing does, the comment rules ----------------


def test_office_menu_counts_comments_and_reports_waiting(client, plan, office_user, leader_user):
    answer = solved(client, "/open/comments/plan/")
    client.post("/open/comments/plan/", {"name": "", "text": "请公开每年的指标数据。", **answer})
    client.force_login(office_user)
    html = client.get("/plan/").content.decode()
    moderation = re.search(r'<a href="/open/moderation/"[^>]*>(.*?)</a>', html, re.S)
    assert moderation and '<span class="count"' in moderation.group(1)
    assert re.search(r'class="count"[^>]*>1</span>', moderation.group(1))
    client.force_login(leader_user)  # only the office is asked to act
    assert 'class="count"' not in client.get("/plan/").content.decode()


def test_publish_says_what_will_and_will_not_be_published(client, plan, office_user):
    from nengji.monitoring.models import Round

    demo_monitoring(by=office_user)
    rnd = Round.objects.get(plan=plan, year=2025)
    client.force_login(office_user)
    client.cookies["django_language"] = "zh-hans"
    html = client.get(f"/monitoring/rounds/{rnd.pk}/").content.decode()
    form = html.split('<details class="card publish">', 1)[1].split("</details>", 1)[0]
    assert "将在公开页面和开放数据中发布 0 份" in form
    assert re.search(r"\d+ 份未审核通过的报送（草稿、已退回或待审核）不会发布", form)
    assert re.search(r'<input type="checkbox" name="confirm" value="1" required>', form)


def test_comment_page_states_the_moderation_rules_and_the_limit(client, plan):
    from nengji.portal.services import MAX_TEXT

    client.cookies["django_language"] = "zh-hans"
    html = client.get("/open/comments/plan/").content.decode()
    assert "意见处理规则" in html
    assert f"最多 {MAX_TEXT} 字" in html
    assert f'maxlength="{MAX_TEXT}"' in html
