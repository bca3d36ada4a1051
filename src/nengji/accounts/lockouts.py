"""Sign-in lock-outs (finding 9 of issue 15), kept by django-axes: who is locked out, how long
for, and the office's unlock. Both the lock-out and the unlock are audited.

django-axes counts wrong passwords per username and client address (`core.http.client_ip`)
in its `AccessAttempt` rows; this module only reads those rows and deletes them on unlock, so
the counting and the lock itself stay axes' (one mechanism for the login page and the API).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record
from nengji.core.errors import DomainError
from nengji.core.models import AuditEntry
from nengji.core.roles import require_office


@dataclass(frozen=True)
class Lockout:
    username: str
    ip: str
    failures: int
    until: dt.datetime


def _cooloff() -> dt.timedelta:
    cooloff: dt.timedelta = settings.AXES_COOLOFF_TIME
    return cooloff


def lockout_list() -> list[Lockout]:
    """The username/address pairs locked out now, newest first."""
    since = timezone.now() - _cooloff()
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return [
        Lockout(r["username"] or "", r["ip_address"] or "", r["failures"], r["last"] + _cooloff())
        for r in rows
    ]


def lockout_retry_after(*, username: str, ip: str) -> int:
    """Seconds until the pair may try again (attempts while locked out do not extend it)."""
    last = AccessAttempt.objects.filter(username=username, ip_address=ip).aggregate(
        last=Max("attempt_time")
    )["last"]
    if last is None:
        return int(_cooloff().total_seconds())
    left: float = (last + _cooloff() - timezone.now()).total_seconds()
    seconds: int = math.ceil(left)
    return max(1, seconds)


def lockout_reset_on_success(*, username: str, ip: str) -> None:
    """A correct password starts the count again (axes does so on `login()`; the API issues a
    token without a session, so it calls this)."""
    AccessAttempt.objects.filter(username=username, ip_address=ip).delete()


@transaction.atomic
def lockout_clear(*, username: str, ip: str, by: Any) -> int:
    """The office unlocks one username/address pair: its failure count starts again at 0."""
    require_office(by)
    rows = list(AccessAttempt.objects.select_for_update().filter(username=username, ip_address=ip))
    if not rows:
        raise DomainError.one(
            "username", _("There is no lock-out for this user and address."), code="not_found"
        )
    for row in rows:
        audit_record(
            actor=by,
            action="unlock",
            obj=row,
            label=f"{username} @ {ip}",
            before={"failures": row.failures_since_start},
            after={"failures": 0},
        )
    AccessAttempt.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return len(rows)


def lockout_audit(sender: Any, request: Any, username: str, ip_address: str, **_: Any) -> None:
    """axes' `user_locked_out` handler: one audit entry per lock-out (axes signals every
    refused attempt; the entry is keyed on the attempt row, which an unlock or expiry ends)."""
    row = (
        AccessAttempt.objects.filter(username=username, ip_address=ip_address)
        .order_by("-attempt_time")
        .first()
    )
    if row is None:
        return
    if AuditEntry.objects.filter(
        app=row._meta.app_label, object_id=str(row.pk), action="lock"
    ).exists():
        return
    audit_record(
        actor=None,
        action="lock",
        obj=row,
        label=f"{username} @ {ip_address}",
        after={"failures": row.failures_since_start, "path": row.path_info},
    )
