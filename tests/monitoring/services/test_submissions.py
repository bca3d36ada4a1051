from __future__ import annotations

from decimal import Decimal

import pytest

from nengji.core.errors import DomainError
from nengji.core.models import AuditEntry
from nengji.monitoring import services
from nengji.monitoring.models import Observation, Submission, TaskStatus


def sub_for(rnd, assignment, sequence=1):
    return Submission.objects.get(round=rnd, assignment=assignment, sequence=sequence)


def test_draft_submit_approve_creates_an_unpublished_official_value(round_, mini, stc, office):
    s = sub_for(round_, mini["a1"])
    s = services.submission_save(submission=s, value=Decimal(120), note="统计局口径", by=stc)
    assert s.status == "draft" and s.version == 2
    s = services.submission_submit(submission=s, by=stc, version=2)
    assert s.status == "submitted"
    s = services.submission_approve(submission=s, by=office, version=3)
    obs = Observation.objects.get(indicator=mini["i1"], year=2021)
    assert obs.value == 120 and obs.vintage == 1 and obs.published_at is None
    actions = list(
        AuditEntry.objects.filter(object_type="submission", object_id=str(s.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["update", "submit", "approve"]


def test_validation_at_submit_names_fields_and_changes_nothing(round_, mini, stc):
    s = sub_for(round_, mini["a1"])
    services.submission_save(submission=s, value=Decimal(20000), by=stc)  # above max 10000
    with pytest.raises(DomainError) as exc:
        services.submission_submit(submission=s, by=stc)
    fields = [d.field for d in exc.value.detail]
    assert fields == ["value", "explanation"]  # out of range and a change of +19,900 %
    assert sub_for(round_, mini["a1"]).status == "draft"


def test_big_change_needs_an_explanation(round_, mini, stc):
    s = sub_for(round_, mini["a1"])
    services.submission_save(submission=s, value=Decimal(180), by=stc)  # +80 % from baseline 100
    with pytest.raises(DomainError) as exc:
        services.submission_submit(submission=s, by=stc)
    assert exc.value.detail[0].field == "explanation"
    services.submission_save(submission=s, explanation="新认定高企集中公示", by=stc)
    assert services.submission_submit(submission=s, by=stc).status == "submitted"


def test_evidence_required(round_, mini, stc, office):
    services.assignment_set(
        plan=mini["plan"], indicator=mini["i2"], lead=mini["STC"], evidence_required=True, by=office
    )
    s = sub_for(round_, mini["a2"])
    services.submission_save(submission=s, value=Decimal("2.6"), by=stc)
    with pytest.raises(DomainError) as exc:
        services.submission_submit(submission=s, by=stc)
    assert exc.value.detail[0].field == "evidence"
    services.evidence_add(submission=s, name="统计公报.pdf", data=b"%PDF-1.4\n%...\n", by=stc)
    assert services.submission_submit(submission=s, by=stc).status == "submitted"


def test_evidence_type_checked_by_content(round_, mini, stc):
    s = sub_for(round_, mini["a1"])
    with pytest.raises(DomainError) as exc:
        services.evidence_add(submission=s, name="report.pdf", data=b"MZ\x90\x00 not a pdf", by=stc)
    assert exc.value.detail[0].field == "evidence"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    ev = services.evidence_add(submission=s, name="photo.exe", data=png, by=stc)
    assert ev.content_type == "image/png" and ev.file.name.endswith(".png")


def test_evidence_size_limit(round_, mini, stc, settings):
    settings.NENGJI_EVIDENCE_MAX_BYTES = 100
    with pytest.raises(DomainError):
        services.evidence_add(
            submission=sub_for(round_, mini["a1"]),
            name="a.pdf",
            data=b"%PDF-1.4" + b"x" * 200,
            by=stc,
        )


def test_task_progress(round_, mini, stc):
    s = sub_for(round_, mini["a4"])
    with pytest.raises(DomainError) as exc:
        services.submission_save(submission=s, value=Decimal(1), by=stc)
    assert exc.value.detail[0].field == "value"
    services.submission_save(
        submission=s, task_status=TaskStatus.COMPLETED, percent_complete=80, narrative="", by=stc
    )
    with pytest.raises(DomainError) as exc:
        services.submission_submit(submission=s, by=stc)
    assert {d.field for d in exc.value.detail} == {"percent_complete", "narrative"}
    services.submission_save(submission=s, percent_complete=100, narrative="已建成", by=stc)
    assert services.submission_submit(submission=s, by=stc).status == "submitted"


def test_return_then_fix_then_approve(round_, mini, stc, office):
    s = sub_for(round_, mini["a1"])
    services.submission_save(submission=s, value=Decimal(110), by=stc)
    services.submission_submit(submission=s, by=stc)
    with pytest.raises(DomainError):
        services.submission_return(submission=s, comment=" ", by=office)
    s = services.submission_return(submission=s, comment="请核对口径", by=office)
    assert s.status == "returned" and s.review_comment == "请核对口径"
    services.submission_save(submission=s, value=Decimal(112), by=stc)
    services.submission_submit(submission=s, by=stc)
    assert services.submission_approve(submission=s, by=office).status == "approved"


def test_another_department_cannot_write(round_, mini, drc):
    s = sub_for(round_, mini["a1"])
    with pytest.raises(DomainError) as exc:
        services.submission_save(submission=s, value=Decimal(1), by=drc)
    assert exc.value.code == "permission"


def test_reporter_cannot_approve_and_leader_cannot_write(round_, mini, stc, leader):
    s = sub_for(round_, mini["a1"])
    services.submission_save(submission=s, value=Decimal(110), by=stc)
    services.submission_submit(submission=s, by=stc)
    for user in (stc, leader):
        with pytest.raises(DomainError) as exc:
            services.submission_approve(submission=s, by=user)
        assert exc.value.code == "permission"
    with pytest.raises(DomainError):
        services.submission_save(submission=s, value=Decimal(1), by=leader)


def test_stale_version_is_a_conflict(round_, mini, stc):
    s = sub_for(round_, mini["a1"])
    services.submission_save(submission=s, value=Decimal(110), by=stc, version=1)
    with pytest.raises(DomainError) as exc:
        services.submission_save(submission=s, value=Decimal(111), by=stc, version=1)
    assert exc.value.code == "conflict" and "刷新" in str(exc.value)


def test_submitted_report_cannot_be_edited(round_, mini, stc):
    s = sub_for(round_, mini["a1"])
    services.submission_save(submission=s, value=Decimal(110), by=stc)
    services.submission_submit(submission=s, by=stc)
    with pytest.raises(DomainError) as exc:
        services.submission_save(submission=s, value=Decimal(1), by=stc)
    assert exc.value.code == "conflict"


def approved(rnd, mini, stc, office, value):
    s = sub_for(rnd, mini["a1"])
    services.submission_save(submission=s, value=Decimal(value), by=stc)
    services.submission_submit(submission=s, by=stc)
    return services.submission_approve(submission=s, by=office)


def test_publish_then_revise_keeps_every_vintage(round_, mini, stc, office):
    s = approved(round_, mini, stc, office, 110)
    services.round_publish(round=round_, by=office)
    v1 = Observation.objects.get(indicator=mini["i1"], year=2021)
    assert v1.published_at is not None
    assert AuditEntry.objects.filter(action="index_due").count() == 1
    with pytest.raises(DomainError):
        services.submission_revise(submission=s, reason="", by=stc)
    r = services.submission_revise(submission=s, reason="统计局年报更正", by=stc)
    assert r.sequence == 2 and r.status == "draft" and r.value == 110
    services.submission_save(submission=r, value=Decimal(115), by=stc)
    services.submission_submit(submission=r, by=stc)
    services.submission_approve(submission=r, by=office)
    vintages = list(
        Observation.objects.filter(indicator=mini["i1"], year=2021)
        .order_by("vintage")
        .values_list("vintage", "value")
    )
    assert vintages == [(1, Decimal(110)), (2, Decimal(115))]
    v2 = Observation.objects.get(indicator=mini["i1"], year=2021, vintage=2)
    assert v2.published_at is not None and v2.reason == "统计局年报更正"
    assert AuditEntry.objects.filter(object_type="observation", action="revise").exists()
    with pytest.raises(DomainError):  # the old one cannot be revised again
        services.submission_revise(submission=s, reason="again", by=stc)


def test_publish_twice_is_a_conflict(round_, office):
    services.round_publish(round=round_, by=office)
    with pytest.raises(DomainError) as exc:
        services.round_publish(round=round_, by=office)
    assert exc.value.code == "conflict"


def test_change_rule_uses_the_last_published_value(round_, mini, stc, office):
    from tests.monitoring import factories as f

    s = sub_for(round_, mini["a1"])
    services.submission_save(submission=s, value=Decimal(180), explanation="新政策", by=stc)
    services.submission_submit(submission=s, by=stc)
    services.submission_approve(submission=s, by=office)
    services.round_publish(round=round_, by=office)
    r22 = services.round_open(plan=mini["plan"], year=2022, deadline=f.deadline(), by=office)
    s22 = sub_for(r22, mini["a1"])
    services.submission_save(submission=s22, value=Decimal(190), by=stc)  # +5.6 % from 180
    assert services.submission_submit(submission=s22, by=stc).status == "submitted"


def test_external_vintages(mini, office):
    from django.utils import timezone

    o1 = services.observation_record_external(
        series="index:composite",
        year=2019,
        value=Decimal("261.4"),
        source_note="2019 年度报告",
        published_on=timezone.now(),
        by=office,
    )
    with pytest.raises(DomainError):
        services.observation_record_external(
            series="index:composite",
            year=2019,
            value=Decimal("262"),
            source_note="2020 年度报告",
            published_on=timezone.now(),
            by=office,
        )
    o2 = services.observation_record_external(
        series="index:composite",
        year=2019,
        value=Decimal("262"),
        source_note="2020 年度报告",
        reason="口径调整",
        published_on=timezone.now(),
        by=office,
    )
    assert (o1.vintage, o2.vintage) == (1, 2)


def test_audit_log_is_append_only(round_):
    from django.core.exceptions import ValidationError

    entry = AuditEntry.objects.first()
    entry.action = "tampered"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        AuditEntry.objects.all().update(action="x")
    with pytest.raises(ValidationError):
        AuditEntry.objects.all().delete()


def test_reminders(round_, mini, stc, drc, office, mailoutbox):
    sent = services.reminders_send(round=round_, by=office)
    assert sent == 2
    assert {m.to[0] for m in mailoutbox} == {stc.email, drc.email}
    assert "监测填报提醒" in mailoutbox[0].subject


def test_submission_create_for_a_late_assignment(round_, mini, stc, drc, office):
    from tests.monitoring import factories as f

    late = services.assignment_set(
        plan=mini["plan"], indicator=f.indicator(mini["plan"]), lead=mini["STC"], by=office
    )
    with pytest.raises(DomainError) as exc:
        services.submission_create(round=round_, assignment=late, by=drc)
    assert exc.value.code == "permission"
    s = services.submission_create(round=round_, assignment=late, by=stc)
    assert s.department == mini["STC"] and s.status == "draft"
    with pytest.raises(DomainError) as exc:
        services.submission_create(round=round_, assignment=late, by=office)
    assert exc.value.code == "conflict"
