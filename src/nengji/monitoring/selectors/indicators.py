"""The one read model of indicator values and their status.

Every page, report and API call that shows an indicator's value, target or band reads it here,
so two places can never disagree: the value is the latest vintage of the latest year (annual
values; published only unless asked otherwise), the target is the office's or else the one the
plan itself states, the band comes from `nengji.monitoring.ontrack` with the indicator's progress
method and the office's thresholds. Demo values (flagged 演示数据) are used only for indicators
that have no real value at all: a real series is never mixed with a made-up one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nengji.core.errors import DomainError
from nengji.monitoring.models import Assignment, MonitoringSettings, Observation, Target
from nengji.monitoring.ontrack import Assessment, Band, Method, Thresholds, assess
from nengji.monitoring.rating import ATTENTION_ORDER, band_of, explanation, rating_label
from nengji.plan.models import Department, Indicator, Plan, Section


def thresholds_for(plan: Plan) -> Thresholds:
    """The office's thresholds for the plan (the defaults until it sets its own)."""
    s = MonitoringSettings.objects.filter(plan=plan).first()
    if s is None:
        return Thresholds()
    return Thresholds(
        on_track_ratio=s.on_track_ratio,
        moderate_ratio=s.moderate_ratio,
        no_target_on_track=s.no_target_on_track,
        no_target_moderate=s.no_target_moderate,
        ahead_ratio=s.ahead_ratio,
    )


@dataclass(frozen=True)
class Point:
    """One year's value: the latest vintage of that year's annual figure."""

    observation: Observation

    @property
    def year(self) -> int:
        return self.observation.year

    @property
    def value(self) -> Decimal:
        return self.observation.value

    @property
    def vintage(self) -> int:
        return self.observation.vintage

    @property
    def is_demo(self) -> bool:
        return self.observation.is_demo


@dataclass(frozen=True)
class TargetView:
    """The target an indicator is judged against, and where it comes from."""

    year: int
    value: Decimal
    value_max: Decimal | None
    source: str  # "office" (set by the plan office) or "plan" (stated in the plan's text)
    nature: str = ""  # Target.Nature for office targets
    basis: str = ""
    quote: str = ""
    start: int | None = None
    end: int | None = None
    set_at: Any = None
    is_demo: bool = False

    @property
    def is_binding(self) -> bool:
        return self.nature == Target.Nature.BINDING


@dataclass(frozen=True)
class Ancestry:
    area: Section | None = None
    task: Section | None = None


@dataclass
class IndicatorStatus:
    indicator: Indicator
    lead: Department | None
    area: Section | None
    task: Section | None
    points: list[Point] = field(default_factory=list)
    target: TargetView | None = None
    assessment: Assessment | None = None

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def method(self) -> str:
        return self.indicator.progress_method

    @property
    def band(self) -> Band:
        return band_of(self.assessment)

    @property
    def band_label(self) -> str:
        return rating_label(self.band)

    @property
    def explanation(self) -> str:
        return explanation(self.assessment, language=get_language() or "")

    @property
    def is_demo(self) -> bool:
        return any(p.is_demo for p in self.points) or bool(self.target and self.target.is_demo)

    @property
    def attention_key(self) -> tuple[int, int]:
        """Worst first, then plan order."""
        return (ATTENTION_ORDER[self.band], self.indicator.order)

    # names the pages used before this read model existed
    @property
    def department(self) -> Department | None:
        return self.lead

    @property
    def target_year(self) -> int | None:
        return self.target.year if self.target else None

    @property
    def target_value(self) -> float | None:
        return float(self.target.value) if self.target else None


def section_ancestry(plan: Plan) -> dict[int, Ancestry]:
    """section id → its area and task (a measure's task and area; a task's area). One query."""
    rows = {
        s.pk: s
        for s in Section.objects.filter(plan=plan).only(
            "id", "plan_id", "parent_id", "kind", "code", "number", "order", "title_zh", "title_en"
        )
    }
    out: dict[int, Ancestry] = {}
    for pk, sec in rows.items():
        area = task = None
        cur: Section | None = sec
        while cur is not None:
            if cur.kind == Section.Kind.AREA and area is None:
                area = cur
            if cur.kind == Section.Kind.TASK and task is None:
                task = cur
            cur = rows.get(cur.parent_id) if cur.parent_id else None
        out[pk] = Ancestry(area, task)
    return out


def target_view(indicator: Indicator, target: Target | None) -> TargetView | None:
    """The office's target, else the target the plan's text states (its lower end)."""
    if target is not None:
        return TargetView(
            year=target.target_year,
            value=target.target_value,
            value_max=None,
            source="office",
            nature=target.nature,
            basis=target.basis,
            set_at=target.set_at,
            is_demo=target.is_demo,
        )
    if indicator.stated_target_year and indicator.stated_target_min is not None:
        return TargetView(
            year=indicator.stated_target_year,
            value=indicator.stated_target_min,
            value_max=indicator.stated_target_max,
            source="plan",
            quote=indicator.stated_target_quote,
            start=indicator.stated_target_start,
            end=indicator.stated_target_end,
        )
    return None


