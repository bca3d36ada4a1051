"""The rules a report must pass at submit time (and row by row at Excel import).

Each rule yields an `ErrorDetail` on the field it concerns; callers add sheet/row/column.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from nengji.monitoring.errors import ErrorDetail
from nengji.monitoring.models import Assignment, Observation, TaskStatus


def plain(value: Decimal) -> str:
    """973.000000 -> "973", 2.500000 -> "2.5" (no exponent)."""
    text = format(value.normalize(), "f")
    return text


def parse_decimal(raw: Any, *, field: str) -> tuple[Decimal | None, ErrorDetail | None]:
    """A number from a form or a cell: Decimal, or an error saying what was wrong."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if isinstance(raw, bool):
        return None, ErrorDetail(field, _("Must be a number."))
    try:
        text = str(raw).strip().replace(",", "").replace("，", "")
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None, ErrorDetail(field, _("“%(raw)s” is not a number.") % {"raw": raw})
    if not value.is_finite():
        return None, ErrorDetail(field, _("Must be a finite number."))
    if abs(value) >= Decimal("1e14"):
        return None, ErrorDetail(field, _("The number is too large."))
    return value, None


def _before(obs: Observation, *, year: int, quarter: int) -> bool:
    """Same frequency, earlier period: annual rounds compare with annual values, quarterly
    rounds with quarterly values (quarterly figures may be cumulative within the year)."""
    if quarter == 0:
        return obs.quarter == 0 and obs.year < year
    return obs.quarter > 0 and (obs.year, obs.quarter) < (year, quarter)


def previous_value(assignment: Assignment, *, year: int, quarter: int = 0) -> Decimal | None:
    """The latest published official value of an earlier period, or the plan's baseline (for
    the plan's own district only: a partner region is compared with its own values)."""
    return previous_values([assignment], year=year, quarter=quarter)[assignment.pk]


def previous_values(
    assignments: list[Assignment], *, year: int, quarter: int = 0
) -> dict[int, Decimal | None]:
    """`previous_value` for many assignments in one query (keyed by assignment id)."""
    ids = {a.indicator_id for a in assignments if a.indicator_id}
    units = {a.unit_id for a in assignments}
    latest: dict[tuple[int | None, int], Observation] = {}
    rows = (
        Observation.every_unit.filter(indicator_id__in=ids, published_at__isnull=False)
        .filter(Q(unit__isnull=True) | Q(unit_id__in=[u for u in units if u is not None]))
        .exclude(year__gt=year)
        .order_by("year", "quarter", "vintage")
    )
    for obs in rows:
        if _before(obs, year=year, quarter=quarter) and obs.indicator_id is not None:
            latest[(obs.unit_id, obs.indicator_id)] = obs
    out: dict[int, Decimal | None] = {}
    for a in assignments:
        key = (a.unit_id, a.indicator_id or 0)
        if a.indicator_id is None:
            out[a.pk] = None
        elif key in latest:
            out[a.pk] = latest[key].value
        elif a.unit_id is None and a.indicator is not None:
            out[a.pk] = a.indicator.baseline_value
        else:
            out[a.pk] = None
    return out


def check_indicator_value(
    *,
    assignment: Assignment,
    value: Decimal | None,
    explanation: str,
    previous: Decimal | None,
    change_threshold: float,
) -> list[ErrorDetail]:
    errors = []
    if value is None:
        return [ErrorDetail("value", _("A value is required."))]
    if assignment.min_value is not None and value < assignment.min_value:
        errors.append(
            ErrorDetail(
                "value",
                _("Below the lowest allowed value %(v)s.") % {"v": plain(assignment.min_value)},
            )
        )
    if assignment.max_value is not None and value > assignment.max_value:
        errors.append(
            ErrorDetail(
                "value",
                _("Above the highest allowed value %(v)s.") % {"v": plain(assignment.max_value)},
            )
        )
    if previous is not None and not explanation.strip():
        if previous == 0:
            changed = value != 0
        else:
            changed = abs(value - previous) / abs(previous) > Decimal(str(change_threshold))
        if changed:
            errors.append(
                ErrorDetail(
                    "explanation",
                    _(
                        "The value changes by more than %(pct)s from the previous value "
                        "%(previous)s: explain the change."
                    )
                    % {"pct": f"{change_threshold:.0%}", "previous": plain(previous)},
                )
            )
    return errors


def check_task_progress(
    *, task_status: str, percent_complete: int | None, narrative: str
) -> list[ErrorDetail]:
    errors = []
    if task_status not in TaskStatus.values:
        errors.append(ErrorDetail("task_status", _("Choose a progress status.")))
    if percent_complete is None:
        errors.append(ErrorDetail("percent_complete", _("Give the percent complete.")))
    elif not 0 <= percent_complete <= 100:
        errors.append(ErrorDetail("percent_complete", _("Must be between 0 and 100.")))
    elif task_status == TaskStatus.COMPLETED and percent_complete != 100:
        errors.append(
            ErrorDetail("percent_complete", _("A completed task must be 100 percent complete."))
        )
    if not narrative.strip():
        errors.append(ErrorDetail("narrative", _("Describe the progress.")))
    return errors


def parse_percent(raw: Any) -> tuple[int | None, ErrorDetail | None]:
    value, err = parse_decimal(raw, field="percent_complete")
    if err or value is None:
        return None, err
    if value != value.to_integral_value():
        return None, ErrorDetail("percent_complete", _("Must be a whole number."))
    if not 0 <= value <= 100:
        return None, ErrorDetail("percent_complete", _("Must be between 0 and 100."))
    return int(value), None
