"""What a report says, read from the database for one year: the adapter between the domain apps
and the report content.

Why an adapter and not `nengji.monitoring.selectors` directly: the monitoring selectors answer
"now" (latest value, latest progress); a report is about a year, so it needs the latest *vintage*
of the latest value *up to that year*, and the progress reported in that year's rounds. This
module reads the monitoring models for that, and uses the monitoring app's own on-track rule
(`nengji.monitoring.ontrack.assess`, with the office's thresholds), so a report and the cockpit
classify an indicator the same way.

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
from nengji.monitoring.models import (
    Assignment,
    Observation,
    Round,
    Submission,
    Target,
    TaskStatus,
)
from nengji.monitoring.ontrack import EVALUATION_ZH, Assessment, Band
from nengji.monitoring.selectors import indicator_assessment, thresholds_for
from nengji.plan.models import Indicator, Plan, Section
from nengji.reports.index_source import IndexFacts, index_facts

TASK_STATUS_ZH = {
    TaskStatus.NOT_STARTED: "未启动",
    TaskStatus.ON_SCHEDULE: "按计划推进",
    TaskStatus.LAGGING: "滞后",
    TaskStatus.COMPLETED: "已完成",
}
TASK_STATUS_ORDER = ("已完成", "按计划推进", "滞后", "未启动")
EVALUATION_ORDER = ("提前实现", "符合预期", "基本符合预期", "滞后", "数据不足")
NATURE_ZH = {Target.Nature.BINDING: "约束性", Target.Nature.EXPECTED: "预期性"}


@dataclass
class IndicatorFacts:
    indicator: Indicator
    area: str
    department: str
    target: Target | None
    latest: Observation | None
    assessment: Assessment | None

    @property
    def nature(self) -> str:
        return NATURE_ZH.get(self.target.nature, "") if self.target else ""

    @property
    def is_binding(self) -> bool:
        return bool(self.target and self.target.nature == Target.Nature.BINDING)

    @property
    def evaluation(self) -> str:
        """提前实现 / 符合预期 / 基本符合预期 / 滞后 / 数据不足."""
        return self.assessment.evaluation_zh if self.assessment else EVALUATION_ZH[Band.UNKNOWN]

    @property
    def completion(self) -> Decimal | None:
        """Share of the way from baseline to target covered, in % (one decimal)."""
        base = self.indicator.baseline_value
        if self.target is None or self.latest is None or base is None:
            return None
        span = self.target.target_value - base
        if span == 0:
            return None
        return ((self.latest.value - base) / span * 100).quantize(Decimal("0.1"))

    @property
    def is_demo(self) -> bool:
        return bool((self.target and self.target.is_demo) or (self.latest and self.latest.is_demo))

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
    status: str  # 未启动 / 按计划推进 / 滞后 / 已完成, or "" when not reported
    percent: int | None
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

    def evaluation_counts(self, *, binding_only: bool = False) -> dict[str, int]:
        counts = dict.fromkeys(EVALUATION_ORDER, 0)
        for facts in self.indicators:
            if binding_only and not facts.is_binding:
                continue
            counts[facts.evaluation] += 1
        return counts


def evidence_for_year(*, plan: Plan, year: int, with_index: bool = True) -> Evidence:
    sections = {s.pk: s for s in plan.sections.all()}
    indicators = _indicator_facts(plan=plan, year=year, sections=sections)
    rounds = list(Round.objects.filter(plan=plan, year=year).order_by("quarter"))
    progress = _progress_facts(plan=plan, year=year, sections=sections)
    index = _index_for(plan=plan, year=year) if with_index else None
    evidence = Evidence(plan, year, indicators, progress, index, rounds)
    evidence.missing = _missing(evidence)
    evidence.sources = _sources(evidence)
    return evidence


def _index_for(*, plan: Plan, year: int) -> IndexFacts | None:
    """The index as the platform last computed it (the stored run the cockpit shows).

    Re-running the engine on the run's own stored snapshot and spec gives exactly the stored
    figures, plus the decomposition the report prints. Without any stored run (a database
    set up without `nengji init --demo` and with no published round) the engine's flagged
    demo example stands in, labelled as demo data.
    """
    run = index_run_latest(plan=plan)
    if run is None:
        return index_facts(up_to=year)
    results = results_for(framework=run.framework, spec=run.spec, snapshot=run.snapshot)
    return index_facts(up_to=year, results=results, is_demo=run.is_demo)


def _area_of(section: Section | None, sections: dict[int, Section]) -> Section | None:
    while section is not None and section.kind != Section.Kind.AREA:
        section = sections.get(section.parent_id) if section.parent_id else None
    return section


def _task_of(section: Section, sections: dict[int, Section]) -> Section | None:
    node: Section | None = section
    while node is not None and node.kind != Section.Kind.TASK:
        node = sections.get(node.parent_id) if node.parent_id else None
    return node


def _indicator_facts(
    *, plan: Plan, year: int, sections: dict[int, Section]
) -> list[IndicatorFacts]:
    indicators = list(plan.indicators.order_by("order", "id"))
    targets = {t.indicator_id: t for t in Target.objects.filter(indicator__plan=plan)}
    leads = {
        a.indicator_id: a.lead.name_zh
        for a in Assignment.objects.filter(plan=plan, indicator__isnull=False).select_related(
            "lead"
        )
    }
    latest: dict[int, Observation] = {}
    for obs in (
        Observation.objects.filter(indicator__plan=plan, quarter=0, year__lte=year)
        .select_related("submission__department")
        .order_by("indicator_id", "year", "vintage")
    ):
        latest[obs.indicator_id] = obs  # type: ignore[index]  # the last one wins
    thresholds = thresholds_for(plan)
    out = []
    for ind in indicators:
        obs = latest.get(ind.pk)
        target = targets.get(ind.pk)
        assessment = None
        if obs is not None and ind.baseline_year and obs.year > ind.baseline_year:
            assessment = indicator_assessment(
                indicator=ind,
                year=obs.year,
                value=float(obs.value),
                target_year=target.target_year if target else None,
                target_value=float(target.target_value) if target else None,
                thresholds=thresholds,
            )
        section = sections.get(ind.section_id) if ind.section_id else None
        area = _area_of(section, sections)
        out.append(
            IndicatorFacts(
                indicator=ind,
                area=(area or section).title_zh if (area or section) else "",
                department=leads.get(ind.pk, ""),
                target=target,
                latest=obs,
                assessment=assessment,
            )
        )
    return out


def _progress_facts(*, plan: Plan, year: int, sections: dict[int, Section]) -> list[ProgressFacts]:
    """Per assigned measure or key project: the last approved progress reported in `year`."""
    assignments = list(
        Assignment.objects.filter(plan=plan, section__isnull=False, active=True)
        .select_related("section", "lead")
        .order_by("section__order", "section__id")
    )
    latest: dict[int, Submission] = {}
    for sub in Submission.objects.filter(
        round__plan=plan,
        round__year=year,
        status=Submission.Status.APPROVED,
        assignment__section__isnull=False,
    ).order_by("round__quarter", "sequence", "id"):
        latest[sub.assignment_id] = sub
    out = []
    for a in assignments:
        section = a.section
        assert section is not None
        sub = latest.get(a.pk)
        area = _area_of(section, sections)
        task = _task_of(section, sections)
        out.append(
            ProgressFacts(
                section=section,
                area=area.title_zh if area else "",
                task=task.title_zh if task else "",
                department=a.lead.name_zh,
                status=TASK_STATUS_ZH.get(sub.task_status, "") if sub else "",  # type: ignore[call-overload]
                percent=sub.percent_complete if sub else None,
                narrative=sub.narrative if sub else "",
                is_demo=bool(a.is_demo or (sub and sub.is_demo)),
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
            f"{len(without_target)}项指标尚未设定规划目标值，按无目标规则（年均增速）评价或无法评价。"
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
    notes = defaultdict(int)
    for f in ev.indicators:
        if f.latest is None:
            continue
        if f.latest.source == Observation.Source.SUBMISSION:
            notes["责任部门报送，经区科委审核通过"] += 1
        else:
            notes[f.latest.source_note or "对外公开发布的数据"] += 1
    out = [f"{k}（{v}项指标）" for k, v in notes.items()]
    out.append("基期值：《规划》原文（附原文语句，可在平台中追溯）")
    return out
