"""Finding 1: out-of-range numbers poisoned the database through the API and services.

Every number is bounded (finite, |x| < 1e14, at most 6 places) in the API (422 naming the
field) and again in each service (400 naming the field); nothing is stored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nengji.core.errors import DomainError
from nengji.monitoring import services
from nengji.monitoring.models import Assignment, Observation, Submission, Target

HOSTILE = ["1e30", "-1e20", "1e14", "NaN", "Infinity", "0.1234567", "12abc"]


def _sub(yp, key):
    return Submission.objects.get(round=yp["round"], assignment=yp[key], sequence=1)


def _field(r):
    return {d["field"] for d in r.json()["detail"]}


@pytest.mark.parametrize("raw", HOSTILE)
def test_api_submission_value_refused_and_nothing_stored(as_user, stc, yp, raw):
    sub = _sub(yp, "a_ht")
    r = as_user(stc).patch(f"/monitoring/submissions/{sub.pk}", {"value": raw})
    assert r.status_code in (400, 422), r.content
    assert "value" in _field(r)
    sub.refresh_from_db()
    assert sub.value is None and sub.version == 1
    # the submission, the round's list and the department's template still answer
    assert as_user(stc).get(f"/monitoring/submissions/{sub.pk}").status_code == 200
    r = as_user(stc).get(f"/monitoring/rounds/{yp['round'].pk}/template.xlsx")
    assert r.status_code == 200


def test_api_number_as_json_number_refused(as_user, stc, yp):
    sub = _sub(yp, "a_ht")
    r = as_user(stc).patch(f"/monitoring/submissions/{sub.pk}", {"value": 1e30})
    assert r.status_code in (400, 422) and "value" in _field(r)


@pytest.mark.parametrize("raw", ["1e40", "NaN", "1.0000001"])
def test_api_target_value_refused(as_user, office, yp, raw):
    r = as_user(office).put(
        "/monitoring/targets/HIGH_TECH_ENTERPRISES",
        {"target_year": 2025, "target_value": raw, "basis": "区政府工作报告"},
    )
    assert r.status_code in (400, 422) and "target_value" in _field(r)
    assert not Target.objects.exists()
    assert as_user(None).get("/monitoring/status").status_code == 200


def test_api_target_milestone_refused(as_user, office, yp):
    r = as_user(office).put(
        "/monitoring/targets/HIGH_TECH_ENTERPRISES",
        {
            "target_year": 2025,
            "target_value": "1500",
            "basis": "区政府工作报告",
            "milestones": {"2023": "1e30"},
        },
    )
    assert r.status_code in (400, 422) and any(f.startswith("milestones") for f in _field(r))
    assert not Target.objects.exists()


def test_api_external_observation_refused(as_user, office, yp):
    r = as_user(office).post(
        "/monitoring/observations/external",
        {
            "series": "index:composite",
            "year": 2021,
            "value": "1e20",
            "source_note": "年报",
            "published_on": "2022-03-01T00:00:00+08:00",
        },
    )
    assert r.status_code in (400, 422) and "value" in _field(r)
    assert not Observation.objects.exists()


@pytest.mark.parametrize("field", ["min_value", "max_value"])
def test_api_assignment_bounds_refused(as_user, office, yp, field):
    before = Assignment.objects.get(pk=yp["a_ht"].pk)
    r = as_user(office).put(
        "/monitoring/assignments",
        {"indicator": "HIGH_TECH_ENTERPRISES", "lead": "STC", field: "1e30"},
    )
    assert r.status_code in (400, 422) and field in _field(r)
    after = Assignment.objects.get(pk=yp["a_ht"].pk)
    assert (after.min_value, after.max_value) == (before.min_value, before.max_value)


# --- the services themselves (for callers other than the API: CLI, importers, other apps) ---
def test_service_submission_save_bounds(stc, yp):
    sub = _sub(yp, "a_ht")
    with pytest.raises(DomainError) as exc:
        services.submission_save(submission=sub, by=stc, value=Decimal("1e30"))
    assert exc.value.by_field().keys() == {"value"}
    with pytest.raises(DomainError):
        services.submission_save(submission=sub, by=stc, value=Decimal("NaN"))
    sub.refresh_from_db()
    assert sub.value is None


def test_service_target_set_bounds(office, yp):
    ind = yp["a_ht"].indicator
    with pytest.raises(DomainError) as exc:
        services.target_set(
            indicator=ind, target_year=2025, target_value=Decimal("1e40"), basis="x", by=office
        )
    assert "target_value" in exc.value.by_field()
    assert not Target.objects.exists()


def test_service_external_and_assignment_bounds(office, yp):
    with pytest.raises(DomainError) as exc:
        services.observation_record_external(
            value=Decimal("1e20"),
            year=2021,
            series="index:composite",
            source_note="年报",
            published_on=dt.datetime(2022, 3, 1, tzinfo=dt.UTC),
            by=office,
        )
    assert "value" in exc.value.by_field()
    a = yp["a_ht"]
    with pytest.raises(DomainError) as exc:
        services.assignment_set(
            plan=yp["plan"],
            indicator=a.indicator,
            lead=a.lead,
            by=office,
            max_value=Decimal("1e30"),
        )
    assert "max_value" in exc.value.by_field()


@pytest.mark.parametrize("raw", [2**63, -1, 101])
def test_percent_complete_out_of_range(as_user, stc, yp, raw):
    sub = _sub(yp, "a_m")
    r = as_user(stc).patch(f"/monitoring/submissions/{sub.pk}", {"percent_complete": raw})
    assert r.status_code in (400, 422) and "percent_complete" in _field(r)
    sub.refresh_from_db()
    assert sub.percent_complete is None and sub.version == 1
