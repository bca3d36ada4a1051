"""Opening and closing reporting rounds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record, snapshot
from nengji.monitoring.errors import ErrorDetail, MonitoringError, conflict
from nengji.monitoring.models import Assignment, Frequency, Round, Submission
from nengji.monitoring.permissions import require_office
from nengji.plan.models import Plan

ROUND_FIELDS = ("year", "quarter", "deadline", "status", "published_at", "version")


@transaction.atomic
def round_open(
    *,
    plan: Plan,
    year: int,
    quarter: int = 0,
    deadline: dt.datetime,
    by: Any,
    is_demo: bool = False,
) -> Round:
    """Open a round and give every responsible department an empty draft per assignment.

    An annual round covers every active assignment, the partner regions' benchmark assignments
    included; a quarterly round the quarterly ones.
    """
    require_office(by)
    errors = []
    if not (plan.period_start - 1 <= year <= plan.period_end + 1):
        errors.append(
            ErrorDetail(
                "year",
                _("The year must lie in the plan period %(start)s–%(end)s.")
                % {"start": plan.period_start, "end": plan.period_end},
            )
        )
    if quarter not in (0, 1, 2, 3, 4):
        errors.append(
            ErrorDetail("quarter", _("The quarter must be 1–4, or 0 for an annual round."))
        )
    if deadline is None or timezone.is_naive(deadline):
        errors.append(ErrorDetail("deadline", _("A deadline with a time zone is required.")))
    if errors:
        raise MonitoringError(errors)
    if Round.objects.filter(plan=plan, year=year, quarter=quarter).exists():
        raise MonitoringError.one(
            "year", _("A round for this period already exists."), code="conflict"
        )
    try:
        with transaction.atomic():
            rnd = Round.objects.create(
                plan=plan,
                year=year,
                quarter=quarter,
                deadline=deadline,
                opened_by=by,
                opened_at=timezone.now(),
                is_demo=is_demo,
            )
    except IntegrityError as exc:  # a concurrent open of the same period won
        raise MonitoringError.one(
            "year", _("A round for this period already exists."), code="conflict"
        ) from exc
    assignments = _round_assignments(rnd)
    Submission.objects.bulk_create(
        [
            Submission(round=rnd, assignment_id=a_id, department_id=lead_id, is_demo=is_demo)
            for a_id, lead_id in assignments.values_list("id", "lead_id")
        ],
        batch_size=1000,
    )
    audit_record(
        actor=by,
        action="open",
        obj=rnd,
        label=f"round {rnd.label}",
        after=snapshot(rnd, ROUND_FIELDS),
    )
    return rnd


def _round_assignments(rnd: Round) -> Any:
    """Active assignments, without the plan elements a reload retired (`plan load --retire`)."""
    assignments = Assignment.every_unit.filter(plan_id=rnd.plan_id, active=True).exclude(
        Q(indicator__retired=True) | Q(section__retired=True)
    )
    if rnd.quarter:
        assignments = assignments.filter(frequency=Frequency.QUARTERLY)
    return assignments


@transaction.atomic
def round_reports_complete(*, round: Round, by: Any) -> int:
    """Give assignments made (or re-activated) after the round opened their empty drafts."""
    require_office(by)
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.status != Round.Status.OPEN:
        raise MonitoringError.one(
            "status",
            _("The round is %(status)s, not open.") % {"status": rnd.get_status_display()},
            code="conflict",
        )
    have = set(Submission.objects.filter(round=rnd).values_list("assignment_id", flat=True))
    new = [
        Submission(round=rnd, assignment_id=a_id, department_id=lead_id, is_demo=rnd.is_demo)
        for a_id, lead_id in _round_assignments(rnd).values_list("id", "lead_id")
        if a_id not in have
    ]
    Submission.objects.bulk_create(new, batch_size=1000)
    if new:
        audit_record(
            actor=by,
            action="update",
            obj=rnd,
            label=f"round {rnd.label}",
            after={"reports_added": len(new)},
        )
    return len(new)


@transaction.atomic
def round_close(*, round: Round, by: Any, version: int | None = None) -> Round:
    """Close a round for reporting: drafts can no longer be submitted."""
    require_office(by)
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if version is not None and version != rnd.version:
        raise conflict(
            _("The round was changed by someone else in the meantime; reload and try again.")
        )
    if rnd.status != Round.Status.OPEN:
        raise MonitoringError.one(
            "status",
            _("The round is %(status)s, not open.") % {"status": rnd.get_status_display()},
            code="conflict",
        )
    before = snapshot(rnd, ROUND_FIELDS)
    rnd.status = Round.Status.CLOSED
    rnd.version += 1
    rnd.save(update_fields=["status", "version"])
    audit_record(
        actor=by,
        action="close",
        obj=rnd,
        label=f"round {rnd.label}",
        before=before,
        after=snapshot(rnd, ROUND_FIELDS),
    )
    return rnd
