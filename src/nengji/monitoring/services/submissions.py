"""A department's report through its life: draft → submitted → returned/approved, revisions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record, snapshot
from nengji.core.errors import DomainError
from nengji.core.exports import strip_illegal
from nengji.core.numbers import bounded_decimal
from nengji.monitoring.errors import ErrorDetail, MonitoringError, conflict
from nengji.monitoring.models import Assignment, Observation, Round, Submission, TaskStatus
from nengji.monitoring.permissions import require_department_writer, require_office
from nengji.monitoring.services.targets import settings_for
from nengji.monitoring.validation import (
    check_indicator_value,
    check_task_progress,
    previous_value,
)

SUBMISSION_FIELDS = (
    "status",
    "value",
    "explanation",
    "task_status",
    "percent_complete",
    "narrative",
    "milestones",
    "note",
    "review_comment",
    "revision_reason",
    "version",
)
EDITABLE = (
    "value",
    "explanation",
    "task_status",
    "percent_complete",
    "narrative",
    "milestones",
    "note",
)
_UNSET: Any = object()
#: the longest text one field of a report takes (a page of a report, not a book)
TEXT_MAX = 10_000


def submission_locked(submission: Submission, version: int | None) -> Submission:
    sub = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("round", "assignment", "assignment__indicator")
        .get(pk=submission.pk)
    )
    if version is not None and version != sub.version:
        raise conflict(
            _(
                "This report was changed by someone else in the meantime (your version "
                "%(mine)s, now %(now)s); reload it and try again."
            )
            % {"mine": version, "now": sub.version}
        )
    return sub


def _bump(sub: Submission, by: Any, fields: list[str]) -> None:
    sub.version += 1
    sub.updated_by = by if getattr(by, "is_authenticated", False) else None
    sub.updated_at = timezone.now()
    sub.save(update_fields=[*fields, "version", "updated_by", "updated_at"])


def vintage_create(**fields: Any) -> Observation:
    """A new vintage; two writers racing for the same vintage number: one gets a conflict."""
    try:
        with transaction.atomic():
            return Observation.objects.create(**fields)
    except IntegrityError as exc:
        raise conflict(
            _("Another vintage was recorded at the same moment; reload and try again.")
        ) from exc


def _require_status(sub: Submission, status: str, message: str) -> None:
    """A conflict naming the report's present status unless it is `status`."""
    if sub.status != status:
        raise MonitoringError.one(
            "status", message % {"status": sub.get_status_display()}, code="conflict"
        )


def require_open_for_reporting(sub: Submission) -> None:
    """The one round-status rule for a report's writes (save, submit, evidence): a first report
    changes only while its round is open; a revision (sequence > 1) of a published round may."""
    if sub.sequence == 1 and sub.round.status != Round.Status.OPEN:
        raise MonitoringError.one(
            "round",
            _("The round %(label)s is %(status)s.")
            % {"label": sub.round.label, "status": sub.round.get_status_display()},
            code="conflict",
        )


@transaction.atomic
def submission_create(*, round: Round, assignment: Assignment, by: Any) -> Submission:
    """The empty draft of an assignment made after its round was opened (office or the lead
    department's reporter). A report that exists already is a conflict."""
    if not getattr(by, "is_office", False):
        require_department_writer(by, assignment.lead_id)
    errors = []
    if assignment.plan_id != round.plan_id:
        errors.append(ErrorDetail("assignment", _("The assignment belongs to another plan.")))
    if not assignment.active:
        errors.append(ErrorDetail("assignment", _("The assignment is not active.")))
    if round.status != Round.Status.OPEN:
        errors.append(
            ErrorDetail(
                "round",
                _("The round %(label)s is %(status)s.")
                % {"label": round.label, "status": round.get_status_display()},
            )
        )
    if errors:
        raise MonitoringError(errors)
    try:
        with transaction.atomic():
            sub = Submission.objects.create(
                round=round,
                assignment=assignment,
                department_id=assignment.lead_id,
                is_demo=round.is_demo,
            )
    except IntegrityError as exc:
        raise MonitoringError.one(
            "assignment", _("This report exists already."), code="conflict"
        ) from exc
    audit_record(actor=by, action="create", obj=sub, after=snapshot(sub, SUBMISSION_FIELDS))
    return sub


