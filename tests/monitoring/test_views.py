"""The monitoring pages through Django's test client, per role."""

from __future__ import annotations

import re

import pytest

from nengji.core.models import AuditEntry
from nengji.monitoring.models import Evidence, Observation, Submission
from tests.monitoring.helpers import fill


def sub(yp, key):
    return Submission.objects.get(round=yp["round"], assignment=yp[key], sequence=1)


def test_anonymous_sees_only_the_published_page(client, yp):
    assert client.get("/monitoring/").status_code == 302
    assert client.get(f"/monitoring/reports/{sub(yp, 'a_ht').pk}/").status_code == 302
    r = client.get("/monitoring/published/")
    assert r.status_code == 200 and "HIGH_TECH_ENTERPRISES" not in r.content.decode()


def test_reporter_sees_only_its_department(client, yp, stc):
    client.force_login(stc)
    page = client.get(f"/monitoring/rounds/{yp['round'].pk}/").content.decode()
    assert "HIGH_TECH_ENTERPRISES" in page and "LISTED_COMPANIES" not in page
    assert client.get(f"/monitoring/reports/{sub(yp, 'a_list').pk}/").status_code == 404
    r = client.post(
        f"/monitoring/reports/{sub(yp, 'a_list').pk}/",
        {"action": "save", "value": "1", "version": 1},
    )
    assert r.status_code == 404
    assert sub(yp, "a_list").version == 1
    assert client.get("/monitoring/review/").status_code == 403
    assert client.get("/monitoring/audit/").status_code == 403


def test_form_errors_are_shown_against_their_field(client, yp, stc):
    client.force_login(stc)
    url = f"/monitoring/reports/{sub(yp, 'a_ht').pk}/"
    r = client.post(url, {"action": "submit", "value": "3000", "version": 1})  # +208 %
    page = r.content.decode()
    assert r.status_code == 200 and 'data-field="explanation"' in page
    s = sub(yp, "a_ht")
    assert s.status == "draft" and s.value is None  # the save was rolled back with the submit
    r = client.post(url, {"action": "submit", "value": "1050", "version": 1})
    assert r.status_code == 302 and sub(yp, "a_ht").status == "submitted"


def test_evidence_upload_and_download_permissions(client, yp, stc, drc, leader):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(stc)
    url = f"/monitoring/reports/{sub(yp, 'a_ht').pk}/"
    pdf = SimpleUploadedFile("公报.pdf", b"%PDF-1.4\n1 0 obj\n", content_type="application/pdf")
    r = client.post(url, {"action": "save", "value": "1000", "version": 1, "evidence": pdf})
    assert r.status_code == 302
    ev = Evidence.objects.get()
    assert client.get(f"/monitoring/evidence/{ev.pk}/").status_code == 200
    client.force_login(drc)
    assert client.get(f"/monitoring/evidence/{ev.pk}/").status_code == 404
    client.force_login(leader)
    assert client.get(f"/monitoring/evidence/{ev.pk}/").status_code == 200
    client.logout()
    assert client.get(f"/monitoring/evidence/{ev.pk}/").status_code == 302


def test_office_reviews_and_publishes_public_sees(client, yp, stc, office, leader):
    client.force_login(stc)
    client.post(
        f"/monitoring/reports/{sub(yp, 'a_ht').pk}/",
        {"action": "submit", "value": "1100", "version": 1},
    )
    client.force_login(leader)
    r = client.post(
        f"/monitoring/reports/{sub(yp, 'a_ht').pk}/",
        {"action": "approve", "version": sub(yp, "a_ht").version},
    )
    assert r.status_code == 403
    client.force_login(office)
    assert "HIGH_TECH_ENTERPRISES" in client.get("/monitoring/review/").content.decode()
    r = client.post(
        f"/monitoring/reports/{sub(yp, 'a_ht').pk}/",
        {"action": "approve", "version": sub(yp, "a_ht").version},
    )
    assert r.status_code == 302 and sub(yp, "a_ht").status == "approved"
    client.post(f"/monitoring/rounds/{yp['round'].pk}/publish/")
    assert Observation.objects.get().published_at is not None
    client.logout()
    page = client.get("/monitoring/published/").content.decode()
    assert "HIGH_TECH_ENTERPRISES" in page and "1100" in page
    assert "滞后" not in page or "年均增长" in page  # the status comes with its numbers
    assert re.search(r"年均增长\d+\.\d\d%", page)  # the band comes with its numbers


