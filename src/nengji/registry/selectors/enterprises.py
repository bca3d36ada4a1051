"""Reads of enterprises, their figures and designations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.roles import Role, role_of
from nengji.registry.errors import RegistryError
from nengji.registry.models import Designation, DesignationKind, Enterprise, YearFigures
from nengji.registry.uscc import uscc_normalise

#: days before expiry that a reminder is due, by kind (高新技术企业: re-recognition is applied
#: for in the certificate's last year; the office reminds six months ahead)
REMINDER_DAYS: dict[str, int] = {DesignationKind.HIGH_TECH: 183}
DEFAULT_REMINDER_DAYS = 90


def enterprise_get(*, user: Any, uscc: str | None = None, pk: int | None = None) -> Enterprise:
    """One enterprise, as `user` may see it: the office and leaders any, an enterprise's people
    only their own, a carrier's people those their carrier hosts. Anything else (a forged code
    or id) is not found — never a hint that it exists."""
    qs = Enterprise.objects.select_related("district", "organisation")
    if uscc is not None:
        qs = qs.filter(uscc=uscc_normalise(uscc))
    elif pk is not None:
        qs = qs.filter(pk=pk)
    else:
        qs = qs.none()
    role = role_of(user)
    if role == Role.ENTERPRISE:
        qs = qs.filter(organisation_id=getattr(user, "organisation_id", None) or -1)
    elif role == Role.CARRIER:
        qs = qs.filter(carrier__organisation_id=getattr(user, "organisation_id", None) or -1)
    elif role not in (Role.OFFICE, Role.LEADER):
        qs = qs.none()
    found = qs.first()
    if found is None:
        raise RegistryError.one("enterprise", _("No such enterprise."), code="not_found")
    return found


def figures_vintages(enterprise: Enterprise, *, year: int | None = None) -> QuerySet[YearFigures]:
    """Every vintage (oldest first), of one year or of all."""
    qs = YearFigures.objects.filter(enterprise=enterprise).select_related("recorded_by")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("year", "vintage")


def figures_latest(enterprise: Enterprise) -> list[YearFigures]:
    """The latest vintage of each year, oldest year first."""
    by_year: dict[int, YearFigures] = {}
    for f in figures_vintages(enterprise):
        by_year[f.year] = f
    return [by_year[y] for y in sorted(by_year)]


def designations_active(*, on: dt.date | None = None) -> QuerySet[Designation]:
    """Designations in force on a day (default today)."""
    day = on or timezone.localdate()
    return (
        Designation.objects.filter(status=Designation.Status.ACTIVE, granted_on__lte=day)
        .exclude(expires_on__lt=day)
        .select_related("enterprise")
    )


def designations_expiring(*, today: dt.date | None = None) -> list[Designation]:
    """Active designations whose reminder is due: within their kind's reminder period of
    expiry (高新技术企业 183 days, others 90), soonest first."""
    day = today or timezone.localdate()
    longest = max([DEFAULT_REMINDER_DAYS, *REMINDER_DAYS.values()])
    rows = designations_active(on=day).filter(
        expires_on__isnull=False, expires_on__lte=day + dt.timedelta(days=longest)
    )
    due = [
        d
        for d in rows
        if d.expires_on is not None
        and (d.expires_on - day).days <= REMINDER_DAYS.get(d.kind, DEFAULT_REMINDER_DAYS)
    ]
    return sorted(due, key=lambda d: (d.expires_on or day, d.enterprise.name_zh))
