"""Who may read or write what. One place, used by services, selectors, views and the API.

- the office reads everything and is the only role that opens rounds, reviews and publishes;
- a leader reads everything and writes nothing;
- a department reporter writes only its own department's submissions (it leads their
  assignments) and reads those plus the ones of assignments it supports (配合部门);
- the public (anonymous) reads only published official values and published task progress.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from nengji.core.errors import refused
from nengji.core.roles import require_office

__all__ = [
    "evidence_readable",
    "require_department_writer",
    "require_office",
    "submission_can_read",
    "submissions_visible",
]
from nengji.monitoring.models import Assignment, Evidence, Submission


def submissions_visible(user: Any, qs: QuerySet[Submission] | None = None) -> QuerySet[Submission]:
    qs = Submission.objects.all() if qs is None else qs
    if getattr(user, "can_read_all", False):
        return qs
    if getattr(user, "is_reporter", False) and user.department_id:
        supported = Assignment.supporting.through.objects.filter(
            department_id=user.department_id
        ).values("assignment_id")
        return qs.filter(Q(department_id=user.department_id) | Q(assignment_id__in=supported))
    return qs.none()


def submission_can_read(user: Any, submission: Submission) -> bool:
    if getattr(user, "can_read_all", False):
        return True
    if not (getattr(user, "is_reporter", False) and user.department_id):
        return False
    if submission.department_id == user.department_id:
        return True
    return Assignment.supporting.through.objects.filter(
        assignment_id=submission.assignment_id, department_id=user.department_id
    ).exists()


def require_department_writer(user: Any, department_id: int) -> None:
    if not (getattr(user, "is_reporter", False) and user.department_id == department_id):
        raise refused(_("Only a reporter of the responsible department may change this report."))


def evidence_readable(*, user: Any, pk: int) -> Evidence:
    """An evidence file for someone who may read its report; anyone else gets a 404, as if the
    file did not exist (web and API alike)."""
    evidence = Evidence.objects.select_related("submission").filter(pk=pk).first()
    if evidence is None or not submission_can_read(user, evidence.submission):
        raise Http404
    return evidence