def test_excel_download_and_upload_through_the_web(client, yp, stc):
    client.force_login(stc)
    r = client.get(f"/monitoring/rounds/{yp['round'].pk}/template.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    data = fill(r.content, {"HIGH_TECH_ENTERPRISES": {"value": "很多"}})
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post(
        f"/monitoring/rounds/{yp['round'].pk}/upload/",
        {"file": SimpleUploadedFile("t.xlsx", data)},
        follow=True,
    )
    assert "填报!G4" in r.content.decode() and sub(yp, "a_ht").value is None
    data = fill(
        r.request and client.get(f"/monitoring/rounds/{yp['round'].pk}/template.xlsx").content,
        {"HIGH_TECH_ENTERPRISES": {"value": 1010}},
    )
    client.post(
        f"/monitoring/rounds/{yp['round'].pk}/upload/",
        {"file": SimpleUploadedFile("t.xlsx", data), "submit": "1"},
    )
    assert sub(yp, "a_ht").status == "submitted"


def test_leader_and_office_cannot_download_a_department_template(client, yp, leader):
    client.force_login(leader)
    assert client.get(f"/monitoring/rounds/{yp['round'].pk}/template.xlsx").status_code == 403


def test_audit_page_and_csv_export(client, yp, office):
    client.force_login(office)
    assert client.get("/monitoring/audit/").status_code == 200
    r = client.get("/monitoring/audit/?format=csv&action=open")
    text = r.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("at,actor,action") and ",open," in text
    assert AuditEntry.objects.filter(action="open").count() == 1


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_pages_render_in_both_languages(client, yp, office, lang):
    client.force_login(office)
    client.cookies["django_language"] = lang
    for url in (
        "/monitoring/",
        f"/monitoring/rounds/{yp['round'].pk}/",
        "/monitoring/alerts/",
        "/monitoring/review/",
        "/monitoring/published/",
        f"/monitoring/reports/{sub(yp, 'a_m').pk}/",
    ):
        assert client.get(url).status_code == 200, url


def test_office_opens_a_round_on_the_web(client, yp, office):
    client.force_login(office)
    r = client.post(
        "/monitoring/rounds/open/", {"year": 2022, "quarter": 0, "deadline": "2023-03-31T17:00"}
    )
    assert r.status_code == 302 and "/monitoring/rounds/" in r["Location"]


def test_office_setup_page(client, yp, office, stc):
    from nengji.monitoring.models import Assignment, MonitoringSettings, Target

    client.force_login(stc)
    assert client.get("/monitoring/setup/").status_code == 403
    client.force_login(office)
    assert client.get("/monitoring/setup/").status_code == 200
    drc = yp["DRC"]
    r = client.post(
        "/monitoring/setup/",
        {
            "form": "assignment",
            "item": "i:TECH_SMES",
            "lead": drc.pk,
            "frequency": "quarterly",
            "evidence_required": "on",
        },
    )
    assert r.status_code == 302
    a = Assignment.objects.get(indicator__code="TECH_SMES")
    assert a.lead == drc and a.frequency == "quarterly" and a.evidence_required
    r = client.post(
        "/monitoring/setup/",
        {
            "form": "target",
            "indicator": "TECH_SMES",
            "target_year": 2025,
            "target_value": "10000",
            "nature": "binding",
            "milestones": "2023=9000",
            "basis": "区政府工作报告",
        },
    )
    assert r.status_code == 302
    t = Target.objects.get(indicator__code="TECH_SMES")
    assert t.milestones == {"2023": "9000"} and t.set_by == office
    r = client.post(
        "/monitoring/setup/",
        {
            "form": "target",
            "indicator": "TECH_SMES",
            "target_year": 2025,
            "target_value": "1",
            "nature": "binding",
            "basis": "",
        },
    )
    assert r.status_code == 200 and "basis" in r.content.decode()
    r = client.post(
        "/monitoring/setup/",
        {
            "form": "settings",
            "on_track_ratio": 0.9,
            "moderate_ratio": 0.5,
            "no_target_on_track": 0.02,
            "no_target_moderate": 0.01,
            "change_threshold": 0.3,
        },
    )
    assert r.status_code == 302
    assert MonitoringSettings.objects.get(plan=yp["plan"]).on_track_ratio == 0.9


def test_list_pages_do_not_grow_queries_with_rows(
    client, plan, office, django_assert_max_num_queries
):
    from tests.django_fixtures import demo_monitoring

    demo_monitoring(by=office)  # ~50 indicators, 33 measures, 5 rounds
    client.force_login(office)
    from nengji.monitoring.models import Round

    rnd = Round.objects.get(year=2024)
    for url in (
        "/monitoring/published/",
        f"/monitoring/rounds/{rnd.pk}/",
        "/monitoring/alerts/",
        "/monitoring/review/",
        "/monitoring/",
        "/monitoring/setup/",
    ):
        with django_assert_max_num_queries(40):
            assert client.get(url).status_code == 200, url


def test_a_supporting_department_reads_but_does_not_write(client, yp, office, drc):
    from nengji.monitoring import services

    services.assignment_set(
        plan=yp["plan"],
        indicator=yp["a_ht"].indicator,
        lead=yp["STC"],
        supporting=[yp["DRC"]],
        by=office,
    )
    client.force_login(drc)
    url = f"/monitoring/reports/{sub(yp, 'a_ht').pk}/"
    page = client.get(url)
    assert page.status_code == 200 and b'name="action" value="submit"' not in page.content
    assert client.post(url, {"action": "save", "value": "1", "version": 1}).status_code == 403
    assert sub(yp, "a_ht").version == 1
    assert client.get(f"/monitoring/reports/{sub(yp, 'a_pat').pk}/").status_code == 404
    listing = client.get(f"/monitoring/rounds/{yp['round'].pk}/").content.decode()
    assert "HIGH_TECH_ENTERPRISES" in listing and "INVENTION_PATENTS_PER_10K" not in listing
