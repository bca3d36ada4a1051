"""Reads for pages, the API and reports: official values with their on-track status, task
progress with roll-ups, review queues, alerts and the audit log. No N+1 queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from nengji.monitoring.models import (
    AuditEntry,
    MonitoringSettings,
    Observation,
    Round,
    Submission,
    Target,
    TaskStatus,
)
from nengji.monitoring.ontrack import Assessment, Band, Thresholds, assess
from nengji.monitoring.permissions import submissions_visible
from nengji.plan.models import Indicator, Plan, Section


def thresholds_for(plan: Plan) -> Thresholds:
    s = MonitoringSettings.objects.filter(plan=plan).first()
    if s is None:
        return Thresholds()
    return Thresholds(
        on_track_ratio=s.on_track_ratio,
        moderate_ratio=s.moderate_ratio,
        no_target_on_track=s.no_target_on_track,
        no_target_moderate=s.no_target_moderate,
    )


def indicator_assessment(
    *,
    indicator: Indicator,
    year: int,
    value: float,
    target_year: int | None,
    target_value: float | None,
    thresholds: Thresholds,
) -> Assessment | None:
    """The on-track assessment of one value of an indicator against its plan baseline.

    One place for what every page and report needs: no assessment without a baseline, and
    none for values the rule cannot judge (e.g. a CAGR through zero), instead of an error.
    """
    if indicator.baseline_value is None or not indicator.baseline_year:
        return None
    try:
        return assess(
            base_year=indicator.baseline_year,
            base_value=float(indicator.baseline_value),
            year=year,
            value=value,
            direction=indicator.direction if indicator.direction in (1, -1) else 1,
            target_year=target_year,
            target_value=target_value,
            thresholds=thresholds,
        )
    except ValueError:
        return None


def round_list(*, plan: Plan, public: bool = False) -> QuerySet[Round]:
    qs = Round.objects.filter(plan=plan).order_by("-year", "-quarter")
    return qs.filter(status=Round.Status.PUBLISHED) if public else qs


def latest_submissions(qs: QuerySet[Submission]) -> list[Submission]:
    """The newest sequence per (round, assignment)."""
    latest: dict[tuple[int, int], Submission] = {}
    for sub in qs.order_by("round_id", "assignment_id", "sequence"):
        latest[(sub.round_id, sub.assignment_id)] = sub
    return list(latest.values())


def round_submissions(
    *, round: Round, user: Any, department_id: int | None = None
) -> list[Submission]:
    """What this user may see of a round (a reporter: only its department's)."""
    qs = submissions_visible(user, Submission.objects.filter(round=round)).select_related(
        "assignment__indicator", "assignment__section", "department"
    )
    if department_id:
        qs = qs.filter(department_id=department_id)
    return latest_submissions(qs)


def review_queue(*, plan: Plan) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(round__plan=plan, status=Submission.Status.SUBMITTED)
        .select_related("round", "assignment__indicator", "assignment__section", "department")
        .order_by("submitted_at")
    )


@dataclass
class IndicatorStatus:
    indicator: Indicator
    target: Target | None
    latest: Observation | None
    vintages: list[Observation]
    assessment: Assessment | None

    @property
    def is_demo(self) -> bool:
        return bool((self.target and self.target.is_demo) or any(o.is_demo for o in self.vintages))


def official_values(
    *, indicator_ids: list[int] | None = None, published_only: bool = True
) -> QuerySet[Observation]:
    qs = Observation.objects.filter(indicator__isnull=False)
    if indicator_ids is not None:
        qs = qs.filter(indicator_id__in=indicator_ids)
    if published_only:
        qs = qs.filter(published_at__isnull=False)
    return qs.select_related("indicator").order_by("indicator_id", "year", "quarter", "vintage")


def indicator_statuses(*, plan: Plan, published_only: bool = True) -> list[IndicatorStatus]:
    """Each indicator with its target, every vintage and the on-track assessment of the latest
    annual official value (latest vintage of the latest year)."""
    indicators = list(plan.indicators.order_by("order", "id"))
    targets = {t.indicator_id: t for t in Target.objects.filter(indicator__plan=plan)}
    by_ind: dict[int, list[Observation]] = defaultdict(list)
    for obs in official_values(
        indicator_ids=[i.pk for i in indicators], published_only=published_only
    ):
        by_ind[obs.indicator_id].append(obs)  # type: ignore[index]
    th = thresholds_for(plan)
    out = []
    for ind in indicators:
        vintages = by_ind.get(ind.pk, [])
        annual = [o for o in vintages if o.quarter == 0]
        latest = max(annual, key=lambda o: (o.year, o.vintage)) if annual else None
        target = targets.get(ind.pk)
        assessment = None
        if latest is not None:
            assessment = indicator_assessment(
                indicator=ind,
                year=latest.year,
                value=float(latest.value),
                target_year=target.target_year if target else None,
                target_value=float(target.target_value) if target else None,
                thresholds=th,
            )
        out.append(IndicatorStatus(ind, target, latest, vintages, assessment))
    return out


