"""Two people acting on the same item at once: one wins, the other gets a conflict, nothing is
lost or duplicated. Real threads, each with its own PostgreSQL connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from nengji.core.errors import DomainError
from nengji.core.models import AuditEntry
from nengji.monitoring import services
from nengji.monitoring.errors import MonitoringError
from nengji.monitoring.excel import template_build
from nengji.monitoring.models import Observation, Round, Submission
from tests.monitoring import factories as f
from tests.monitoring.helpers import fill

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and real concurrent connections need PostgreSQL",
    ),
]


def race(*actions: Callable[[], Any]) -> list[Any]:
    """Run the actions at the same moment in threads; each result or MonitoringError."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(i: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = action()
        except DomainError as exc:
            results[i] = exc
        except Exception as exc:  # reported by the assertion below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def outcome(results: list[Any]) -> tuple[int, list[MonitoringError]]:
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, MonitoringError) for e in errors), errors
    return len(results) - len(errors), errors  # type: ignore[return-value]


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    office, office2 = f.user("office"), f.user("office")
    stc = f.user("reporter", "STC")
    p = f.plan()
    ind = f.indicator(p, "HT", baseline="100")
    a = services.assignment_set(plan=p, indicator=ind, lead=f.department("STC"), by=office)
    rnd = services.round_open(plan=p, year=2021, deadline=f.deadline(), by=office)
    sub = Submission.objects.get(round=rnd, assignment=a)
    return {
        "office": office,
        "office2": office2,
        "stc": stc,
        "plan": p,
        "ind": ind,
        "round": rnd,
        "sub": sub,
    }


def submitted(w):  # type: ignore[no-untyped-def]
    s = services.submission_save(submission=w["sub"], value=Decimal(110), by=w["stc"])
    return services.submission_submit(submission=s, by=w["stc"])


def test_two_office_users_approve_at_once(world):
    s = submitted(world)
    results = race(
        lambda: services.submission_approve(submission=s, by=world["office"], version=s.version),
        lambda: services.submission_approve(submission=s, by=world["office2"], version=s.version),
    )
    wins, errors = outcome(results)
    assert wins == 1 and errors[0].code == "conflict"
    assert "刷新" in str(errors[0])  # "reload and try again"
    assert Observation.objects.filter(indicator=world["ind"]).count() == 1
    assert AuditEntry.objects.filter(action="approve").count() == 1


def test_two_office_users_approve_without_versions(world):
    s = submitted(world)
    results = race(
        lambda: services.submission_approve(submission=s, by=world["office"]),
        lambda: services.submission_approve(submission=s, by=world["office2"]),
    )
    wins, errors = outcome(results)
    assert wins == 1 and errors[0].code == "conflict"  # the row lock serialises them
    assert Observation.objects.filter(indicator=world["ind"]).count() == 1


def test_reporter_edits_while_office_returns(world):
    s = submitted(world)
    v = s.version
    results = race(
        lambda: services.submission_return(
            submission=s, comment="请核对", by=world["office"], version=v
        ),
        lambda: services.submission_save(
            submission=s, value=Decimal(999), by=world["stc"], version=v
        ),
    )
    wins, errors = outcome(results)
    assert wins == 1 and errors[0].code == "conflict"
    final = Submission.objects.get(pk=s.pk)
    assert final.status == "returned" and final.value == 110  # nothing lost, nothing half-done


def test_two_uploads_for_the_same_assignment(world):
    data = template_build(round=world["round"], department=f.department("STC"))
    first = fill(data, {"HT": {"value": 120}})
    second = fill(data, {"HT": {"value": 130}})
    dept = f.department("STC")
    results = race(
        lambda: services.submissions_import(
            round=world["round"], department=dept, data=first, by=world["stc"]
        ),
        lambda: services.submissions_import(
            round=world["round"], department=dept, data=second, by=world["stc"]
        ),
    )
    wins, errors = outcome(results)
    assert wins == 1 and errors[0].code == "conflict"
    assert errors[0].detail[0].row == 4 and errors[0].detail[0].field == "version"
    final = Submission.objects.get(pk=world["sub"].pk)
    assert final.value in (120, 130) and final.version == 2
    assert AuditEntry.objects.filter(object_type="submission", action="update").count() == 1


def test_two_office_users_open_the_same_round(world):
    p = world["plan"]
    results = race(
        lambda: services.round_open(plan=p, year=2022, deadline=f.deadline(), by=world["office"]),
        lambda: services.round_open(plan=p, year=2022, deadline=f.deadline(), by=world["office2"]),
    )
    wins, errors = outcome(results)
    assert wins == 1 and errors[0].code == "conflict"
    rnd = Round.objects.get(plan=p, year=2022)
    assert rnd.submissions.count() == 1


def test_two_revisions_at_once(world):
    s = submitted(world)
    s = services.submission_approve(submission=s, by=world["office"])
    results = race(
        lambda: services.submission_revise(submission=s, reason="更正 A", by=world["stc"]),
        lambda: services.submission_revise(submission=s, reason="更正 B", by=world["office"]),
    )
    wins, errors = outcome(results)
    assert wins == 1 and errors[0].code == "conflict"
    assert Submission.objects.filter(round=world["round"], assignment=s.assignment).count() == 2
