"""Monitoring rows for report tests, on the loaded Yangpu plan, flagged demo (is_demo=True).

Written straight to the monitoring tables: report tests read data, they do not test the
submission workflow (tests/monitoring does).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from nengji.monitoring.models import Assignment, Observation, Round, Submission, Target
from nengji.plan.models import Department, Indicator, Plan, Section

# indicator order → (target, nature, {year: value}) ; values chosen to give every evaluation
SERIES = {
    3: ("130", "expected", {2021: "108.2", 2022: "117.9", 2023: "126.3"}),  # ahead of plan
    4: ("1500", "binding", {2021: "1066", 2022: "1180", 2023: "1297"}),  # on track
    5: ("14", "expected", {2021: "10", 2022: "11", 2023: "11"}),  # moderate/limited
    8: ("130", "binding", {2021: "98", 2022: "96", 2023: "95"}),  # moving away → 滞后
    9: ("30", "expected", {2022: "23"}),  # stale: nothing for 2023
}
REVISED = 4  # the 2023 value of this indicator gets a second vintage
REVISED_VALUE = "1302.5"
TASK_STATUSES = ["completed", "on_schedule", "on_schedule", "lagging", "not_started", "lagging"]


@dataclass
class Seeded:
    indicators: dict[int, Indicator]
    measures: list[Section]
    round: Round


def _at(year: int) -> dt.datetime:
    return dt.datetime(year + 1, 3, 1, 10, tzinfo=dt.UTC)


def seed_monitoring(plan: Plan, *, year: int = 2023) -> Seeded:
    indicators = {i.order: i for i in plan.indicators.all()}
    ordered = sorted(indicators)  # SERIES counts indicators from 1 in plan order
    chosen = {n: indicators[ordered[n - 1]] for n in sorted(SERIES)}
    depts = list(Department.objects.filter(district=plan.district).order_by("order", "code")[:3])
    now = timezone.now()
    for n, ind in chosen.items():
        target, nature, values = SERIES[n]
        Target.objects.create(
            indicator=ind,
            target_year=2025,
            target_value=Decimal(target),
            nature=nature,
            set_at=now,
            is_demo=True,
        )
        Assignment.objects.create(plan=plan, indicator=ind, lead=depts[n % 3], is_demo=True)
        for y, value in values.items():
            if y > year:
                continue
            Observation.objects.create(
                indicator=ind,
                year=y,
                value=Decimal(value),
                source=Observation.Source.SUBMISSION,
                recorded_at=_at(y),
                published_at=_at(y),
                is_demo=True,
            )
        if n == REVISED and year >= 2023:
            Observation.objects.create(
                indicator=ind,
                year=2023,
                value=Decimal(REVISED_VALUE),
                vintage=2,
                source=Observation.Source.SUBMISSION,
                reason="统计口径更正",
                recorded_at=_at(2023) + dt.timedelta(days=30),
                published_at=_at(2023) + dt.timedelta(days=30),
                is_demo=True,
            )
    rnd = Round.objects.create(
        plan=plan,
        year=year,
        deadline=_at(year),
        status=Round.Status.PUBLISHED,
        opened_at=_at(year) - dt.timedelta(days=30),
        published_at=_at(year),
        is_demo=True,
    )
    measures = list(plan.sections.filter(kind=Section.Kind.MEASURE).order_by("order", "id"))
    chosen_measures = measures[:: max(1, len(measures) // len(TASK_STATUSES))][: len(TASK_STATUSES)]
    for k, (measure, status) in enumerate(zip(chosen_measures, TASK_STATUSES, strict=True)):
        a = Assignment.objects.create(plan=plan, section=measure, lead=depts[k % 3], is_demo=True)
        Submission.objects.create(
            round=rnd,
            assignment=a,
            department=a.lead,
            status=Submission.Status.APPROVED,
            task_status=status,
            percent_complete={"completed": 100, "not_started": 0}.get(status, 40 + 5 * k),
            narrative="受用地指标影响，项目开工推迟。" if status == "lagging" else "",
            is_demo=True,
        )
    return Seeded(chosen, chosen_measures, rnd)
