"""What a report says, read from the database for one year: the adapter between the domain apps
and the report content.

A report is about a year: it reads monitoring's one read model as of that year (published
values up to the year, the progress of that year's published rounds), so a report and every
public page give the same band for every indicator. Statuses stay codes here (`Band`,
`TaskStatus`); the content modules turn them into words of the report's language.

Everything here is plain data (dataclasses); the content modules turn it into a `Report`.
Nothing is estimated or filled in: a missing figure is `None`, and `missing` says in words which
data are missing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from nengji.indexing.compute import results_for
from nengji.indexing.selectors import index_run_latest
from nengji.monitoring.models import Observation, Round, TaskStatus
from nengji.monitoring.ontrack import Assessment, Band, Thresholds
from nengji.monitoring.rating import OFF_TRACK, RATING_ORDER, band_of
from nengji.monitoring.selectors import (
    IndicatorStatus,
    Point,
    TargetView,
    assess_point,
    indicator_statuses,
    progress_nodes,
    task_progress,
    thresholds_for,
)
from nengji.plan.models import IndexDefinition, Indicator, Plan, Section
from nengji.reports.index_source import IndexFacts, facts_from_results

#: where a computed index value comes from (the sources table and the data notes)
INDEX_COMPUTED_NOTE = "平台按《规划》指数测评办法计算"

#: task statuses in the order reports count them; "" is "not reported"
TASK_STATUS_ORDER = (
    TaskStatus.COMPLETED,
    TaskStatus.ON_SCHEDULE,
    TaskStatus.LAGGING,
    TaskStatus.NOT_STARTED,
)
NOT_REPORTED = ""


@dataclass
class IndicatorFacts:
    """One indicator as the report for a year sees it (monitoring's read model, up to the year).

    ``computed`` marks the index's own indicators (its value, its average growth) when their
    latest value comes from the platform's index run rather than from a published figure: the
    report prints the same number in the text, in the index table and in the indicator table.
    """

    status: IndicatorStatus
    area: str
    department: str
    area_en: str = ""
    department_en: str = ""
    computed: bool = False

    @property
    def method(self) -> str:
        return self.indicator.progress_method or "cagr"

    @property
    def indicator(self) -> Indicator:
        return self.status.indicator

    @property
    def target(self) -> TargetView | None:
        return self.status.target

    @property
    def latest(self) -> Point | None:
        return self.status.latest

    @property
    def assessment(self) -> Assessment | None:
        return self.status.assessment

    @property
    def band(self) -> Band:
        return band_of(self.assessment)

    @property
    def is_binding(self) -> bool:
        return bool(self.target and self.target.is_binding)

    @property
    def is_off_track(self) -> bool:
        return self.band in OFF_TRACK

    @property
    def completion(self) -> Decimal | None:
        """Share of the way from baseline to target covered, in % (one decimal)."""
        base = self.indicator.baseline_value
        if self.target is None or self.latest is None or base is None:
            return None
        span = self.target.value - base
        if span == 0:
            return None
        return ((self.latest.value - base) / span * 100).quantize(Decimal("0.1"))

    @property
    def is_demo(self) -> bool:
        return self.status.is_demo

    @property
    def missing(self) -> str:
        parts = []
        if self.indicator.baseline_value is None:
            parts.append("基期值")
        if self.latest is None:
            parts.append("监测值")
        if self.target is None:
            parts.append("目标值")
        return "、".join(parts)


@dataclass
class ProgressFacts:
    section: Section
    area: str
    task: str
    department: str
    status: str  # a TaskStatus code, or "" when not reported
    percent: Decimal | None
    narrative: str
    is_demo: bool
    area_en: str = ""
    department_en: str = ""


@dataclass
class Evidence:
    plan: Plan
    year: int
    indicators: list[IndicatorFacts]
    progress: list[ProgressFacts]
    index: IndexFacts | None
    rounds: list[Round]
    thresholds: Thresholds
    missing: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def has_demo_data(self) -> bool:
        return (
            any(f.is_demo for f in self.indicators)
            or any(p.is_demo for p in self.progress)
            or bool(self.index and self.index.is_demo)
            or any(r.is_demo for r in self.rounds)
        )

    def evaluation_counts(self, *, binding_only: bool = False) -> dict[Band, int]:
        counts = dict.fromkeys(RATING_ORDER, 0)
        for facts in self.indicators:
            if binding_only and not facts.is_binding:
                continue
            counts[facts.band] += 1
        return counts


def evidence_for_year(*, plan: Plan, year: int, with_index: bool = True) -> Evidence:
    """Everything a report for `year` says: published values up to that year (with the bands
    every page shows), the progress reported in that year's published rounds, the index."""
    indicators = [
        IndicatorFacts(
            status=s,
            area=_area_title(s),
            department=s.lead.name_zh if s.lead else "",
            area_en=_area_title(s, en=True),
            department_en=(s.lead.name_en or s.lead.name_zh) if s.lead else "",
        )
        for s in indicator_statuses(plan=plan, published_only=True, up_to_year=year)
    ]
    rounds = list(Round.objects.filter(plan=plan, year=year).order_by("quarter"))
    progress = _progress_facts(plan=plan, year=year)
    index = _index_for(plan=plan, year=year) if with_index else None
    thresholds = thresholds_for(plan)
    if index is not None:
        _fill_index_indicators(plan, indicators, index, thresholds)
    evidence = Evidence(plan, year, indicators, progress, index, rounds, thresholds=thresholds)
    evidence.missing = _missing(evidence)
    evidence.sources = _sources(evidence)
    return evidence


def _area_title(status: IndicatorStatus, *, en: bool = False) -> str:
    section = status.area or status.task
    if section is None:
        return ""
    return (section.title_en or section.title_zh) if en else section.title_zh


def official_index_codes(plan: Plan) -> tuple[str | None, str | None]:
    """The codes of the indicators that record the index itself and its average growth."""
    definition = (
        IndexDefinition.objects.filter(plan=plan).select_related("official_indicator").first()
    )
    if definition is None or definition.official_indicator is None:
        return None, None
    code = definition.official_indicator.code
    growth = (
        plan.indicators.filter(code__startswith=code, kind="rate")
        .values_list("code", flat=True)
        .first()
    )
    return code, growth


def _fill_index_indicators(
    plan: Plan, facts: list[IndicatorFacts], idx: IndexFacts, th: Thresholds
) -> None:
    """Give the index's indicators the computed value where nothing was published for them, so
    that the indicator table, the index table and the text say the same number. A published
    (official) value always wins; the computed one carries the run's demo flag."""
    value_code, growth_code = official_index_codes(plan)
    series = idx.values[idx.index_name]
    latest = series[-1]
    if latest is None:
        return
    first_year = idx.years[0]
    for f in facts:
        code = f.indicator.code
        if f.latest is not None and f.latest.year >= idx.year:
            continue
        if code == value_code:
            value = Decimal(f"{latest:.1f}")
        elif code == growth_code and idx.year > first_year and series[0]:
            rate = (latest / float(series[0])) ** (1 / (idx.year - first_year)) - 1
            value = Decimal(f"{rate * 100:.1f}")
        else:
            continue
        obs = Observation(
            indicator=f.indicator,
            year=idx.year,
            value=value,
            vintage=1,
            source=Observation.Source.DEMO if idx.is_demo else Observation.Source.EXTERNAL,
            source_note=INDEX_COMPUTED_NOTE,
            published_at=idx.computed_at,
            is_demo=idx.is_demo,
        )
        f.status.points = [*f.status.points, Point(obs)]
        f.status.assessment = assess_point(f.indicator, f.status.latest, f.target, th)
        f.computed = True


def _index_for(*, plan: Plan, year: int) -> IndexFacts | None:
    """The index as the platform last computed it (the stored run the cockpit shows), re-run
    on that run's own stored snapshot and spec for the decomposition the report prints; None
    when no run is stored yet (the report says so)."""
    run = index_run_latest(plan=plan)
    if run is None:
        return None
    results = results_for(
        framework=run.framework, spec=run.spec, snapshot=run.snapshot, unit=run.stored.unit
    )
    facts = facts_from_results(results, up_to=year, is_demo=run.is_demo)
    if facts is not None:
        facts.computed_at = run.created_at
    return facts


def _progress_facts(*, plan: Plan, year: int) -> list[ProgressFacts]:
    """Per assigned measure or key project: the last approved progress of `year`'s published
    rounds (monitoring's progress read model)."""
    roots = task_progress(plan=plan, published_only=True, year=year)
    out = []
    for node in progress_nodes(roots, Section.Kind.MEASURE, Section.Kind.PROJECT):
        if node.lead is None:  # not assigned: not monitored
            continue
        out.append(
            ProgressFacts(
                section=node.section,
                area=node.area.title_zh if node.area else "",
                task=node.task.title_zh if node.task else "",
                department=node.lead.name_zh,
                status=node.status,
                percent=node.percent,
                narrative=node.narrative,
                is_demo=node.is_demo or node.section.is_demo,
                area_en=(node.area.title_en or node.area.title_zh) if node.area else "",
                department_en=node.lead.name_en or node.lead.name_zh,
            )
        )
    return out


def _missing(ev: Evidence) -> list[str]:
    from nengji.reports.content.common import join, name, tr

    out = []
    if not ev.rounds:
        out.append(
            tr(
                f"{ev.year}年未开展监测填报轮次，当年无部门报送数据。",
                f"No reporting round was held for {ev.year}, so no department reported.",
            )
        )
    # nothing is missing for a one-off event of the past (not judged by a trend)
    without_value = [f for f in ev.indicators if f.latest is None and f.method != "none"]
    if without_value:
        names = join([name(f.indicator) for f in without_value[:8]])
        more = tr(f"等{len(without_value)}项", f" and others ({len(without_value)} in all)")
        more = more if len(without_value) > 8 else ""
        out.append(
            tr(
                f"截至{ev.year}年尚无监测值的指标：{names}{more}。",
                f"Indicators without a value up to {ev.year}: {names}{more}.",
            )
        )
    stale = [f for f in ev.indicators if f.latest is not None and f.latest.year < ev.year]
    if stale:
        out.append(
            tr(
                f"{len(stale)}项指标{ev.year}年数据尚未报送或未审核，表中使用此前年份的最新数据"
                "（见“监测年份”列）。",
                f"{len(stale)} indicators have no approved {ev.year} value; the table shows "
                "their latest earlier value (see the year column).",
            )
        )
    unreported = [p for p in ev.progress if not p.status]
    if ev.progress and unreported:
        out.append(
            tr(
                f"{len(unreported)}项任务举措{ev.year}年无审核通过的进展报送。",
                f"{len(unreported)} measures have no approved progress report for {ev.year}.",
            )
        )
    if not ev.progress:
        out.append(
            tr(
                "尚未将任务举措和重点项目分解到责任部门，无法汇总任务进展。",
                "The measures are not assigned to lead departments, so progress cannot be "
                "summarised.",
            )
        )
    if ev.index is None:
        out.append(
            tr(
                "双创综合指数尚无测算结果。",
                "The composite index has not been computed yet.",
            )
        )
    elif ev.year not in ev.index.years:
        out.append(
            tr(
                f"双创综合指数{ev.year}年尚无测算结果，最新为{ev.index.years[-1]}年。",
                f"The composite index has no {ev.year} value yet; the latest is "
                f"{ev.index.years[-1]}.",
            )
        )
    return out


def _sources(ev: Evidence) -> list[str]:
    from nengji.reports.content.common import tr

    notes: dict[str, int] = defaultdict(int)
    for f in ev.indicators:
        if f.latest is None:
            continue
        obs = f.latest.observation
        if f.computed:
            notes[
                tr(
                    "双创综合指数及其增速按《规划》测评办法测算",
                    "the composite index and its growth, computed by the plan's method",
                )
            ] += 1
        elif obs.source == Observation.Source.SUBMISSION:
            notes[
                tr(
                    "责任部门报送、经区科委审核",
                    "reported by the lead departments and approved by the office",
                )
            ] += 1
        elif obs.source == Observation.Source.DEMO:
            notes[tr("演示数据", "demo data")] += 1
        else:
            notes[obs.source_note or tr("公开发布的统计数据", "published statistics")] += 1
    out = [tr(f"{k}（{v}项指标）", f"{k} ({v} indicators)") for k, v in notes.items()]
    out.append(
        tr(
            "基期值和规划目标摘自《规划》原文（可在平台中追溯至原文语句）",
            "baselines and plan targets from the plan's text (each traceable to its sentence)",
        )
    )
    return out