def _field_errors(given: dict[str, Any]) -> list[ErrorDetail]:
    """Each field sent checked on its own: numbers bounded, choices known, text a string
    without control characters (a Word paste brings \\x0b, which no export can hold)."""
    errors: list[ErrorDetail] = []
    if given.get("value") is not None:
        try:
            given["value"] = bounded_decimal(given["value"], field="value")
        except DomainError as exc:
            errors.extend(exc.detail)
    percent = given.get("percent_complete")
    if percent is not None and (
        isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100
    ):
        errors.append(ErrorDetail("percent_complete", _("Must be between 0 and 100.")))
    status = given.get("task_status")
    if status not in (None, "") and status not in TaskStatus.values:
        errors.append(
            ErrorDetail(
                "task_status",
                _("Choose one of %(choices)s.") % {"choices": ", ".join(TaskStatus.values)},
            )
        )
    for key in ("explanation", "narrative", "milestones", "note"):
        text = given.get(key)
        if text is None:
            continue
        if not isinstance(text, str):
            errors.append(ErrorDetail(key, _("Must be text.")))
        elif len(text) > TEXT_MAX:
            errors.append(ErrorDetail(key, _("At most %(n)s characters.") % {"n": TEXT_MAX}))
        else:
            given[key] = strip_illegal(text)
    return errors


@transaction.atomic
def submission_save(
    *,
    submission: Submission,
    by: Any,
    version: int | None = None,
    value: Decimal | None = _UNSET,
    explanation: str = _UNSET,
    task_status: str = _UNSET,
    percent_complete: int | None = _UNSET,
    narrative: str = _UNSET,
    milestones: str = _UNSET,
    note: str = _UNSET,
) -> Submission:
    """Save a draft (or a returned report) of the responsible department. Unset fields stay."""
    sub = submission_locked(submission, version)
    require_department_writer(by, sub.department_id)
    require_open_for_reporting(sub)
    if not sub.editable:
        raise MonitoringError.one(
            "status",
            _("A report that is %(status)s cannot be edited.")
            % {"status": sub.get_status_display()},
            code="conflict",
        )
    given = {
        k: v
        for k, v in {
            "value": value,
            "explanation": explanation,
            "task_status": task_status,
            "percent_complete": percent_complete,
            "narrative": narrative,
            "milestones": milestones,
            "note": note,
        }.items()
        if v is not _UNSET
    }
    if sub.assignment.is_indicator:
        wrong = [k for k in ("task_status", "percent_complete", "milestones") if given.get(k)]
    else:
        wrong = [k for k in ("value", "explanation") if given.get(k) not in (None, "")]
    if wrong:
        raise MonitoringError(
            [ErrorDetail(k, _("This does not apply to this assignment.")) for k in wrong]
        )
    errors = _field_errors(given)
    if errors:
        raise MonitoringError(errors)
    if not given:  # nothing sent: nothing changes (no version bump, no audit entry)
        return sub
    before = snapshot(sub, SUBMISSION_FIELDS)
    for key, val in given.items():
        setattr(sub, key, val if val is not None or key in ("value", "percent_complete") else "")
    _bump(sub, by, list(given))
    audit_record(
        actor=by, action="update", obj=sub, before=before, after=snapshot(sub, SUBMISSION_FIELDS)
    )
    return sub


def submission_errors(sub: Submission, *, has_evidence: bool | None = None) -> list[ErrorDetail]:
    """Everything that stops this report from being submitted, each on its field."""
    assignment = sub.assignment
    if assignment.is_indicator:
        threshold = settings_for(sub.round.plan).change_threshold
        errors = check_indicator_value(
            assignment=assignment,
            value=sub.value,
            explanation=sub.explanation,
            previous=previous_value(assignment, year=sub.round.year, quarter=sub.round.quarter),
            change_threshold=threshold,
        )
    else:
        errors = check_task_progress(
            task_status=sub.task_status,
            percent_complete=sub.percent_complete,
            narrative=sub.narrative,
        )
    if sub.sequence > 1 and not sub.revision_reason.strip():
        errors.append(ErrorDetail("revision_reason", _("A revision needs a reason.")))
    if assignment.evidence_required:
        if has_evidence is None:
            has_evidence = sub.evidence.exists()
        if not has_evidence:
            errors.append(ErrorDetail("evidence", _("Attach at least one evidence file.")))
    return errors


@transaction.atomic
def submission_submit(*, submission: Submission, by: Any, version: int | None = None) -> Submission:
    """Validate and hand the report to the office. Errors name their fields; nothing changes."""
    sub = submission_locked(submission, version)
    require_department_writer(by, sub.department_id)
    require_open_for_reporting(sub)
    if not sub.editable:
        raise MonitoringError.one(
            "status",
            _("A report that is %(status)s cannot be submitted.")
            % {"status": sub.get_status_display()},
            code="conflict",
        )
    errors = submission_errors(sub)
    if errors:
        raise MonitoringError(errors)
    before = snapshot(sub, SUBMISSION_FIELDS)
    sub.status = Submission.Status.SUBMITTED
    sub.submitted_at = timezone.now()
    _bump(sub, by, ["status", "submitted_at"])
    audit_record(
        actor=by, action="submit", obj=sub, before=before, after=snapshot(sub, SUBMISSION_FIELDS)
    )
    return sub


