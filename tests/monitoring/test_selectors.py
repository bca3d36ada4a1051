from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from nengji.monitoring import selectors, services
from nengji.monitoring.models import Submission, TaskStatus
from nengji.monitoring.ontrack import Band
from nengji.monitoring.selectors import rollup_status


def _approve(rnd, assignment, stc, office, **values):
    s = Submission.objects.get(round=rnd, assignment=assignment, sequence=1)
    services.submission_save(submission=s, by=stc, **values)
    services.submission_submit(submission=s, by=stc)
    return services.submission_approve(submission=s, by=office)


def test_indicator_status_only_published_for_the_public(round_, mini, stc, office):
    services.target_set(
        indicator=mini["i1"],
        target_year=2025,
        target_value=Decimal(200),
        basis="演示目标",
        by=office,
        is_demo=True,
    )
    _approve(round_, mini["a1"], stc, office, value=Decimal(115))
    ht = next(
        s for s in selectors.indicator_statuses(plan=mini["plan"]) if s.indicator.code == "HT"
    )
    assert ht.latest is None and ht.assessment is None
    services.round_publish(round=round_, by=office)
    ht = next(
        s for s in selectors.indicator_statuses(plan=mini["plan"]) if s.indicator.code == "HT"
    )
    # baseline 100 (2020) -> 115 (2021): 15 %/yr vs 14.87 % required -> on track
    assert ht.latest.value == 115 and ht.assessment.band == Band.ON_TRACK
    assert ht.is_demo and ht.band_label == "符合预期"


def test_task_rollup(round_, mini, stc, office):
    _approve(
        round_,
        mini["a4"],
        stc,
        office,
        task_status=TaskStatus.LAGGING,
        percent_complete=30,
        narrative="用地未落实",
    )
    assert selectors.task_progress(plan=mini["plan"])[0].status == ""  # not yet published
    services.round_publish(round=round_, by=office)
    [area] = selectors.task_progress(plan=mini["plan"])
    [task] = area.children
    [measure] = task.children
    assert measure.status == "lagging" and measure.percent == 30
    assert task.status == "lagging" and task.percent == 30
    assert area.status == "lagging"


def test_rollup_rule():
    c, o, lag, n = (
        TaskStatus.COMPLETED,
        TaskStatus.ON_SCHEDULE,
        TaskStatus.LAGGING,
        TaskStatus.NOT_STARTED,
    )
    assert rollup_status([c, c]) == c
    assert rollup_status([c, o, lag]) == lag
    assert rollup_status([n, n, ""]) == n
    assert rollup_status([n, c]) == o
    assert rollup_status(["", ""]) == ""


def test_alerts(mini, stc, office):
    from nengji.monitoring.models import Round

    rnd = services.round_open(
        plan=mini["plan"], year=2021, by=office, deadline=timezone.now() + dt.timedelta(days=1)
    )
    Round.objects.filter(pk=rnd.pk).update(deadline=timezone.now() - dt.timedelta(days=1))
    _approve(rnd, mini["a1"], stc, office, value=Decimal(99))  # moving away, no target
    _approve(
        rnd,
        mini["a4"],
        stc,
        office,
        task_status=TaskStatus.LAGGING,
        percent_complete=10,
        narrative="滞后",
    )
    a = selectors.alerts(plan=mini["plan"])
    assert {s.assignment.item_code for s in a.overdue} == {"RD", "GDP"}
    assert [s.indicator.code for s in a.off_track] == ["HT"]
    assert [s.assignment.item_code for s in a.lagging] == ["M1"]
