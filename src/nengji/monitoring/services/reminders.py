"""Reminder e-mails to departments with reports still open (Django's e-mail backend)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from nengji.core.audit import audit_record
from nengji.core.roles import Role
from nengji.monitoring.models import Round, Submission
from nengji.monitoring.permissions import require_office

OPEN_STATUSES = (Submission.Status.DRAFT, Submission.Status.RETURNED)


@transaction.atomic
def reminders_send(*, round: Round, by: Any, from_email: str | None = None) -> int:
    """E-mail every reporter of each department that still has unsubmitted reports."""
    require_office(by)
    counts: dict[int, int] = {}
    for dept_id in Submission.objects.filter(round=round, status__in=OPEN_STATUSES).values_list(
        "department_id", flat=True
    ):
        counts[dept_id] = counts.get(dept_id, 0) + 1
    users = (
        get_user_model()
        .objects.filter(organisation__department__in=counts, role=Role.REPORTER, is_active=True)
        .select_related("organisation__department")
        .exclude(email="")
    )
    messages = []
    deadline = f"{timezone.localtime(round.deadline):%Y-%m-%d %H:%M}"
    for user in users:
        department = user.department
        if department is None:  # not a department's organisation (cannot happen: filtered)
            continue
        n = counts[department.pk]
        messages.append(
            (
                f"[nengji] {round.label} 监测填报提醒 / reporting reminder",
                f"{user.display_name or user.username}：\n\n"
                f"贵单位在 {round.label} 监测轮次中尚有 {n} 项未提交，"
                f"截止时间 {deadline}。\n\n"
                f"Your department has {n} report(s) not yet submitted in round {round.label}; "
                f"deadline {deadline}.\n",
                from_email,
                [user.email],
            )
        )
    sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    audit_record(
        actor=by,
        action="remind",
        obj=round,
        label=f"round {round.label}",
        after={"emails": sent, "departments": len(counts)},
    )
    return sent
