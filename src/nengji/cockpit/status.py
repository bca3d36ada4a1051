"""Indicator status for the cockpit and the portal: latest value, target, on-track band.

Everything is read in a fixed number of queries (plan indicators, assignments, targets,
published observations, the latest index run) and assembled in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from nengji.indexing.models import IndexRun
from nengji.monitoring.models import Assignment, Observation, Target
from nengji.monitoring.ontrack import Assessment, Band, Thresholds
from nengji.monitoring.selectors import indicator_assessment, thresholds_for
from nengji.plan.models import Department, Indicator, Plan, Section

# "worst first": moving away, limited, moderate, on track, achieved, then no data
BAND_ORDER = {
    Band.AWAY: 0,
    Band.LIMITED: 1,
    Band.MODERATE: 2,
    Band.ON_TRACK: 3,
    Band.ACHIEVED: 4,
    Band.UNKNOWN: 5,
}


@dataclass
class Point:
    year: int
    value: float
    is_demo: bool
    observation: Observation | None = None


@dataclass
class IndicatorStatus:
    indicator: Indicator
    department: Department | None
    area: Section | None
    task: Section | None
    points: list[Point] = field(default_factory=list)
    target_year: int | None = None
    target_value: float | None = None
    target_is_demo: bool = False
    target_source: str = ""
    assessment: Assessment | None = None

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def is_demo(self) -> bool:
        return any(p.is_demo for p in self.points) or self.target_is_demo

    @property
    def band(self) -> str:
        return str(self.assessment.band) if self.assessment else str(Band.UNKNOWN)

    @property
    def band_label(self) -> str:
        if not self.assessment:
            return "数据不足" if get_language() != "en" else "insufficient data"
        a = self.assessment
        return a.label_en if get_language() == "en" else a.label_zh

    @property
    def explanation(self) -> str:
        if not self.assessment:
            return ""
        a = self.assessment
        return a.explanation_en if get_language() == "en" else a.explanation_zh

    @property
    def spark_svg(self) -> str:
        return sparkline_svg([p.value for p in self.points])

    @property
    def sort_key(self) -> tuple[int, int]:
        band = self.assessment.band if self.assessment else Band.UNKNOWN
        return (BAND_ORDER[band], self.indicator.order)


# what the cockpit shows of a section (its quotes and offsets are only read on drill-downs)
SECTION_FIELDS = (
    "id",
    "plan_id",
    "parent_id",
    "kind",
    "code",
    "number",
    "order",
    "title_zh",
    "title_en",
)


def section_ancestry(plan: Plan) -> dict[int, dict[str, Section | None]]:
    """section id → its area and task (for measures: their task and area). One query."""
    rows = {s.pk: s for s in Section.objects.filter(plan=plan).only(*SECTION_FIELDS)}
    out: dict[int, dict[str, Section | None]] = {}
    for pk, sec in rows.items():
        found: dict[str, Section | None] = {"area": None, "task": None}
        cur: Section | None = sec
        while cur is not None:
            if cur.kind == Section.Kind.AREA and found["area"] is None:
                found["area"] = cur
            if cur.kind == Section.Kind.TASK and found["task"] is None:
                found["task"] = cur
            cur = rows.get(cur.parent_id) if cur.parent_id else None
        out[pk] = found
    return out


def demo_points(run: IndexRun | None) -> dict[str, list[Point]]:
    """Demo values of the latest index run's snapshot, by indicator code."""
    out: dict[str, list[Point]] = defaultdict(list)
    if run is None:
        return out
    for v in run.snapshot:
        if v["source"] == "demo":
            out[v["code"]].append(Point(int(v["year"]), float(v["value"]), True))
    return out


def indicator_statuses(
    *,
    plan: Plan,
    run: IndexRun | None,
    sections: dict[int, dict[str, Section | None]],
    include_demo: bool = True,
) -> list[IndicatorStatus]:
    """Every indicator of the plan with its official series (published vintages only, latest
    vintage per year), demo values where no official value exists, target and band."""
    indicators = list(plan.indicators.select_related("section").order_by("order", "id"))
    leads = {
        a.indicator_id: a.lead
        for a in Assignment.objects.filter(plan=plan, indicator__isnull=False).select_related(
            "lead"
        )
    }
    targets = {t.indicator_id: t for t in Target.objects.filter(indicator__plan=plan)}
    official: dict[int, dict[int, Observation]] = defaultdict(dict)
    for obs in Observation.objects.filter(
        indicator__plan=plan, quarter=0, published_at__isnull=False
    ).order_by("year", "vintage"):
        official[obs.indicator_id][obs.year] = obs  # type: ignore[index]
    demo = demo_points(run) if include_demo else {}
    th = thresholds_for(plan)
    out = []
    for ind in indicators:
        anc = sections.get(ind.section_id or -1, {"area": None, "task": None})
        st = IndicatorStatus(ind, leads.get(ind.pk), anc["area"], anc["task"])
        obs_by_year = official.get(ind.pk, {})
        points = {y: Point(y, float(o.value), o.is_demo, o) for y, o in obs_by_year.items()}
        if not points:  # an indicator with official values shows only those
            points = {p.year: p for p in demo.get(ind.code, [])}
        st.points = [points[y] for y in sorted(points)]
        target = targets.get(ind.pk)
        if target is not None:
            st.target_year, st.target_value = target.target_year, float(target.target_value)
            st.target_is_demo, st.target_source = target.is_demo, "office"
        elif ind.stated_target_year and ind.stated_target_min is not None:
            st.target_year, st.target_value = ind.stated_target_year, float(ind.stated_target_min)
            st.target_source = "plan"
        st.assessment = _assess(ind, st, th)
        out.append(st)
    return out


def _assess(ind: Indicator, st: IndicatorStatus, th: Thresholds) -> Assessment | None:
    latest = st.latest
    if latest is None:
        return None
    return indicator_assessment(
        indicator=ind,
        year=latest.year,
        value=latest.value,
        target_year=st.target_year,
        target_value=st.target_value,
        thresholds=th,
    )


def sparkline_svg(values: list[float], *, width: int = 96, height: int = 24) -> str:
    """A tiny inline SVG polyline (no JS, no request) for a table cell."""
    if len(values) < 2:
        return ""
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    step = width / (len(values) - 1)
    pts = " ".join(
        f"{i * step:.1f},{height - 2 - (v - lo) / span * (height - 4):.1f}"
        for i, v in enumerate(values)
    )
    return (
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-hidden="true"><polyline fill="none" stroke="currentColor" stroke-width="1.5" '
        f'points="{pts}"/></svg>'
    )


def as_jsonable(x: Any) -> Any:
    return float(x) if x is not None else None
