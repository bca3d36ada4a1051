from __future__ import annotations

import datetime as dt

import pytest

from nengji.core.errors import DomainError
from nengji.core.models import AuditEntry
from nengji.monitoring import services
from nengji.monitoring.models import Frequency, Round, Submission
from tests.monitoring import factories as f


def test_round_open_creates_a_draft_per_assignment(mini, office):
    rnd = services.round_open(plan=mini["plan"], year=2022, deadline=f.deadline(), by=office)
    subs = Submission.objects.filter(round=rnd)
    assert subs.count() == 4
    assert set(subs.values_list("status", flat=True)) == {"draft"}
    assert subs.filter(department=mini["DRC"]).count() == 1
    entry = AuditEntry.objects.get(action="open", object_id=str(rnd.pk))
    assert entry.actor == office and entry.after["year"] == 2022


def test_quarterly_round_covers_only_quarterly_assignments(mini, office):
    services.assignment_set(
        plan=mini["plan"],
        indicator=mini["i1"],
        lead=mini["STC"],
        frequency=Frequency.QUARTERLY,
        by=office,
    )
    rnd = services.round_open(
        plan=mini["plan"], year=2022, quarter=2, deadline=f.deadline(), by=office
    )
    assert list(rnd.submissions.values_list("assignment_id", flat=True)) == [mini["a1"].pk]
    assert rnd.label == "2022 Q2"


def test_round_open_validates_every_field(mini, office):
    with pytest.raises(DomainError) as exc:
        services.round_open(
            plan=mini["plan"],
            year=1999,
            quarter=7,
            deadline=dt.datetime(2022, 1, 1),  # noqa: DTZ001 - a naive deadline is the error
            by=office,
        )
    assert {d.field for d in exc.value.detail} == {"year", "quarter", "deadline"}
    assert not Round.objects.exists()


def test_same_period_twice_is_a_conflict(round_, mini, office):
    with pytest.raises(DomainError) as exc:
        services.round_open(plan=mini["plan"], year=2021, deadline=f.deadline(), by=office)
    assert exc.value.code == "conflict"


@pytest.mark.parametrize("who", ["leader", "stc"])
def test_only_the_office_opens_rounds(mini, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(DomainError) as exc:
        services.round_open(plan=mini["plan"], year=2022, deadline=f.deadline(), by=user)
    assert exc.value.code == "permission"


def test_round_close(round_, office):
    rnd = services.round_close(round=round_, by=office)
    assert rnd.status == Round.Status.CLOSED
    with pytest.raises(DomainError):
        services.round_close(round=round_, by=office)


def test_round_reports_complete(round_, mini, office, stc, client):
    late = services.assignment_set(
        plan=mini["plan"], indicator=f.indicator(mini["plan"]), lead=mini["DRC"], by=office
    )
    assert not Submission.objects.filter(round=round_, assignment=late).exists()
    with pytest.raises(DomainError):
        services.round_reports_complete(round=round_, by=stc)
    assert services.round_reports_complete(round=round_, by=office) == 1
    assert Submission.objects.get(round=round_, assignment=late).department == mini["DRC"]
    assert services.round_reports_complete(round=round_, by=office) == 0
