"""Issue 16: a public page per indicator and per task. Published data only: a draft and an
approved value of a round not yet published never show; the target says where it comes from;
character offsets are for the office, not the public."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import TestCase
from django.utils import timezone

from nengji.monitoring import services
from nengji.monitoring.models import Submission
from nengji.plan.models import Department, Indicator, Section
from tests.indexing.publish import publish_value

pytestmark = pytest.mark.django_db

OFFSETS = re.compile(r"characters \d+–\d+|第 ?\d+–\d+ ?字")


def _measure_report(plan, office, reporter, *, year, narrative, percent, publish):  # type: ignore[no-untyped-def]
    section = Section.objects.get(plan=plan, code="T01.M1")
    dept = Department.objects.get(pk=reporter.department_id)
    assignment = services.assignment_set(plan=plan, section=section, lead=dept, by=office)
    rnd = services.round_open(
        plan=plan, year=year, deadline=timezone.now() + dt.timedelta(days=30), by=office
    )
    sub = Submission.objects.get(round=rnd, assignment=assignment)
    sub = services.submission_save(
        submission=sub,
        by=reporter,
        task_status="on_schedule",
        percent_complete=percent,
        narrative=narrative,
    )
    if publish is None:
        return sub
    sub = services.submission_submit(submission=sub, by=reporter)
    sub = services.submission_approve(submission=sub, by=office)
    if publish:
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.round_publish(round=rnd, by=office)
    return sub


class TestIndicatorPage:
    def test_anonymous_sees_the_plans_words_baseline_and_status(self, client, plan):
        html = client.get("/open/indicators/INVENTION_PATENTS_PER_10K/").content.decode()
        assert "截至 2020 年底，每万人发明专利拥有量达 99.04 件" in html
        assert "99.04" in html
        assert 'class="band b-' in html
        assert "/open/comments/indicator/INVENTION_PATENTS_PER_10K/" in html
        assert not OFFSETS.search(html)

    def test_unknown_indicator_is_404(self, client, plan):
        assert client.get("/open/indicators/NOPE/").status_code == 404

    def test_published_value_shows_draft_and_unpublished_approved_never(
        self, client, plan, office_user, reporter_user
    ):
        url = "/open/indicators/HIGH_TECH_ENTERPRISES/"
        publish_value(plan=plan, office=office_user, reporter=reporter_user, value="1777")
        html = client.get(url).content.decode()
        assert re.search(r'data-year="2021">.*?1777', html, re.S)
        # 2022: a draft, then the same report approved in a round not yet published
        rnd = services.round_open(
            plan=plan, year=2022, deadline=timezone.now() + dt.timedelta(days=9), by=office_user
        )
        sub = Submission.objects.get(round=rnd, assignment__unit__isnull=True)
        sub = services.submission_save(submission=sub, by=reporter_user, value=Decimal("1888"))
        assert "1888" not in client.get(url).content.decode()
        sub = services.submission_submit(submission=sub, by=reporter_user)
        services.submission_approve(submission=sub, by=office_user)
        html = client.get(url).content.decode()
        assert "1888" not in html
        assert 'data-year="2022"' not in html
        # published: now it shows
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.round_publish(round=rnd, by=office_user)
        assert re.search(r'data-year="2022">.*?1888', client.get(url).content.decode(), re.S)

    def test_target_stated_in_the_plan_says_so_with_the_quote(self, client, plan):
        ind = Indicator.objects.get(plan=plan, code="UNIVERSITY_SCIENCE_PARK_FLAGSHIPS")
        html = client.get(f"/open/indicators/{ind.code}/").content.decode()
        assert 'data-source="plan"' in html
        assert ind.stated_target_quote.strip()[:12] in html

    def test_target_set_by_the_office_gives_when_and_basis(self, client, plan, office_user):
        ind = Indicator.objects.get(plan=plan, code="INVENTION_PATENTS_PER_10K")
        assert 'data-source="none"' in client.get(f"/open/indicators/{ind.code}/").content.decode()
        services.target_set(
            indicator=ind,
            target_year=2025,
            target_value=Decimal("130"),
            basis="按市里下达的年度考核要求测算",
            by=office_user,
        )
        html = client.get(f"/open/indicators/{ind.code}/").content.decode()
        assert 'data-source="office"' in html
        assert "按市里下达的年度考核要求测算" in html
        assert "130" in html
        assert str(timezone.localdate().year) in html

    def test_english_page_words_the_provenance(self, client, plan, settings):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        html = client.get("/open/indicators/UNIVERSITY_SCIENCE_PARK_FLAGSHIPS/").content.decode()
        assert "stated in the plan" in html


class TestTaskPage:
    def test_lead_and_latest_published_progress_only(
        self, client, plan, office_user, reporter_user
    ):
        _measure_report(
            plan,
            office_user,
            reporter_user,
            year=2021,
            narrative="已发布的进展说明",
            percent=40,
            publish=True,
        )
        html = client.get("/open/tasks/T01.M1/").content.decode()
        lead = Department.objects.get(pk=reporter_user.department_id)
        assert lead.name_zh in html
        assert "已发布的进展说明" in html and "40 %" in html
        # a task rolls up its measures and names their leads
        task = client.get("/open/tasks/T01/").content.decode()
        assert lead.name_zh in task and "/open/tasks/T01.M1/" in task
        assert "/open/comments/task/T01/" in task
        # 2022: approved but not published, and a draft, never show
        _measure_report(
            plan,
            office_user,
            reporter_user,
            year=2022,
            narrative="未发布的进展说明",
            percent=70,
            publish=False,
        )
        for url in ("/open/tasks/T01.M1/", "/open/tasks/T01/", "/open/"):
            html = client.get(url).content.decode()
            assert "未发布的进展说明" not in html, url
            assert "70 %" not in html, url

    def test_a_draft_progress_report_never_shows(self, client, plan, office_user, reporter_user):
        _measure_report(
            plan,
            office_user,
            reporter_user,
            year=2021,
            narrative="草稿进展",
            percent=55,
            publish=None,
        )
        html = client.get("/open/tasks/T01.M1/").content.decode()
        assert "草稿进展" not in html and "55 %" not in html

    def test_not_a_task_is_404(self, client, plan):
        assert client.get("/open/tasks/NOPE/").status_code == 404
        area = Section.objects.filter(plan=plan, kind="area").first()
        assert area is not None
        assert client.get(f"/open/tasks/{area.code}/").status_code == 404


class TestLinks:
    def test_open_rows_and_plan_headings_link_to_the_pages(self, client, plan):
        home = client.get("/open/").content.decode()
        assert 'href="/open/indicators/INVENTION_PATENTS_PER_10K/"' in home
        assert 'href="/open/tasks/T01/"' in home
        browser = client.get("/plan/").content.decode()
        assert 'href="/open/tasks/T01/"' in browser
        assert 'href="/open/tasks/T01.M1/"' in browser
        assert (
            'href="/open/indicators/INVENTION_PATENTS_PER_10K/"'
            in client.get("/indicators/").content.decode()
        )


class TestOffsets:
    @pytest.mark.parametrize("url", ["/plan/", "/plan/T01.M1/", "/plan/source/?start=10&end=40"])
    def test_public_pages_show_no_character_offsets(self, client, plan, url, settings):
        for lang in ("zh-hans", "en"):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
            html = client.get(url).content.decode()
            assert not OFFSETS.search(html), (url, lang)
            assert 'href="/plan/source/?start=' in html or "#hl" in html

    def test_the_office_keeps_them(self, client, plan, office_user):
        client.force_login(office_user)
        assert OFFSETS.search(client.get("/plan/T01.M1/").content.decode())
