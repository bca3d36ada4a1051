"""The reports page: who may see it, a job from request to download."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.timezone import now

from nengji.reports.jobs import job_run
from nengji.reports.models import ReportJob

pytestmark = pytest.mark.django_db


class TestReportPages:
    def test_anonymous_is_sent_to_login(self, client) -> None:
        response = client.get(reverse("reports"))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_reporters_may_not_see_reports(self, client, reporter_user) -> None:
        client.force_login(reporter_user)
        assert client.get(reverse("reports")).status_code == 403

    def test_leaders_read_but_do_not_generate(self, client, leader_user) -> None:
        client.force_login(leader_user)
        page = client.get(reverse("reports"))
        assert page.status_code == 200
        assert b'name="kind"' not in page.content
        response = client.post(reverse("reports"), {"kind": "annual", "year": 2023, "fmt": "docx"})
        assert response.status_code == 403
        assert not ReportJob.objects.exists()

    def test_office_generates_and_downloads(
        self, client, office_user, django_capture_on_commit_callbacks
    ) -> None:
        client.force_login(office_user)
        page = client.get(reverse("reports")).content.decode()
        assert 'name="kind"' in page
        assert "年度监测报告" in page and "公文格式" in page
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(
                reverse("reports"), {"kind": "annual", "year": 2023, "fmt": "xlsx"}
            )
        assert len(callbacks) == 1  # the thread starts after the commit
        job = ReportJob.objects.get()
        assert response["Location"] == reverse("report-job", args=[job.pk])
        page = client.get(response["Location"])
        assert b'http-equiv="refresh"' in page.content
        status = client.get(reverse("report-job-status", args=[job.pk])).json()
        assert (status["status"], status["finished"]) == ("queued", False)

        job_run(job.pk)  # what the thread does, here in the test's transaction

        status = client.get(reverse("report-job-status", args=[job.pk])).json()
        assert (status["status"], status["progress"], status["finished"]) == ("done", 100, True)
        download = client.get(status["download"])
        assert download.status_code == 200
        assert "attachment" in download["Content-Disposition"]
        assert b"".join(download.streaming_content)[:2] == b"PK"
        assert b'http-equiv="refresh"' not in client.get(response["Location"]).content

    def test_bad_request_changes_nothing(self, client, office_user) -> None:
        client.force_login(office_user)
        response = client.post(reverse("reports"), {"kind": "annual", "year": 1990, "fmt": "docx"})
        assert response.status_code == 400
        assert not ReportJob.objects.exists()

    def test_a_failed_job_says_why(self, plan, office_user) -> None:
        job = ReportJob.objects.create(
            plan=plan,
            kind="annual",
            year=1990,
            fmt="docx",
            requested_by=office_user,
            requested_at=now(),
        )
        job = job_run(job.pk)
        assert job.status == ReportJob.Status.FAILED
        assert "outside the plan period" in job.message
