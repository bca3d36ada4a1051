"""Figures other apps count (registry, vouchers, technology contracts, policy funds) enter
monitoring as proposals, and become official only through the plan office.

`value_propose` is what those apps call (with their provenance: what was counted, as of when,
the hash of the snapshot counted). `proposal_accept` turns a proposal into the year's report of
the indicator's lead department (approved at once, published with its round, or at once in a
published round); a figure the department has reported is never replaced without a reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record, snapshot
from nengji.core.numbers import bounded_decimal
from nengji.monitoring.errors import MonitoringError
from nengji.monitoring.models import Assignment, ProposedValue, Round, Submission
from nengji.monitoring.permissions import require_office
from nengji.monitoring.services.submissions import (
    SUBMISSION_FIELDS,
    submission_approve,
    submission_create,
    submission_revise,
)
from nengji.plan.models import Indicator, Plan

PROPOSAL_FIELDS = ("status", "value", "decision_note", "submission")


@transaction.atomic
def value_propose(
    *,
    plan: Plan,
    indicator: Indicator,
    year: int,
    value: Any,
    source: str,
    method: str,
    as_of: dt.date,
    snapshot_sha256: str,
    provenance: dict[str, Any] | None = None,
    quarter: int = 0,
    by: Any = None,
    is_demo: bool = False,
) -> ProposedValue:
    """Propose a counted figure. Proposing the same count again (same snapshot, same value)
    changes nothing; a new count supersedes the source's pending one."""
    number = bounded_decimal(value, field="value")
    if indicator.plan_id != plan.pk:
        raise MonitoringError.one("indicator", _("Choose an indicator of this plan."))
    if not (plan.period_start - 10 <= year <= plan.period_end + 1) or not 0 <= quarter <= 4:
        raise MonitoringError.one("year", _("The year is outside the plan's period."))
    if not method.strip() or len(snapshot_sha256) != 64:
        raise MonitoringError.one(
            "method", _("Say what was counted and give the snapshot's SHA-256.")
        )
    pending = (
        ProposedValue.objects.select_for_update()
        .filter(
            indicator=indicator,
            year=year,
            quarter=quarter,
            source=source,
            status=ProposedValue.Status.PENDING,
        )
        .first()
    )
    if pending is not None:
        if pending.snapshot_sha256 == snapshot_sha256 and pending.value == number:
            return pending
        pending.status = ProposedValue.Status.SUPERSEDED
        pending.save(update_fields=["status"])
        audit_record(actor=by, action="supersede", obj=pending, after={"status": "superseded"})
    proposal = ProposedValue.objects.create(
        plan=plan,
        indicator=indicator,
        year=year,
        quarter=quarter,
        value=number,
        source=source,
        method=method.strip(),
        as_of=as_of,
        snapshot_sha256=snapshot_sha256,
        provenance=provenance or {},
        proposed_at=timezone.now(),
        proposed_by=by if getattr(by, "is_authenticated", False) else None,
        is_demo=is_demo,
    )
    audit_record(
        actor=by,
        action="propose",
        obj=proposal,
        after={
            "value": number,
            "year": year,
            "source": source,
            "as_of": as_of,
            "snapshot_sha256": snapshot_sha256,
        },
    )
    return proposal


def _pending(proposal: ProposedValue) -> ProposedValue:
    row = ProposedValue.objects.select_for_update().get(pk=proposal.pk)
    if row.status != ProposedValue.Status.PENDING:
        raise MonitoringError.one(
            "status",
            _("This proposal is already %(status)s.") % {"status": row.get_status_display()},
            code="conflict",
        )
    return row


def _explanation(p: ProposedValue, reason: str) -> str:
    text = _("Counted by %(source)s as of %(as_of)s: %(method)s (snapshot %(sha)s).") % {
        "source": p.source,
        "as_of": p.as_of.isoformat(),
        "method": p.method,
        "sha": p.snapshot_sha256[:12],
    }
    return f"{text} {reason}".strip()


@transaction.atomic
def proposal_accept(*, proposal: ProposedValue, by: Any, reason: str = "") -> ProposedValue:
    """Make the proposed figure the year's approved report of the indicator's lead department.

    Refused (nothing changed): no round for the year, the indicator not assigned, a report
    awaiting review, or a different figure already reported and no `reason` given.
    """
    require_office(by)
    p = _pending(proposal)
    rnd = Round.objects.filter(plan_id=p.plan_id, year=p.year, quarter=p.quarter).first()
    if rnd is None:
        raise MonitoringError.one(
            "year", _("Open a reporting round for %(year)s first.") % {"year": p.year}
        )
    assignment = Assignment.objects.filter(plan_id=p.plan_id, indicator_id=p.indicator_id).first()
    if assignment is None:
        raise MonitoringError.one(
            "indicator", _("Assign the indicator to a lead department first.")
        )
    latest = (
        Submission.objects.select_for_update()
        .filter(round=rnd, assignment=assignment)
        .order_by("-sequence")
        .first()
    )
    if latest is None:
        latest = submission_create(round=rnd, assignment=assignment, by=by)
    if latest.status == Submission.Status.SUBMITTED:
        raise MonitoringError.one(
            "status",
            _("The department's report awaits review: approve or return it first."),
            code="conflict",
        )
    if latest.status == Submission.Status.APPROVED and latest.value == p.value:
        target = latest  # the figure is already the official one
    else:
        if latest.value is not None and not reason.strip():
            raise MonitoringError.one(
                "reason",
                _("%(department)s reported %(value)s; give a reason to replace it.")
                % {"department": latest.department.name_zh, "value": latest.value},
                code="conflict",
            )
        if latest.status == Submission.Status.APPROVED:
            latest = submission_revise(submission=latest, reason=reason or p.method, by=by)
        before = snapshot(latest, SUBMISSION_FIELDS)
        latest.value = p.value
        latest.explanation = _explanation(p, reason)
        latest.status = Submission.Status.SUBMITTED
        latest.submitted_at = timezone.now()
        latest.updated_by = by
        latest.updated_at = latest.submitted_at
        latest.is_demo = latest.is_demo or p.is_demo
        latest.version += 1
        latest.save()
        audit_record(
            actor=by,
            action="submit",
            obj=latest,
            label=f"{rnd.label} {p.indicator.code}: proposed by {p.source}",
            before=before,
            after=snapshot(latest, SUBMISSION_FIELDS),
        )
        target = submission_approve(submission=latest, by=by)
    before = snapshot(p, PROPOSAL_FIELDS)
    p.status = ProposedValue.Status.ACCEPTED
    p.submission = target
    p.decided_by, p.decided_at, p.decision_note = by, timezone.now(), reason.strip()
    p.save()
    audit_record(
        actor=by, action="accept", obj=p, before=before, after=snapshot(p, PROPOSAL_FIELDS)
    )
    return p


@transaction.atomic
def proposal_reject(*, proposal: ProposedValue, by: Any, reason: str) -> ProposedValue:
    require_office(by)
    if not reason.strip():
        raise MonitoringError.one("reason", _("Say why the figure is rejected."))
    p = _pending(proposal)
    before = snapshot(p, PROPOSAL_FIELDS)
    p.status = ProposedValue.Status.REJECTED
    p.decided_by, p.decided_at, p.decision_note = by, timezone.now(), reason.strip()
    p.save()
    audit_record(
        actor=by, action="reject", obj=p, before=before, after=snapshot(p, PROPOSAL_FIELDS)
    )
    return p
