"""Yearly figures, kept as vintages: recording a year again adds the next vintage (fields not
given are carried from the year's latest vintage), never overwrites one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record
from nengji.core.errors import DomainError
from nengji.core.events import emit
from nengji.core.numbers import bounded_decimal
from nengji.registry.errors import ErrorDetail, RegistryError
from nengji.registry.events import FiguresRecorded
from nengji.registry.models import Enterprise, YearFigures
from nengji.registry.services.access import require_editor

#: counts (persons, items): integers 0 … MAX_COUNT
COUNT_FIELDS = (
    "employees",
    "st_staff",
    "ip_invention_patents",
    "ip_other_class1",
    "ip_utility_models",
    "ip_designs",
    "ip_software",
)
#: amounts in 万元: Decimals ≥ 0 with at most 2 places, below MAX_AMOUNT
AMOUNT_FIELDS = (
    "revenue",
    "total_assets",
    "total_liabilities",
    "rd_domestic",
    "rd_foreign",
    "high_tech_revenue",
    "equity_financing",
    "valuation",
)
FIGURE_FIELDS = COUNT_FIELDS + AMOUNT_FIELDS
MAX_COUNT = 10_000_000
#: 1e12 万元 = 10^16 yuan, far beyond any enterprise; refuses typos of many zeros
MAX_AMOUNT = Decimal("1e12")
EARLIEST_YEAR = 1990


def _count(raw: Any, field: str) -> int:
    if isinstance(raw, bool):
        raise RegistryError.one(field, _("Must be a whole number."))
    number = bounded_decimal(
        raw, field=field, places=6, minimum=Decimal(0), max_abs=Decimal(MAX_COUNT + 1)
    )
    if number != number.to_integral_value():
        raise RegistryError.one(field, _("Must be a whole number."))
    return int(number)


def figures_problems(
    values: Mapping[str, Any], *, year: Any, founded_on: dt.date | None = None
) -> tuple[int | None, dict[str, Any], list[ErrorDetail]]:
    """Clean one year's figures: (year, clean values, every problem). Blank means unknown.

    Checks each number's bounds and the figures against each other: S&T staff not above
    employees, high-tech revenue not above revenue, no year before founding or after this one."""
    errors: list[ErrorDetail] = []
    clean: dict[str, Any] = {}
    this_year = timezone.localdate().year
    try:
        y = _count(year, "year")
        if not EARLIEST_YEAR <= y <= this_year:
            raise RegistryError.one(
                "year",
                _("The year must be between %(a)d and %(b)d.")
                % {"a": EARLIEST_YEAR, "b": this_year},
            )
        if founded_on is not None and y < founded_on.year:
            raise RegistryError.one("year", _("The year is before the enterprise was founded."))
        year_clean: int | None = y
    except DomainError as exc:
        errors += exc.detail
        year_clean = None
    for name in values:
        if name not in FIGURE_FIELDS:
            errors.append(ErrorDetail(field=name, message=_("Not a figure of the registry.")))
    for name in FIGURE_FIELDS:
        if name not in values:
            continue
        raw = values[name]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            clean[name] = None
            continue
        try:
            if name in COUNT_FIELDS:
                clean[name] = _count(raw, name)
            else:
                clean[name] = bounded_decimal(
                    raw, field=name, places=2, minimum=Decimal(0), max_abs=MAX_AMOUNT
                )
        except DomainError as exc:
            errors += exc.detail
    return year_clean, clean, errors


def _consistency(row: Mapping[str, Any]) -> list[ErrorDetail]:
    errors = []
    staff, employees = row.get("st_staff"), row.get("employees")
    if staff is not None and employees is not None and staff > employees:
        errors.append(
            ErrorDetail(field="st_staff", message=_("S&T staff cannot exceed employees."))
        )
    ht, revenue = row.get("high_tech_revenue"), row.get("revenue")
    if ht is not None and revenue is not None and ht > revenue:
        errors.append(
            ErrorDetail(
                field="high_tech_revenue",
                message=_("High-tech product revenue cannot exceed revenue."),
            )
        )
    return errors


@transaction.atomic
def figures_record(
    *,
    enterprise: Enterprise,
    year: Any,
    values: Mapping[str, Any],
    by: Any,
    source: str = YearFigures.Source.OFFICE,
    note: str = "",
    is_demo: bool = False,
) -> YearFigures:
    """Record an enterprise's figures for a year as its next vintage.

    `values` may be partial: a field not given is carried from the year's latest vintage, a
    field given as None or blank becomes unknown. Recording what the latest vintage already
    says changes nothing (the same row is returned)."""
    row = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    require_editor(by, row)
    if source not in YearFigures.Source.values:
        raise RegistryError.one("source", _("Unknown source."))
    y, clean, errors = figures_problems(values, year=year, founded_on=row.founded_on)
    note = (note or "").strip()
    if len(note) > 500 or "\x00" in note:
        errors.append(ErrorDetail(field="note", message=_("At most 500 characters.")))
    if errors or y is None:
        raise RegistryError(errors)
    latest = YearFigures.objects.filter(enterprise=row, year=y).order_by("-vintage").first()
    merged = {n: (getattr(latest, n) if latest else None) for n in FIGURE_FIELDS}
    merged.update(clean)
    consistency = _consistency(merged)
    if consistency:
        raise RegistryError(consistency)
    if latest is not None and all(getattr(latest, n) == merged[n] for n in FIGURE_FIELDS):
        return latest
    vintage = (
        YearFigures.objects.filter(enterprise=row, year=y).aggregate(m=Max("vintage"))["m"] or 0
    ) + 1
    figures = YearFigures.objects.create(
        enterprise=row,
        year=y,
        vintage=vintage,
        source=source,
        note=note,
        recorded_at=timezone.now(),
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
        is_demo=is_demo,
        **merged,
    )
    audit_record(
        actor=by,
        action="record",
        obj=figures,
        label=f"{row.name_zh} {y} v{vintage}",
        before={n: getattr(latest, n) for n in FIGURE_FIELDS} if latest else None,
        after={"year": y, "vintage": vintage, **merged},
        organisation=row.organisation,
    )
    emit(
        FiguresRecorded(
            actor_id=by.pk if getattr(by, "is_authenticated", False) else None,
            enterprise_id=row.pk,
            year=y,
            vintage=vintage,
        )
    )
    return figures
