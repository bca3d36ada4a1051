"""Partner regions' figures for the 长三角 benchmark index travel through the plan's rounds
(issue 17): assignments and official values per unit, invisible to the plan's own pages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nengji.core.errors import DomainError
from nengji.core.models import AuditEntry
from nengji.monitoring import services
from nengji.monitoring.forms import AssignmentForm
from nengji.monitoring.models import Assignment, Observation, Submission
from nengji.monitoring.selectors import indicator_statuses
from nengji.plan.selectors import department_list
from tests.monitoring import factories as f


@pytest.fixture
def wujin(mini):  # type: ignore[no-untyped-def]
    region, body = f.partner()
    assignments = services.assignments_sync(
        plan=mini["plan"], unit=region, lead=body, indicators=[mini["i1"], mini["i2"]]
    )
    return {
        "region": region,
        "body": body,
        "assignments": assignments,
        "user": f.partner_user(body),
    }


def partner_sub(rnd, assignment):  # type: ignore[no-untyped-def]
    return Submission.objects.get(round=rnd, assignment=assignment, sequence=1)


def test_sync_creates_unit_assignments_the_default_manager_hides(mini, wujin):
    plan = mini["plan"]
    assert len(wujin["assignments"]) == 2
    assert all(a.unit == wujin["region"] and a.lead == wujin["body"] for a in wujin["assignments"])
    own = set(Assignment.objects.filter(plan=plan).values_list("pk", flat=True))
    assert own == {mini[k].pk for k in ("a1", "a2", "a3", "a4")}
    assert Assignment.every_unit.filter(plan=plan).count() == 6
    assert plan.assignments.count() == 4  # related managers are the default one too


def test_sync_is_idempotent_and_never_deletes(mini, wujin):
    plan, region, body = mini["plan"], wujin["region"], wujin["body"]
    audited = AuditEntry.objects.filter(object_type="assignment").count()
    services.assignments_sync(
        plan=plan, unit=region, lead=body, indicators=[mini["i1"], mini["i2"]]
    )
    assert AuditEntry.objects.filter(object_type="assignment").count() == audited
    services.assignments_sync(plan=plan, unit=region, lead=body, indicators=[mini["i1"]])
    rows = {a.indicator_id: a.active for a in Assignment.every_unit.filter(plan=plan, unit=region)}
    assert rows == {mini["i1"].pk: True, mini["i2"].pk: False}
    services.assignments_sync(plan=plan, unit=region, lead=body, indicators=[mini["i2"]])
    rows = {a.indicator_id: a.active for a in Assignment.every_unit.filter(plan=plan, unit=region)}
    assert rows == {mini["i1"].pk: False, mini["i2"].pk: True}


def test_sync_refuses_the_own_district_and_a_foreign_body(mini, wujin):
    plan = mini["plan"]
    with pytest.raises(DomainError) as exc:
        services.assignments_sync(
            plan=plan, unit=plan.district, lead=mini["STC"], indicators=[mini["i1"]]
        )
    assert {d.field for d in exc.value.detail} == {"unit", "lead"}
    other, _ = f.partner("330402", "嘉兴市南湖区")
    with pytest.raises(DomainError) as exc:
        services.assignments_sync(plan=plan, unit=other, lead=wujin["body"], indicators=[])
    assert [d.field for d in exc.value.detail] == ["lead"]
    with pytest.raises(DomainError) as exc:
        services.assignments_sync(
            plan=plan, unit=wujin["body"].organisation, lead=wujin["body"], indicators=[]
        )
    assert "unit" in {d.field for d in exc.value.detail}


def test_a_round_asks_every_unit_and_the_partner_reports_like_a_department(
    mini, wujin, office, stc
):
    plan = mini["plan"]
    rnd = services.round_open(plan=plan, year=2021, deadline=f.deadline(), by=office)
    a_p = wujin["assignments"][0]
    sub = partner_sub(rnd, a_p)
    assert sub.department == wujin["body"]
    # its own reporter only
    with pytest.raises(DomainError):
        services.submission_save(submission=sub, value=Decimal(7), by=stc)
    # no comparison with Yangpu's baseline (100): a partner's first value needs no explanation
    sub = services.submission_save(submission=sub, value=Decimal(400), by=wujin["user"])
    sub = services.submission_submit(submission=sub, by=wujin["user"])
    services.submission_approve(submission=sub, by=office)
    # Yangpu's own report of the same indicator: its own vintage 1, compared with its baseline
    own = partner_sub(rnd, mini["a1"])
    own = services.submission_save(submission=own, value=Decimal(104), by=stc)
    services.submission_approve(
        submission=services.submission_submit(submission=own, by=stc), by=office
    )
    assert Observation.objects.get(indicator=mini["i1"], year=2021).value == 104
    theirs = Observation.every_unit.get(indicator=mini["i1"], year=2021, unit=wujin["region"])
    assert (theirs.value, theirs.vintage, theirs.published_at) == (400, 1, None)
    services.round_publish(round=rnd, by=office)
    theirs.refresh_from_db()
    assert theirs.published_at is not None
    # the plan's own read model never sees the partner's figure
    status = next(s for s in indicator_statuses(plan=plan) if s.indicator.pk == mini["i1"].pk)
    assert status.latest is not None and status.latest.value == 104


def test_partner_second_year_is_compared_with_its_own_previous_value(mini, wujin, office):
    plan = mini["plan"]
    a_p = wujin["assignments"][0]
    r1 = services.round_open(plan=plan, year=2021, deadline=f.deadline(), by=office)
    s = services.submission_save(
        submission=partner_sub(r1, a_p), value=Decimal(400), by=wujin["user"]
    )
    services.submission_approve(
        submission=services.submission_submit(submission=s, by=wujin["user"]), by=office
    )
    services.round_publish(round=r1, by=office)
    r2 = services.round_open(plan=plan, year=2022, deadline=f.deadline(), by=office)
    s = services.submission_save(
        submission=partner_sub(r2, a_p), value=Decimal(900), by=wujin["user"]
    )
    with pytest.raises(DomainError) as exc:
        services.submission_submit(submission=s, by=wujin["user"])
    assert [d.field for d in exc.value.detail] == ["explanation"]
    assert "400" in str(exc.value.detail[0].message)
    s = services.submission_save(submission=s, value=Decimal(420), by=wujin["user"])
    assert services.submission_submit(submission=s, by=wujin["user"]).status == "submitted"


def test_unique_vintage_per_unit(mini, wujin, office):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    fields = {"indicator": mini["i1"], "year": 2021, "value": Decimal(1), "source": "demo"}
    now = timezone.now()
    Observation.objects.create(**fields, vintage=1, recorded_at=now)
    Observation.every_unit.create(**fields, vintage=1, recorded_at=now, unit=wujin["region"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.every_unit.create(**fields, vintage=1, recorded_at=now, unit=wujin["region"])


def test_partner_bodies_are_no_departments_of_the_plan(mini, wujin):
    plan = mini["plan"]
    # a plan of the partner's own district would still not list the body
    assert wujin["body"] not in department_list(plan=plan)
    plan.district = wujin["region"]
    assert list(department_list(plan=plan)) == []
    form = AssignmentForm(plan=plan)
    assert list(form.fields["lead"].queryset) == []  # type: ignore[attr-defined]
