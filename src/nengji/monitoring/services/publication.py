"""Publishing a round, and recording externally published figures as vintages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record, snapshot
from nengji.core.errors import DomainError
from nengji.core.events import emit
from nengji.core.numbers import bounded_decimal
from nengji.monitoring.errors import ErrorDetail, MonitoringError, conflict
from nengji.monitoring.events import RoundPublished
from nengji.monitoring.models import Observation, Round
from nengji.monitoring.permissions import require_office
from nengji.monitoring.services.rounds import ROUND_FIELDS
from nengji.monitoring.services.submissions import vintage_create
from nengji.plan.models import Indicator


@transaction.atomic
def round_publish(*, round: Round, by: Any, version: int | None = None) -> Round:
    """Make the round's approved values and task progress public; emits `RoundPublished` (on
    which indexing recomputes the composite index).

    Reports not yet approved stay unpublished (they can be approved later: approving in a
    published round publishes at once).
    """
    require_office(by)
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if version is not None and version != rnd.version:
        raise conflict(
            _("The round was changed by someone else in the meantime; reload and try again.")
        )
    if rnd.status == Round.Status.PUBLISHED:
        raise MonitoringError.one("status", _("The round is already published."), code="conflict")
    before = snapshot(rnd, ROUND_FIELDS)
    now = timezone.now()
    count = Observation.every_unit.filter(submission__round=rnd, published_at__isnull=True).update(
        published_at=now
    )
    rnd.status = Round.Status.PUBLISHED
    rnd.published_at = now
    rnd.version += 1
    rnd.save(update_fields=["status", "published_at", "version"])
    audit_record(
        actor=by,
        action="publish",
        obj=rnd,
        label=f"round {rnd.label}",
        before=before,
        after={**snapshot(rnd, ROUND_FIELDS), "values_published": count},
    )
    emit(
        RoundPublished(
            actor_id=getattr(by, "pk", None),
            plan_id=rnd.plan_id,
            round_id=rnd.pk,
            year=rnd.year,
            quarter=rnd.quarter,
        )
    )
    return rnd


@transaction.atomic
def observation_record_external(
    *,
    value: Decimal,
    year: int,
    source_note: str,
    published_on: dt.datetime,
    by: Any,
    indicator: Indicator | None = None,
    series: str = "",
    quarter: int = 0,
    reason: str = "",
    is_demo: bool = False,
) -> Observation:
    """Record a figure as some official document published it, as its own vintage.

    E.g. the composite index value in each year's official report (``series="index:composite"``).
    """
    require_office(by)
    errors = []
    if (indicator is None) == (not series):
        errors.append(ErrorDetail("series", _("Give an indicator or a series name, not both.")))
    if not source_note.strip():
        errors.append(ErrorDetail("source_note", _("Name the document that published the figure.")))
    if published_on is None or timezone.is_naive(published_on):
        errors.append(ErrorDetail("published_on", _("Give the publication time with a time zone.")))
    try:
        value = bounded_decimal(value, field="value")
    except DomainError as exc:
        errors.extend(exc.detail)
    if not 1949 <= year <= 2100:
        errors.append(ErrorDetail("year", _("The year is out of range.")))
    if quarter not in (0, 1, 2, 3, 4):
        errors.append(ErrorDetail("quarter", _("The quarter is 0 (whole year) or 1–4.")))
    if errors:
        raise MonitoringError(errors)
    key = (
        {"indicator": indicator}
        if indicator is not None
        else {"indicator__isnull": True, "series": series}
    )
    existing = Observation.objects.select_for_update().filter(**key, year=year, quarter=quarter)
    last = max(existing.values_list("vintage", flat=True), default=0)
    if last and not reason.strip():
        raise MonitoringError.one(
            "reason", _("A figure that changes an earlier vintage needs a reason.")
        )
    obs = vintage_create(
        indicator=indicator,
        series=series,
        year=year,
        quarter=quarter,
        value=Decimal(value),
        vintage=last + 1,
        source=Observation.Source.EXTERNAL,
        source_note=source_note,
        reason=reason,
        recorded_by=by,
        recorded_at=timezone.now(),
        published_at=published_on,
        is_demo=is_demo,
    )
    audit_record(
        actor=by,
        action="revise" if last else "create",
        obj=obs,
        after={"value": str(obs.value), "vintage": obs.vintage, "source_note": source_note},
    )
    return obs
