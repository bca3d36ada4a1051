"""The cockpit through its real URLs: access per role, content, filters, drill-downs, downloads
and bounded query counts."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from nengji.indexing.services import index_run_compute
from tests.django_fixtures import load_demo_panel
from tests.indexing.publish import publish_value

pytestmark = pytest.mark.django_db

MAX_QUERIES_HOME = 20


@pytest.fixture
def run(plan):  # type: ignore[no-untyped-def]
    load_demo_panel()
    return index_run_compute(plan=plan, trigger="demo")


@pytest.fixture
def leader_client(client, leader_user):  # type: ignore[no-untyped-def]
    client.force_login(leader_user)
    return client


class TestAccess:
    def test_anonymous_is_sent_to_login(self, client, run):
        response = client.get("/cockpit/")
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_reporter_sees_only_own_department(self, client, reporter_user, run):
        client.force_login(reporter_user)
        response = client.get("/cockpit/")
        assert response.status_code == 302
        assert response["Location"] == "/cockpit/departments/STC/"
        assert client.get("/cockpit/departments/STC/").status_code == 200
        assert client.get("/cockpit/departments/DRC/").status_code == 403
        assert client.get("/cockpit/index/").status_code == 403
        assert client.get("/cockpit/data/index.csv").status_code == 403

    @pytest.mark.parametrize("who", ["leader_user", "office_user"])
    def test_office_and_leaders_see_everything(self, client, request, who, run):
        client.force_login(request.getfixturevalue(who))
        for url in ("/cockpit/", "/cockpit/index/", "/cockpit/departments/DRC/"):
            assert client.get(url).status_code == 200, url


class TestCockpitHome:
    def test_shows_index_official_figure_and_demo_label(self, leader_client, run):
        html = leader_client.get("/cockpit/").content.decode()
        assert "演示数据" in html
        assert "261.4" in html  # the plan's published 2019 value, beside the computed series
        assert 'data-chart="chart-index-o"' in html
        assert 'id="chart-waterfall-o"' in html
        assert "/cockpit/data/index.csv" in html
        assert "/cockpit/data/waterfall.xlsx" in html

    def test_query_count_is_bounded_and_independent_of_data(
        self, leader_client, run, django_assert_max_num_queries, plan, office_user, reporter_user
    ):
        with django_assert_max_num_queries(MAX_QUERIES_HOME):
            assert leader_client.get("/cockpit/").status_code == 200
        publish_value(plan=plan, office=office_user, reporter=reporter_user)
        publish_value(
            plan=plan, office=office_user, reporter=reporter_user, code="TECH_SMES", year=2022
        )
        with django_assert_max_num_queries(MAX_QUERIES_HOME):
            assert leader_client.get("/cockpit/").status_code == 200

    def test_status_filter_and_htmx_partial(self, leader_client, run):
        full = leader_client.get("/cockpit/?status=unknown").content.decode()
        assert "b-on_track" not in full.split('id="ind-table"')[1].split("</section>")[0]
        partial = leader_client.get(
            "/cockpit/?partial=indicators&status=on_track", HTTP_HX_REQUEST="true"
        ).content.decode()
        assert "<html" not in partial
        assert "b-unknown" not in partial

    def test_published_value_shows_with_its_department(
        self, leader_client, run, plan, office_user, reporter_user
    ):
        publish_value(plan=plan, office=office_user, reporter=reporter_user, value="2500")
        html = leader_client.get("/cockpit/?department=STC").content.decode()
        table = html.split('id="ind-table"')[1]
        assert "2,500" in table or "2500" in table
        assert "/cockpit/indicators/HIGH_TECH_ENTERPRISES/" in table


class TestDrillDowns:
    def test_indicator_shows_vintage_source_and_submission(
        self, leader_client, plan, office_user, reporter_user
    ):
        publish_value(plan=plan, office=office_user, reporter=reporter_user, value="1234")
        html = leader_client.get("/cockpit/indicators/HIGH_TECH_ENTERPRISES/").content.decode()
        assert "v1" in html
        assert "1,234" in html or "1234" in html
        assert "/plan/source/?start=" in html  # the baseline's source sentence
        assert "测试：经核实的年度数据" in html  # the department's explanation

    def test_task_and_department(self, leader_client, run):
        html = leader_client.get("/cockpit/tasks/T01/").content.decode()
        assert "/cockpit/tasks/T01.M1/" in html  # its measures
        assert leader_client.get("/cockpit/tasks/NOPE/").status_code == 404
        assert leader_client.get("/cockpit/departments/STC/").status_code == 200

    def test_index_stages_spec_and_whatif(self, leader_client, run):
        html = leader_client.get("/cockpit/index/?year=2019").content.decode()
        assert "base_year" in html  # the pipeline spec
        assert "ACADEMICIANS" in html or "院士" in html
        html = leader_client.get("/cockpit/index/?DIM_INFLUENCE=3").content.decode()
        assert 'id="chart-whatif-o"' in html
        response = leader_client.get("/cockpit/data/whatif.csv?DIM_INFLUENCE=3")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) == 1 + len(run.results["years"])
        stored = run.results["scores"]["SHUANGCHUANG_INDEX"]
        assert float(rows[-1][1]) == pytest.approx(stored[rows[-1][0]], abs=1e-5)
        assert float(rows[-1][2]) != pytest.approx(float(rows[-1][1]))


class TestDownloads:
    @pytest.mark.parametrize(
        "key", ["index", "waterfall", "waterfall-indicators", "tasks-area", "tasks-department"]
    )
    def test_csv_and_xlsx(self, leader_client, run, key):
        response = leader_client.get(f"/cockpit/data/{key}.csv")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff")
        header = next(csv.reader(io.StringIO(text[1:])))
        book = openpyxl.load_workbook(
            io.BytesIO(leader_client.get(f"/cockpit/data/{key}.xlsx").content)
        )
        assert [c.value for c in book.worksheets[0][1]] == header
        assert "notes" in book.sheetnames

    def test_index_csv_matches_the_run(self, leader_client, run):
        text = leader_client.get("/cockpit/data/index.csv").content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        scores = run.results["scores"]["SHUANGCHUANG_INDEX"]
        for row in rows[1:]:
            assert float(row[1]) == pytest.approx(scores[row[0]], abs=1e-5)

    def test_unknown_format_or_chart_is_404(self, leader_client, run):
        assert leader_client.get("/cockpit/data/index.pdf").status_code == 404
        assert leader_client.get("/cockpit/data/nothing.csv").status_code == 404


def test_task_page_rolls_up_its_measures(leader_client, plan):
    from tests.django_fixtures import demo_monitoring
    from tests.monitoring import factories as f

    f.user("office")
    demo_monitoring()
    html = leader_client.get("/cockpit/tasks/T01/").content.decode()
    assert "/cockpit/tasks/T01.M1/" in html
    assert html.count('class="tstatus t-') >= 3  # the roll-up and one per measure
    assert "t-none" not in html.split("<tbody>")[1]  # every demo measure has a report