@dataclass
class Progress:
    section: Section
    status: str = ""
    percent: float | None = None
    narrative: str = ""
    submission: Submission | None = None
    children: list[Progress] = field(default_factory=list)
    is_demo: bool = False

    @property
    def status_label(self) -> str:
        return TaskStatus(self.status).label if self.status else ""


def rollup_status(statuses: list[str]) -> str:
    """Roll-up rule: 已完成 if all completed; 滞后 if any lagging; 未启动 if none started;
    otherwise 按计划推进. Children without a report are left out."""
    s = [x for x in statuses if x]
    if not s:
        return ""
    if all(x == TaskStatus.COMPLETED for x in s):
        return TaskStatus.COMPLETED
    if any(x == TaskStatus.LAGGING for x in s):
        return TaskStatus.LAGGING
    if all(x == TaskStatus.NOT_STARTED for x in s):
        return TaskStatus.NOT_STARTED
    return TaskStatus.ON_SCHEDULE


def task_progress(
    *, plan: Plan, round: Round | None = None, published_only: bool = True
) -> list[Progress]:
    """Areas → tasks → measures with the latest approved progress, rolled up.

    Percent of a parent = the unweighted mean of its reported children's percents.
    """
    subs = Submission.objects.filter(
        round__plan=plan, status=Submission.Status.APPROVED, assignment__section__isnull=False
    )
    if round is not None:
        subs = subs.filter(round=round)
    if published_only:
        subs = subs.filter(round__status=Round.Status.PUBLISHED)
    latest: dict[int, Submission] = {}
    for sub in subs.select_related("assignment").order_by(
        "round__year", "round__quarter", "sequence"
    ):
        latest[sub.assignment.section_id] = sub  # type: ignore[index]
    sections = list(
        plan.sections.filter(
            kind__in=[
                Section.Kind.AREA,
                Section.Kind.TASK,
                Section.Kind.MEASURE,
                Section.Kind.PROJECT,
            ]
        ).order_by("order", "id")
    )
    nodes = {s.pk: Progress(s) for s in sections}
    roots = []
    for s in sections:
        node = nodes[s.pk]
        sub = latest.get(s.pk)
        if sub is not None:
            node.status, node.percent, node.narrative = (
                sub.task_status,
                sub.percent_complete,
                sub.narrative,
            )
            node.submission, node.is_demo = sub, sub.is_demo
        parent = nodes.get(s.parent_id) if s.parent_id else None
        if parent is not None:
            parent.children.append(node)
        elif s.kind == Section.Kind.AREA:
            roots.append(node)

    def roll(node: Progress) -> None:
        for child in node.children:
            roll(child)
        if node.submission is None and node.children:
            reported = [c for c in node.children if c.status]
            node.status = rollup_status([c.status for c in reported])
            pcts = [c.percent for c in reported if c.percent is not None]
            node.percent = round_(sum(pcts) / len(pcts)) if pcts else None
            node.is_demo = any(c.is_demo for c in node.children)

    for r in roots:
        roll(r)
    return roots


def round_(x: float) -> float:
    return float(Decimal(str(x)).quantize(Decimal("0.1")))


@dataclass
class Alerts:
    overdue: list[Submission]
    off_track: list[IndicatorStatus]
    lagging: list[Submission]

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.off_track) + len(self.lagging)


def alerts(*, plan: Plan, now: dt.datetime | None = None) -> Alerts:
    now = now or timezone.now()
    overdue = list(
        Submission.objects.filter(
            round__plan=plan,
            round__status=Round.Status.OPEN,
            round__deadline__lt=now,
            status__in=[Submission.Status.DRAFT, Submission.Status.RETURNED],
        )
        .select_related("round", "department", "assignment__indicator", "assignment__section")
        .order_by("round__deadline", "department__order")
    )
    off_track = [
        s
        for s in indicator_statuses(plan=plan, published_only=False)
        if s.assessment and s.assessment.band in (Band.LIMITED, Band.AWAY)
    ]
    latest: dict[int, Submission] = {}
    for sub in (
        Submission.objects.filter(
            round__plan=plan, status=Submission.Status.APPROVED, assignment__section__isnull=False
        )
        .select_related("round", "department", "assignment__section")
        .order_by("round__year", "round__quarter", "sequence")
    ):
        latest[sub.assignment_id] = sub
    lagging = [s for s in latest.values() if s.task_status == TaskStatus.LAGGING]
    return Alerts(overdue, off_track, lagging)


def audit_list(
    *, object_type: str = "", action: str = "", actor: str = "", object_id: str = ""
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.select_related("actor")
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_label=actor)
    return qs.order_by("-at", "-id")
