"""The public portal through its real URLs: published data only, open data, comments."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from nengji.indexing.services import index_run_compute
from nengji.portal.models import Comment
from nengji.portal.selectors import OPEN_TABLES
from tests.django_fixtures import load_demo_panel
from tests.indexing.publish import publish_value
from tests.portal.captcha import solved

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(plan):  # type: ignore[no-untyped-def]
    load_demo_panel()
    return index_run_compute(plan=plan, trigger="demo")


class TestPublishedOnly:
    def test_anonymous_pages(self, client, run):
        for url in ("/open/", "/open-data/", "/open/comments/plan/", "/open/comments/task/T01/"):
            assert client.get(url).status_code == 200, url
        assert client.get("/open/comments/indicator/TECH_SMES/").status_code == 200
        assert client.get("/open/comments/indicator/NOPE/").status_code == 404

    def test_demo_values_are_flagged_as_demo_in_open_data(self, client, run):
        text = client.get("/open-data/indicators.csv").content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == 51
        with_value = [r for r in rows if r["latest_value"] != ""]
        assert with_value  # the flagged demo panel of the index's indicators
        assert all(r["is_demo"] in ("True", "true", "1") for r in with_value)

    def test_a_published_value_appears_an_unpublished_one_does_not(
        self, client, run, plan, office_user, reporter_user
    ):
        from nengji.monitoring import services
        from nengji.monitoring.models import Submission

        publish_value(plan=plan, office=office_user, reporter=reporter_user, value="1777")
        rows = json.loads(client.get("/open-data/indicators.json").content)["rows"]
        (ht,) = [r for r in rows if r["code"] == "HIGH_TECH_ENTERPRISES"]
        assert ht["latest_value"] == 1777.0
        assert ht["latest_year"] == 2021
        obs = json.loads(client.get("/open-data/observations.json").content)["rows"]
        assert [o["value"] for o in obs if not o["is_demo"]] == [1777.0]
        # an approved value of a round not yet published stays private
        import datetime as dt

        from django.utils import timezone

        rnd = services.round_open(
            plan=plan, year=2022, deadline=timezone.now() + dt.timedelta(days=9), by=office_user
        )
        # the plan's own report (the round also asks the partner regions of the benchmark)
        sub = Submission.objects.get(round=rnd, assignment__unit__isnull=True)
        sub = services.submission_save(submission=sub, by=reporter_user, value=1888)
        sub = services.submission_submit(submission=sub, by=reporter_user)
        services.submission_approve(submission=sub, by=office_user)
        assert b"1888" not in client.get("/open-data/observations.csv").content
        assert "1888" not in client.get("/open/").content.decode()

    def test_portal_query_count_is_bounded(self, client, run, django_assert_max_num_queries):
        with django_assert_max_num_queries(20):
            assert client.get("/open/").status_code == 200
        with django_assert_max_num_queries(25):
            assert client.get("/open-data/").status_code == 200


class TestOpenData:
    @pytest.mark.parametrize("key", [*OPEN_TABLES, "dictionary"])
    def test_every_table_in_three_formats(self, client, run, key):
        text = client.get(f"/open-data/{key}.csv").content.decode("utf-8")
        assert text.startswith("\ufeff")
        header = next(csv.reader(io.StringIO(text[1:])))
        body = json.loads(client.get(f"/open-data/{key}.json").content)
        assert body["columns"] == header
        book = openpyxl.load_workbook(io.BytesIO(client.get(f"/open-data/{key}.xlsx").content))
        assert [c.value for c in book.worksheets[0][1]] == header

    def test_dictionary_describes_every_column(self, client, run):
        rows = json.loads(client.get("/open-data/dictionary.json").content)["rows"]
        described = {(r["table"], r["column"]) for r in rows}
        for key in OPEN_TABLES:
            header = json.loads(client.get(f"/open-data/{key}.json").content)["columns"]
            assert {(key, c) for c in header} <= described
        assert all(r["description_zh"] and r["description_en"] for r in rows)

    def test_index_table_is_flagged_demo_and_has_the_official_figure(self, client, run):
        rows = json.loads(client.get("/open-data/index.json").content)["rows"]
        assert all(r["is_demo"] for r in rows)
        (y2019,) = [r for r in rows if r["year"] == 2019]
        assert y2019["official"] == 261.4
        assert y2019["SHUANGCHUANG_INDEX"] is not None

    def test_unknown_table_or_format(self, client, run):
        assert client.get("/open-data/secrets.csv").status_code == 404
        assert client.get("/open-data/indicators.exe").status_code == 404


class TestComments:
    URL = "/open/comments/indicator/TECH_SMES/"

    def post(self, client, text="建议公布分街道数据", name="", ip="10.0.0.1"):  # type: ignore[no-untyped-def]
        data = {"name": name, "text": text, **solved(client, self.URL)}
        return client.post(self.URL, data, REMOTE_ADDR=ip)

    def test_held_until_approved_then_published_with_reply(self, client, office_user, run):
        response = self.post(client, text="<script>alert(1)</script> 请补充数据", name="张三")
        assert response.status_code == 302
        page = client.get(self.URL).content.decode()
        assert "请补充数据" not in page  # held for moderation
        comment = Comment.objects.get()
        assert comment.status == Comment.Status.PENDING
        assert comment.indicator.code == "TECH_SMES"
        assert comment.client and "10.0.0.1" not in comment.client

        client.force_login(office_user)
        mod = client.get("/open/moderation/").content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mod
        assert "<script>alert(1)" not in mod
        client.post(f"/open/moderation/{comment.pk}/", {"action": "approve"})
        client.post(
            f"/open/moderation/{comment.pk}/", {"action": "reply", "reply": "感谢，已转有关部门"}
        )
        client.logout()
        page = client.get(self.URL).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt; 请补充数据" in page
        assert "<script>alert(1)" not in page
        assert "张三" in page
        assert "感谢，已转有关部门" in page
        rows = json.loads(client.get("/open-data/comments.json").content)["rows"]
        assert rows[0]["reply"] == "感谢，已转有关部门"

    def test_anonymous_comment(self, client, office_user, run):
        self.post(client)
        comment = Comment.objects.get()
        assert comment.name == ""
        client.force_login(office_user)
        client.post(f"/open/moderation/{comment.pk}/", {"action": "approve"})
        page = client.get(self.URL).content.decode()
        assert "匿名" in page or "Anonymous" in page

    def test_rejected_comment_stays_private(self, client, office_user, run):
        self.post(client, text="广告内容")
        comment = Comment.objects.get()
        client.force_login(office_user)
        client.post(f"/open/moderation/{comment.pk}/", {"action": "reject"})
        assert "广告内容" not in client.get(self.URL).content.decode()

    def test_rate_limited_per_client_with_a_clear_message(self, client, run):
        for i in range(3):
            assert self.post(client, text=f"意见{i}").status_code == 302
        response = self.post(client, text="第四条")
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        html = response.content.decode()
        assert "请等待" in html or "please wait" in html
        assert Comment.objects.count() == 3
        # another client is not affected
        assert self.post(client, text="另一位市民", ip="10.0.0.2").status_code == 302

    def test_empty_comment_is_refused(self, client, run):
        assert self.post(client, text="   ").status_code == 200
        assert Comment.objects.count() == 0

    def test_only_the_office_moderates(self, client, leader_user, reporter_user, run):
        self.post(client)
        comment = Comment.objects.get()
        for user in (leader_user, reporter_user):
            client.force_login(user)
            assert client.get("/open/moderation/").status_code == 403
            assert (
                client.post(f"/open/moderation/{comment.pk}/", {"action": "approve"}).status_code
                == 403
            )
        comment.refresh_from_db()
        assert comment.status == Comment.Status.PENDING
        client.logout()
        assert client.get("/open/moderation/").status_code == 302


class TestDemoLabels:
    def test_demo_reports_are_labelled_on_the_portal(self, client, plan):
        from tests.django_fixtures import demo_monitoring
        from tests.monitoring import factories as f

        f.user("office")  # the demo data is written by an office user
        demo_monitoring()
        load_demo_panel()
        index_run_compute(plan=plan, trigger="demo")
        html = client.get("/open/").content.decode()
        assert html.count('class="badge demo"') > 40
        assert "已完成" in html or "completed" in html
