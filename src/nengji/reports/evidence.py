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
    indicator_statuses,
    progress_nodes,
    task_progress,
    thresholds_for,
)
from nengji.plan.models import Indicator, Plan, Section
from nengji.reports.index_source import IndexFacts, facts_from_results

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
    """One indicator as the report for a year sees it (monitoring's read model, up to the year)."""

    status: IndicatorStatus
    area: str
    department: str

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
        )
        for s in indicator_statuses(plan=plan, published_only=True, up_to_year=year)
    ]
    rounds = list(Round.objects.filter(plan=plan, year=year).order_by("quarter"))
    progress = _progress_facts(plan=plan, year=year)
    index = _index_for(plan=plan, year=year) if with_index else None
    evidence = Evidence(
        plan, year, indicators, progress, index, rounds, thresholds=thresholds_for(plan)
    )
    evidence.missing = _missing(evidence)
    evidence.sources = _sources(evidence)
    return evidence


def _area_title(status: IndicatorStatus) -> str:
    section = status.area or status.task
    return section.title_zh if section is not None else ""


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
    return facts_from_results(results, up_to=year, is_demo=run.is_demo)


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
            )
        )
    return out


def _missing(ev: Evidence) -> list[str]:
    out = []
    if not ev.rounds:
        out.append(f"{ev.year}年未开展监测填报轮次，当年无部门报送数据。")
    without_value = [f for f in ev.indicators if f.latest is None]
    if without_value:
        names = "、".join(f.indicator.name_zh for f in without_value[:8])
        more = f"等{len(without_value)}项" if len(without_value) > 8 else ""
        out.append(f"截至{ev.year}年无审核通过的监测值的指标：{names}{more}。")
    stale = [f for f in ev.indicators if f.latest is not None and f.latest.year < ev.year]
    if stale:
        out.append(
            f"{len(stale)}项指标{ev.year}年数据尚未报送或未审核，表中使用此前年份的最新数据"
            "（见“监测年份”列）。"
        )
    without_target = [f for f in ev.indicators if f.target is None]
    if without_target:
        out.append(
            f"{len(without_target)}项指标无规划目标值（规划原文未设定，区科委亦未设定），"
            "按变化趋势评价或不作评价。"
        )
    unreported = [p for p in ev.progress if not p.status]
    if ev.progress and unreported:
        out.append(f"{len(unreported)}项任务举措{ev.year}年无审核通过的进展报送。")
    if not ev.progress:
        out.append("尚未将任务举措和重点项目分解到责任部门，无法汇总任务进展。")
    if ev.index is None:
        out.append("综合指数：尚无可用的指数计算结果。")
    elif ev.year not in ev.index.years:
        out.append(f"综合指数：{ev.year}年的指数尚无数据，最新为{ev.index.years[-1]}年。")
    return out


def _sources(ev: Evidence) -> list[str]:
    notes: dict[str, int] = defaultdict(int)
    for f in ev.indicators:
        if f.latest is None:
            continue
        if f.latest.observation.source == Observation.Source.SUBMISSION:
            notes["责任部门报送，经区科委审核通过"] += 1
        else:
            notes[f.latest.observation.source_note or "对外公开发布的数据"] += 1
    out = [f"{k}（{v}项指标）" for k, v in notes.items()]
    out.append("基期值：《规划》原文（附原文语句，可在平台中追溯）")
    return out