@transaction.atomic
def submission_return(
    *, submission: Submission, comment: str, by: Any, version: int | None = None
) -> Submission:
    """The office sends a submitted report back to its department with a comment."""
    require_office(by)
    if not comment.strip():
        raise MonitoringError.one("comment", _("Say what needs fixing."))
    sub = submission_locked(submission, version)
    _require_status(
        sub,
        Submission.Status.SUBMITTED,
        _("Only a submitted report can be returned; this one is %(status)s."),
    )
    before = snapshot(sub, SUBMISSION_FIELDS)
    sub.status = Submission.Status.RETURNED
    sub.review_comment = comment
    sub.reviewed_by = by
    sub.reviewed_at = timezone.now()
    _bump(sub, by, ["status", "review_comment", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=by, action="return", obj=sub, before=before, after=snapshot(sub, SUBMISSION_FIELDS)
    )
    return sub


@transaction.atomic
def submission_approve(
    *, submission: Submission, by: Any, version: int | None = None, comment: str = ""
) -> Submission:
    """The office approves: an indicator value becomes an official figure (a new vintage).

    In a round already published (a revision), the new vintage is published at once.
    """
    require_office(by)
    # The round's row lock first (as publish takes it): an approval arriving while the round
    # is being published waits, then sees it published and publishes its value at once.
    locked_round = Round.objects.select_for_update().get(pk=submission.round_id)
    sub = submission_locked(submission, version)
    sub.round = locked_round
    _require_status(
        sub,
        Submission.Status.SUBMITTED,
        _("Only a submitted report can be approved; this one is %(status)s."),
    )
    before = snapshot(sub, SUBMISSION_FIELDS)
    now = timezone.now()
    sub.status = Submission.Status.APPROVED
    sub.review_comment = comment
    sub.reviewed_by = by
    sub.reviewed_at = now
    _bump(sub, by, ["status", "review_comment", "reviewed_by", "reviewed_at"])
    published = sub.round.status == Round.Status.PUBLISHED
    indicator_id = sub.assignment.indicator_id
    if indicator_id is not None:
        unit_id = sub.assignment.unit_id
        last = (
            Observation.every_unit.select_for_update()
            .filter(
                indicator_id=indicator_id,
                unit_id=unit_id,
                year=sub.round.year,
                quarter=sub.round.quarter,
            )
            .order_by("-vintage")
            .first()
        )
        obs = vintage_create(
            indicator_id=sub.assignment.indicator_id,
            unit_id=unit_id,
            year=sub.round.year,
            quarter=sub.round.quarter,
            value=sub.value,
            vintage=(last.vintage + 1) if last else 1,
            source=Observation.Source.SUBMISSION,
            submission=sub,
            source_note=f"{sub.department.code} · round {sub.round.label}",
            reason=sub.revision_reason,
            recorded_by=by,
            recorded_at=now,
            published_at=now if published else None,
            is_demo=sub.is_demo,
        )
        audit_record(
            actor=by,
            action="revise" if obs.vintage > 1 else "create",
            obj=obs,
            after={
                "value": str(obs.value),
                "vintage": obs.vintage,
                "published_at": obs.published_at and obs.published_at.isoformat(),
            },
        )
    audit_record(
        actor=by, action="approve", obj=sub, before=before, after=snapshot(sub, SUBMISSION_FIELDS)
    )
    return sub


@transaction.atomic
def submission_revise(*, submission: Submission, reason: str, by: Any) -> Submission:
    """Start a revision of an approved report: a new draft (next sequence) with a reason.

    The approved report and its official value stay as they are; approving the revision adds
    a new vintage.
    """
    if not reason.strip():
        raise MonitoringError.one("reason", _("A revision needs a reason."))
    sub = submission_locked(submission, None)
    if not (getattr(by, "is_office", False)):
        require_department_writer(by, sub.department_id)
    if sub.status != Submission.Status.APPROVED:
        raise MonitoringError.one(
            "status", _("Only an approved report can be revised."), code="conflict"
        )
    latest = (
        Submission.objects.select_for_update()
        .filter(round_id=sub.round_id, assignment_id=sub.assignment_id)
        .order_by("-sequence")
        .first()
    )
    if latest is not None and latest.pk != sub.pk:
        raise MonitoringError.one(
            "status", _("A newer revision of this report already exists."), code="conflict"
        )
    new = Submission.objects.create(
        round_id=sub.round_id,
        assignment_id=sub.assignment_id,
        department_id=sub.department_id,
        sequence=sub.sequence + 1,
        revision_reason=reason,
        value=sub.value,
        explanation=sub.explanation,
        task_status=sub.task_status,
        percent_complete=sub.percent_complete,
        narrative=sub.narrative,
        milestones=sub.milestones,
        note=sub.note,
        updated_by=by,
        updated_at=timezone.now(),
        is_demo=sub.is_demo,
    )
    audit_record(
        actor=by,
        action="revise",
        obj=new,
        before=snapshot(sub, SUBMISSION_FIELDS),
        after=snapshot(new, SUBMISSION_FIELDS),
    )
    return new
