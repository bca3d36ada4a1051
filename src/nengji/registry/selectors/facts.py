"""`enterprise_facts`: one flat mapping of what is known about an enterprise in a year, the
facts every rule (the ladder's, a policy's) is evaluated against. The names, units and kinds
are catalogued in `nengji.registry.facts` (documented in docs/registry.md); values are
Decimals (amounts in 万元, shares in percent), ints, bools, text or a sorted list. A fact that
is not known is ``None`` — rules then answer *unknown*, never a guess.

The year is the year of the figures (default: the latest year with figures). Multi-year facts
(``*_3y``, ``*_2y``) need every year of the window the enterprise existed in, else ``None``.
Age and active designations are as of the end of that year (or today, when earlier)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, NamedTuple, Protocol

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from nengji.registry.models import Designation, DesignationKind, Enterprise, YearFigures

_Q = Decimal("0.000001")
#: every designation kind (read once: the enum builds the list anew on each access)
KINDS = tuple(DesignationKind.values)

#: YearFigures fields copied into the facts as they are
DIRECT = (
    "employees",
    "st_staff",
    "revenue",
    "total_assets",
    "total_liabilities",
    "rd_domestic",
    "rd_foreign",
    "high_tech_revenue",
    "ip_invention_patents",
    "ip_utility_models",
    "ip_designs",
    "ip_software",
    "equity_financing",
    "valuation",
)


class Profile(Protocol):
    """What the facts read of an enterprise (a model instance or a row read as a tuple)."""

    @property
    def pk(self) -> Any: ...
    @property
    def founded_on(self) -> dt.date | None: ...
    @property
    def industry(self) -> str: ...
    @property
    def street(self) -> str: ...


class Dated(Protocol):
    """What the facts and the ladder read of a designation (a model instance or a row)."""

    @property
    def kind(self) -> str: ...
    @property
    def granted_on(self) -> dt.date: ...
    @property
    def expires_on(self) -> dt.date | None: ...
    @property
    def status(self) -> str: ...
    @property
    def ended_on(self) -> dt.date | None: ...


class DesignationRow(NamedTuple):
    """A designation as the ladder needs it, read as a tuple: many thousands of these cost
    a fraction of as many model instances."""

    enterprise_id: int
    kind: str
    granted_on: dt.date
    expires_on: dt.date | None
    status: str
    ended_on: dt.date | None


class FigureRow(NamedTuple):
    """A year's figures as the facts need them, read as a tuple (see `DesignationRow`)."""

    enterprise_id: int
    year: int
    vintage: int
    employees: int | None
    st_staff: int | None
    revenue: Decimal | None
    total_assets: Decimal | None
    total_liabilities: Decimal | None
    rd_domestic: Decimal | None
    rd_foreign: Decimal | None
    high_tech_revenue: Decimal | None
    ip_invention_patents: int | None
    ip_utility_models: int | None
    ip_designs: int | None
    ip_software: int | None
    equity_financing: Decimal | None
    valuation: Decimal | None
    ip_other_class1: int | None


def enterprise_facts(enterprise: Enterprise, *, year: int | None = None) -> dict[str, Any]:
    """The facts of one enterprise for `year` (default: its latest year with figures)."""
    figures = figures_by_year(YearFigures.objects.filter(enterprise=enterprise))
    designations = list(Designation.objects.filter(enterprise=enterprise))
    return facts_from(
        enterprise, figures.get(enterprise.pk, {}), designations, year=year, today=_today()
    )


def enterprises_facts(
    enterprises: Iterable[Enterprise], *, year: int | None = None
) -> dict[int, dict[str, Any]]:
    """`enterprise_facts` for many enterprises in three queries (id → facts)."""
    rows = list(enterprises)
    ids = [e.pk for e in rows]
    figures = figures_by_year(
        figures_window(YearFigures.objects.filter(enterprise_id__in=ids), year)
    )
    designations = designations_by_enterprise(Designation.objects.filter(enterprise_id__in=ids))
    today = _today()
    return {
        e.pk: facts_from(e, figures.get(e.pk, {}), designations[e.pk], year=year, today=today)
        for e in rows
    }


def figures_window(qs: QuerySet[YearFigures], year: int | None) -> QuerySet[YearFigures]:
    """Only the rows the facts can read: the year and the two before it, or (no year) each
    enterprise's latest year with figures and the two before it. Ten years of figures cost
    no more than three."""
    if year is not None:
        return qs.filter(year__gte=year - 2, year__lte=year)
    latest = (
        YearFigures.objects.filter(enterprise_id=OuterRef("enterprise_id"))
        .order_by("-year")
        .values("year")[:1]
    )
    return qs.annotate(latest_year=Subquery(latest)).filter(year__gte=F("latest_year") - 2)


def designations_by_enterprise(qs: QuerySet[Designation]) -> dict[int, list[DesignationRow]]:
    """enterprise id → its designations as rows (one query)."""
    out: dict[int, list[DesignationRow]] = defaultdict(list)
    fields = ("enterprise_id", "kind", "granted_on", "expires_on", "status", "ended_on")
    for row in qs.order_by().values_list(*fields):
        out[row[0]].append(DesignationRow(*row))
    return out


def _today() -> dt.date:
    return timezone.localdate()


