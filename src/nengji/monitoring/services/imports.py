"""Applying an uploaded Excel template: all rows or none."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_entry, snapshot
from nengji.core.models import AuditEntry
from nengji.core.uploads import zip_check
from nengji.monitoring.errors import ErrorDetail, MonitoringError
from nengji.monitoring.excel import (
    COL,
    DATA_SHEET,
    KIND_INDICATOR,
    KIND_TASK,
    ParsedRow,
    template_read,
)
from nengji.monitoring.models import Evidence, Round, Submission
from nengji.monitoring.permissions import require_department_writer
from nengji.monitoring.services.submissions import SUBMISSION_FIELDS
from nengji.monitoring.services.targets import settings_for
from nengji.monitoring.validation import (
    check_indicator_value,
    check_task_progress,
    previous_values,
)
from nengji.plan.models import Department

# A 5,000-row template is about 0.3 MB; anything near this is not a filled template.
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024


#: errors listed at most; the last entry says how many there were in all
MAX_ERRORS = 200


@dataclass(frozen=True)
class ImportResult:
    updated: int
    submitted: int
    #: rows of reports that can no longer change (submitted, approved), left as they are
    skipped: int = 0


def _capped(errors: list[ErrorDetail]) -> list[ErrorDetail]:
    if len(errors) <= MAX_ERRORS:
        return errors
    return [
        *errors[:MAX_ERRORS],
        ErrorDetail(
            "file",
            _("%(n)s errors in all; the first %(shown)s are listed.")
            % {"n": len(errors), "shown": MAX_ERRORS},
        ),
    ]


def _unchanged(sub: Submission, values: dict[str, Any]) -> bool:
    """Whether a row says what the report already says (a fresh template's row)."""
    for key, val in values.items():
        now = getattr(sub, key)
        if key == "value":
            if (now is None) != (val is None) or (now is not None and Decimal(now) != val):
                return False
        elif (now or None) != (val or None):
            return False
    return True


def _at(e: ErrorDetail, row: int) -> ErrorDetail:
    return ErrorDetail(
        field=e.field, message=e.message, sheet=DATA_SHEET, row=row, column=COL.get(e.field)
    )


def submissions_import(
    *, round: Round, department: Department, data: bytes, by: Any, submit: bool = False
) -> ImportResult:
    """Read a filled template and save (and, with ``submit``, submit) every filled row.

    Any error anywhere rejects the whole file: nothing is saved and every error names its
    sheet, row and column (at most `MAX_ERRORS`, then the count). A row whose report changed
    since the template was downloaded (its hidden version differs, or was cleared) is a
    conflict. Rows of reports that can no longer change are skipped when unchanged (a fresh
    template after some reports were submitted) and an error when changed.

    The file is checked (size, zip directory) and parsed before the write transaction opens:
    a hostile or huge file never holds the database's write lock.
    """
    require_department_writer(by, department.pk)
    if round.status != Round.Status.OPEN:
        raise MonitoringError.one(
            "round",
            _("The round %(label)s is %(status)s.")
            % {"label": round.label, "status": round.get_status_display()},
            code="conflict",
        )
    if len(data) > MAX_WORKBOOK_BYTES:
        raise MonitoringError.one(
            "file", _("The workbook is larger than %(mb)s MB.") % {"mb": MAX_WORKBOOK_BYTES >> 20}
        )
    zip_check(data, field="file")
    rows, errors = template_read(data=data, round=round, department=department)
    if any(e.row is None for e in errors):  # the file itself is wrong: nothing more to check
        raise MonitoringError(_capped(errors))
    with transaction.atomic():
        return _apply(
            round=round, department=department, rows=rows, errors=errors, by=by, submit=submit
        )


def _apply(
    *,
    round: Round,
    department: Department,
    rows: list[ParsedRow],
    errors: list[ErrorDetail],
    by: Any,
    submit: bool,
) -> ImportResult:
    """Check the parsed rows against the reports (locked) and write them all, or none."""
    round = Round.objects.get(pk=round.pk)  # its status now, not when the file arrived
    if round.status != Round.Status.OPEN:
        raise MonitoringError.one(
            "round",
            _("The round %(label)s is %(status)s.")
            % {"label": round.label, "status": round.get_status_display()},
            code="conflict",
        )
    subs = {
        s.pk: s
        for s in (
            Submission.objects.select_for_update(of=("self",))
            .filter(pk__in=[r.submission_id for r in rows], round=round, department=department)
            .select_related("assignment__indicator")
        )
    }
    previous = previous_values(
        [s.assignment for s in subs.values()], year=round.year, quarter=round.quarter
    )
    with_evidence = set(
        Evidence.objects.filter(submission__in=list(subs)).values_list("submission_id", flat=True)
    )
    threshold = settings_for(round.plan).change_threshold
    conflict = False
    skipped: set[int] = set()
    for r in rows:
        sub = subs.get(r.submission_id)
        if sub is None:
            errors.append(
                ErrorDetail(
                    "id",
                    _("No such report of your department in this round."),
                    sheet=DATA_SHEET,
                    row=r.row,
                    column=COL["id"],
                )
            )
            continue
        kind = KIND_INDICATOR if sub.assignment.indicator_id else KIND_TASK
        if r.kind != kind:
            errors.append(
                ErrorDetail(
                    "type",
                    _(
                        "The 类型 cell was changed (this row is a %(kind)s); "
                        "download a fresh template."
                    )
                    % {"kind": kind},
                    sheet=DATA_SHEET,
                    row=r.row,
                    column=COL["type"],
                )
            )
            continue
        if not sub.editable:
            if _unchanged(sub, r.values):
                skipped.add(sub.pk)
                continue
            errors.append(
                ErrorDetail(
                    "status",
                    _("This report is %(status)s and cannot change.")
                    % {"status": sub.get_status_display()},
                    sheet=DATA_SHEET,
                    row=r.row,
                    column=COL["id"],
                )
            )
            continue
        if r.version != sub.version:
            conflict = True
            errors.append(
                ErrorDetail(
                    "version",
                    _(
                        "Changed on the platform after this template was downloaded; "
                        "download a fresh template."
                    )
                    if r.version is not None
                    else _(
                        "The hidden version cell was cleared, so a newer change on the "
                        "platform cannot be ruled out; download a fresh template."
                    ),
                    sheet=DATA_SHEET,
                    row=r.row,
                    column=COL["version"],
                )
            )
            continue
        v = r.values
        if sub.assignment.indicator_id:
            rule_errors = check_indicator_value(
                assignment=sub.assignment,
                value=v["value"],
                explanation=v["explanation"],
                previous=previous[sub.assignment_id],
                change_threshold=threshold,
            )
        else:
            rule_errors = check_task_progress(
                task_status=v["task_status"],
                percent_complete=v["percent_complete"],
                narrative=v["narrative"],
            )
        if submit and sub.assignment.evidence_required and sub.pk not in with_evidence:
            rule_errors.append(ErrorDetail("evidence", _("Attach evidence on the web form first.")))
        errors.extend(_at(e, r.row) for e in rule_errors)
    if errors:
        raise MonitoringError(_capped(errors), code="conflict" if conflict else "invalid")
    rows = [r for r in rows if r.submission_id not in skipped]
    now = timezone.now()
    user = by if getattr(by, "is_authenticated", False) else None
    audits = []
    changed = []
    for r in rows:
        sub = subs[r.submission_id]
        before = snapshot(sub, SUBMISSION_FIELDS)
        for key, val in r.values.items():
            setattr(sub, key, val)
        sub.version += 1
        sub.updated_by = user
        sub.updated_at = now
        if submit:
            sub.status = Submission.Status.SUBMITTED
            sub.submitted_at = now
        changed.append(sub)
        audits.append(
            audit_entry(
                actor=user,
                action="submit" if submit else "update",
                obj=sub,
                label=f"{round.label} {sub.assignment.item_code} #{sub.sequence} "
                f"(Excel row {r.row})",
                before=before,
                after=snapshot(sub, SUBMISSION_FIELDS),
                at=now,
            )
        )
    # One UPDATE per row: Django's bulk_update builds a CASE per field and row, which is
    # several times slower for thousands of rows (see benchmarks/monitoring_round.py).
    fields = (
        "value",
        "explanation",
        "task_status",
        "percent_complete",
        "narrative",
        "milestones",
        "note",
        "version",
        "updated_by",
        "updated_at",
        "status",
        "submitted_at",
    )
    for sub in changed:
        Submission.objects.filter(pk=sub.pk).update(**{f: getattr(sub, f) for f in fields})
    AuditEntry.objects.bulk_create(audits, batch_size=1000)
    return ImportResult(
        updated=len(changed), submitted=len(changed) if submit else 0, skipped=len(skipped)
    )