def assess_point(
    indicator: Indicator, point: Point | None, target: TargetView | None, th: Thresholds
) -> Assessment | None:
    """The band of a value against the plan's baseline; None without a value or a baseline, or
    when the rule cannot judge it (never an error). An indicator judged by no trend (a one-off
    event, a count of years) without a value is "not judged by a trend", not "insufficient
    data": nothing is missing for it."""
    if point is None and indicator.progress_method == Method.NONE:
        return Assessment(
            Band.NOT_ASSESSED,
            target is not None,
            Method.NONE,
            explanation_zh="一次性事件或连续年数，不按变化趋势评价。",
            explanation_en="A one-off event or a count of years: not judged by a trend.",
        )
    if point is None or indicator.baseline_value is None or not indicator.baseline_year:
        return None
    try:
        return assess(
            base_year=indicator.baseline_year,
            base_value=float(indicator.baseline_value),
            year=point.year,
            value=float(point.value),
            direction=indicator.direction if indicator.direction in (1, -1) else 1,
            target_year=target.year if target else None,
            target_value=float(target.value) if target else None,
            thresholds=th,
            method=Method(indicator.progress_method or Method.CAGR),
        )
    except ValueError:
        return None


def _points(observations: list[Observation], *, include_demo: bool) -> list[Point]:
    real = [o for o in observations if not o.is_demo]
    chosen = real if (real or not include_demo) else observations
    by_year: dict[int, Observation] = {}
    for obs in sorted(chosen, key=lambda o: (o.year, o.vintage)):
        by_year[obs.year] = obs
    return [Point(by_year[y]) for y in sorted(by_year)]


def indicator_statuses(
    *,
    plan: Plan,
    published_only: bool = True,
    up_to_year: int | None = None,
    include_demo: bool = True,
    codes: list[str] | None = None,
) -> list[IndicatorStatus]:
    """Every indicator of the plan (or those of `codes`) with its series, target and band.

    ``up_to_year`` gives the state as a report for that year sees it (values up to that year).
    A fixed number of queries, whatever the number of indicators.
    """
    wanted = plan.indicators.select_related("section").order_by("order", "id")
    if codes is not None:
        wanted = wanted.filter(code__in=codes)
    indicators = list(wanted)
    leads = {
        a.indicator_id: a.lead
        for a in Assignment.objects.filter(plan=plan, indicator__isnull=False).select_related(
            "lead"
        )
    }
    targets = {t.indicator_id: t for t in Target.objects.filter(indicator__plan=plan)}
    obs = Observation.objects.filter(indicator__in=indicators, quarter=0)
    if published_only:
        obs = obs.filter(published_at__isnull=False)
    if up_to_year is not None:
        obs = obs.filter(year__lte=up_to_year)
    by_ind: dict[int, list[Observation]] = defaultdict(list)
    for o in obs.select_related("submission__department"):
        if o.indicator_id is not None:
            by_ind[o.indicator_id].append(o)
    ancestry = section_ancestry(plan)
    th = thresholds_for(plan)
    out = []
    for ind in indicators:
        anc = ancestry.get(ind.section_id or -1, Ancestry())
        points = _points(by_ind.get(ind.pk, []), include_demo=include_demo)
        target = target_view(ind, targets.get(ind.pk))
        status = IndicatorStatus(ind, leads.get(ind.pk), anc.area, anc.task, points, target)
        status.assessment = assess_point(ind, status.latest, target, th)
        out.append(status)
    return out


def indicator_status(*, plan: Plan, code: str, **kwargs: Any) -> IndicatorStatus:
    found = indicator_statuses(plan=plan, codes=[code], **kwargs)
    if not found:
        raise DomainError.one(
            "indicator", _("No indicator %(code)s in this plan.") % {"code": code}, code="not_found"
        )
    return found[0]


def vintages(*, plan: Plan, published_only: bool = True) -> dict[int, list[Observation]]:
    """Every vintage of every indicator's values (annual and quarterly), oldest first, by
    indicator id: the history behind each `IndicatorStatus`'s points."""
    qs = Observation.objects.filter(indicator__plan=plan)
    if published_only:
        qs = qs.filter(published_at__isnull=False)
    out: dict[int, list[Observation]] = defaultdict(list)
    for o in qs.select_related("submission__department").order_by(
        "indicator_id", "year", "quarter", "vintage"
    ):
        if o.indicator_id is not None:
            out[o.indicator_id].append(o)
    return out