def figures_by_year(qs: QuerySet[YearFigures]) -> dict[int, dict[int, FigureRow]]:
    """enterprise id → year → the year's latest vintage (one query, rows as tuples)."""
    out: dict[int, dict[int, FigureRow]] = defaultdict(dict)
    for row in qs.order_by("enterprise_id", "year", "vintage").values_list(*FigureRow._fields):
        f = FigureRow(*row)
        out[f.enterprise_id][f.year] = f
    return out


def designation_active_on(d: Dated, day: dt.date) -> bool:
    """Whether the designation was in force on `day` (granted, not yet ended or expired)."""
    if d.granted_on > day:
        return False
    if d.expires_on is not None and d.expires_on < day:
        return False
    if d.status != Designation.Status.ACTIVE:
        return d.ended_on is not None and d.ended_on > day
    return True


def _pct(num: Decimal | int | None, den: Decimal | int | None) -> Decimal | None:
    if num is None or den is None or den <= 0:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(_Q, rounding=ROUND_HALF_EVEN)


def _rd(f: FigureRow | None) -> Decimal | None:
    """A year's total R&D spend: in China plus abroad (abroad unknown counts as unknown)."""
    if f is None or f.rd_domestic is None or f.rd_foreign is None:
        return None
    return f.rd_domestic + f.rd_foreign


def _window_sum(values: list[Decimal | None]) -> Decimal | None:
    if not values or any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def facts_from(
    enterprise: Profile,
    by_year: Mapping[int, FigureRow],
    designations: Iterable[Dated],
    *,
    year: int | None,
    today: dt.date,
) -> dict[str, Any]:
    """The facts from rows already read (used by both selectors)."""
    if year is None:
        year = max(by_year) if by_year else today.year
    day = min(dt.date(year, 12, 31), today)
    f = by_year.get(year)
    facts: dict[str, Any] = {"year": year}
    for name in DIRECT:
        facts[name] = getattr(f, name) if f is not None else None

    founded = enterprise.founded_on
    facts["age_years"] = (
        (Decimal((day - founded).days) / Decimal("365.25")).quantize(Decimal("0.01"))
        if founded is not None and founded <= day
        else None
    )
    first_year = founded.year if founded is not None else None

    def window(n: int) -> list[int]:
        years = [y for y in range(year - n + 1, year + 1)]
        return [y for y in years if first_year is None or y >= first_year] or [year]

    # class I: invention patents and other class I rights; class II: the rest
    if f is not None and f.ip_invention_patents is not None and f.ip_other_class1 is not None:
        facts["ip_class1"] = f.ip_invention_patents + f.ip_other_class1
    else:
        facts["ip_class1"] = None
    class2 = [
        getattr(f, n) if f else None for n in ("ip_utility_models", "ip_designs", "ip_software")
    ]
    facts["ip_class2"] = sum(class2) if all(v is not None for v in class2) else None

    facts["rd_spend"] = _rd(f)
    facts["st_staff_share"] = _pct(facts["st_staff"], facts["employees"])
    facts["rd_intensity"] = _pct(facts["rd_spend"], facts["revenue"])
    facts["high_tech_revenue_share"] = _pct(facts["high_tech_revenue"], facts["revenue"])
    facts["debt_ratio"] = _pct(facts["total_liabilities"], facts["total_assets"])
    prev = by_year.get(year - 1)
    facts["revenue_growth"] = (
        _pct(facts["revenue"] - prev.revenue, prev.revenue)
        if f is not None and prev is not None and f.revenue is not None and prev.revenue is not None
        else None
    )

    w3 = [by_year.get(y) for y in window(3)]
    facts["rd_spend_3y"] = _window_sum([_rd(x) for x in w3])
    facts["rd_domestic_3y"] = _window_sum([x.rd_domestic if x else None for x in w3])
    facts["revenue_3y"] = _window_sum([x.revenue if x else None for x in w3])
    facts["rd_intensity_3y"] = _pct(facts["rd_spend_3y"], facts["revenue_3y"])
    facts["rd_domestic_share_3y"] = _pct(facts["rd_domestic_3y"], facts["rd_spend_3y"])

    w2 = [by_year.get(y) for y in window(2)]
    rd2 = [_rd(x) for x in w2]
    total2 = _window_sum(rd2)
    facts["rd_spend_2y_avg"] = (
        (total2 / len(w2)).quantize(Decimal("0.01")) if total2 is not None else None
    )
    intensities = [_pct(_rd(x), x.revenue if x else None) for x in w2]
    facts["rd_intensity_min_2y"] = (
        min(i for i in intensities if i is not None)
        if all(i is not None for i in intensities)
        else None
    )
    facts["equity_financing_2y"] = _window_sum([x.equity_financing if x else None for x in w2])
    facts["equity_financing_3y"] = _window_sum([x.equity_financing if x else None for x in w3])

    active = sorted({d.kind for d in designations if designation_active_on(d, day)})
    facts["designations"] = active
    for kind in KINDS:
        facts[f"has_{kind}"] = kind in active
    facts["industry"] = enterprise.industry or None
    facts["industry_section"] = enterprise.industry[:1] or None
    facts["street"] = enterprise.street or None
    return facts
