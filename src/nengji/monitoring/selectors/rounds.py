"""Reads of rounds and reports: lists, what a user may see of a round, the review queue and the
office's alerts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from nengji.monitoring.models import Round, Submission, TaskStatus
from nengji.monitoring.permissions import submissions_visible
from nengji.monitoring.rating import OFF_TRACK
from nengji.monitoring.selectors.indicators import IndicatorStatus, indicator_statuses
from nengji.monitoring.selectors.progress import latest_approved
from nengji.plan.models import Plan


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
class Alerts:
    overdue: list[Submission]
    off_track: list[IndicatorStatus]
    lagging: list[Submission]

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.off_track) + len(self.lagging)


def alerts(*, plan: Plan, now: dt.datetime | None = None) -> Alerts:
    """What the office should act on: overdue reports, indicators off track (approved values,
    published or not yet: an early warning) and measures reported as lagging."""
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
        s for s in indicator_statuses(plan=plan, published_only=False) if s.band in OFF_TRACK
    ]
    latest = latest_approved(plan=plan, on="section", published_only=False)
    lagging = [s for s in latest.values() if s.task_status == TaskStatus.LAGGING]
    return Alerts(overdue, off_track, lagging)
