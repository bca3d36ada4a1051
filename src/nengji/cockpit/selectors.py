"""Reads for the cockpit: plan + monitoring + indexing composed for pages, in bounded queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language

from nengji.cockpit.status import (
    SECTION_FIELDS,
    IndicatorStatus,
    indicator_statuses,
    section_ancestry,
)
from nengji.indexing.models import IndexRun
from nengji.indexing.selectors import index_run_latest
from nengji.monitoring.models import (
    Assignment,
    Observation,
    Round,
    Submission,
    TaskStatus,
)
from nengji.monitoring.ontrack import Band
from nengji.monitoring.selectors import rollup_status
from nengji.plan.models import Department, Indicator, Plan, Section

INDEX_CODE = "SHUANGCHUANG_INDEX"
INDEX_SERIES = "index:composite"
TASK_LABELS = {
    TaskStatus.NOT_STARTED: ("not started", "未启动"),
    TaskStatus.ON_SCHEDULE: ("on schedule", "按计划推进"),
    TaskStatus.LAGGING: ("lagging", "滞后"),
    TaskStatus.COMPLETED: ("completed", "已完成"),
}
TASK_ORDER = {
    TaskStatus.LAGGING: 0,
    "": 1,
    TaskStatus.NOT_STARTED: 2,
    TaskStatus.ON_SCHEDULE: 3,
    TaskStatus.COMPLETED: 4,
}


def name_of(obj: Any, field: str = "name") -> str:
    return obj.localized(field) if obj is not None else ""


@dataclass
class OfficialFigure:
    year: int
    value: float
    source: str
    url: str = ""
    is_demo: bool = False


@dataclass
class IndexView:
    run: IndexRun | None
    official: list[OfficialFigure] = field(default_factory=list)

    @property
    def results(self) -> dict[str, Any]:
        return self.run.results if self.run else {}

    @property
    def latest_year(self) -> int | None:
        years = self.results.get("years") or []
        return years[-1] if years else None

    def score(self, code: str, year: int | None) -> float | None:
        if year is None:
            return None
        return self.results.get("scores", {}).get(code, {}).get(str(year))

    @property
    def latest(self) -> float | None:
        return self.score(self.results.get("root", INDEX_CODE), self.latest_year)

    @property
    def last_change(self) -> dict[str, Any] | None:
        contributions = self.results.get("contributions") or []
        return contributions[-1] if contributions else None

    @property
    def change_pct(self) -> float | None:
        c = self.last_change
        if not c or not c["start"]:
            return None
        return (c["end"] / c["start"] - 1) * 100


def official_index_figures(plan: Plan) -> list[OfficialFigure]:
    """Published official index values: the plan text's figure and recorded external ones."""
    out = []
    ind = Indicator.objects.filter(plan=plan, code=INDEX_CODE).first()
    if ind is not None and ind.baseline_value is not None and ind.baseline_year:
        url = (
            f"/plan/source/?start={ind.baseline_start}&end={ind.baseline_end}"
            if ind.baseline_start is not None
            else ""
        )
        out.append(
            OfficialFigure(
                ind.baseline_year,
                float(ind.baseline_value),
                ind.baseline_quote or plan.doc_number,
                url,
            )
        )
    rows = Observation.objects.filter(published_at__isnull=False, quarter=0).filter(
        indicator__code=INDEX_CODE, indicator__plan=plan
    ) | Observation.objects.filter(
        published_at__isnull=False, quarter=0, indicator__isnull=True, series=INDEX_SERIES
    )
    latest: dict[int, Observation] = {}
    for obs in rows.order_by("year", "vintage"):
        latest[obs.year] = obs
    known = {f.year for f in out}
    for year, obs in sorted(latest.items()):
        if year in known:
            out = [f for f in out if f.year != year]
        out.append(
            OfficialFigure(year, float(obs.value), obs.source_note or "", is_demo=obs.is_demo)
        )
    return sorted(out, key=lambda f: f.year)


def index_view(plan: Plan) -> IndexView:
    return IndexView(index_run_latest(plan=plan), official_index_figures(plan))


@dataclass
class TaskProgress:
    section: Section
    area: Section | None
    task: Section | None
    department: Department | None
    status: str = ""
    percent: int | None = None
    round_label: str = ""
    narrative: str = ""
    is_demo: bool = False

    @property
    def status_label(self) -> str:
        en = get_language() == "en"
        if not self.status:
            return "not reported" if en else "未报告"
        return TASK_LABELS[self.status][0 if en else 1]


def task_progress(
    *, plan: Plan, sections: dict[int, dict[str, Section | None]], published_only: bool = False
) -> list[TaskProgress]:
    """Tasks, measures and key projects with their latest approved (or published) report."""
    items = list(
        Section.objects.filter(
            plan=plan,
            kind__in=[Section.Kind.TASK, Section.Kind.MEASURE, Section.Kind.PROJECT],
        )
        .only(*SECTION_FIELDS)
        .order_by("order", "id")
    )
    leads = {
        a.section_id: a.lead
        for a in Assignment.objects.filter(plan=plan, section__isnull=False).select_related("lead")
    }
    subs = Submission.objects.filter(
        assignment__plan=plan,
        assignment__section__isnull=False,
        status=Submission.Status.APPROVED,
    ).select_related("round", "assignment")
    if published_only:
        subs = subs.filter(round__status=Round.Status.PUBLISHED)
    latest: dict[int, Submission] = {}
    for sub in subs.order_by("round__year", "round__quarter", "sequence"):
        latest[sub.assignment.section_id] = sub  # type: ignore[index]
    out = []
    for sec in items:
        anc = sections.get(sec.pk, {"area": None, "task": None})
        tp = TaskProgress(sec, anc["area"], anc["task"], leads.get(sec.pk))
        sub = latest.get(sec.pk)
        if sub is not None:
            tp.status, tp.percent = sub.task_status, sub.percent_complete
            tp.round_label, tp.narrative, tp.is_demo = sub.round.label, sub.narrative, sub.is_demo
        out.append(tp)
    return out


@dataclass
class Alert:
    kind: str  # overdue | off_track | lagging
    text: str
    url: str
    is_demo: bool = False


@dataclass
class Cockpit:
    plan: Plan
    index: IndexView
    indicators: list[IndicatorStatus]
    tasks: list[TaskProgress]
    alerts: list[Alert]
    overdue: list[Submission]

    @property
    def is_demo(self) -> bool:
        return bool(
            (self.index.run and self.index.run.is_demo)
            or any(s.is_demo for s in self.indicators)
            or any(t.is_demo for t in self.tasks)
        )

    @property
    def band_counts(self) -> Counter[str]:
        return Counter(s.band for s in self.indicators if s.assessment)

    @property
    def assessed(self) -> int:
        return sum(1 for s in self.indicators if s.assessment)

    @property
    def on_track(self) -> int:
        c = self.band_counts
        return c[Band.ON_TRACK] + c[Band.ACHIEVED]

    @property
    def lagging_tasks(self) -> list[TaskProgress]:
        return [t for t in self.tasks if t.status == TaskStatus.LAGGING]

    @property
    def measures(self) -> list[TaskProgress]:
        """Measures and key projects (what departments report on), lagging first."""
        return [
            t for t in self.tasks if t.section.kind in (Section.Kind.MEASURE, Section.Kind.PROJECT)
        ]

    def alerts_of(self, kind: str) -> list[Alert]:
        return [a for a in self.alerts if a.kind == kind]

    @property
    def alert_groups(self) -> list[tuple[str, list[Alert]]]:
        return [(k, self.alerts_of(k)) for k in ("overdue", "off_track", "lagging")]

    @property
    def task_counts(self) -> Counter[str]:
        return Counter(t.status for t in self.tasks)


def overdue_submissions(plan: Plan, department: Department | None = None) -> list[Submission]:
    qs = Submission.objects.filter(
        round__plan=plan,
        round__status=Round.Status.OPEN,
        round__deadline__lt=timezone.now(),
        status__in=[Submission.Status.DRAFT, Submission.Status.RETURNED],
    ).select_related("round", "department", "assignment__indicator", "assignment__section")
    if department is not None:
        qs = qs.filter(department=department)
    return list(qs.order_by("round__deadline", "department__order"))


def cockpit_get(*, plan: Plan) -> Cockpit:
    sections = section_ancestry(plan)
    index = index_view(plan)
    statuses = indicator_statuses(plan=plan, run=index.run, sections=sections)
    tasks = task_progress(plan=plan, sections=sections)
    overdue = overdue_submissions(plan)
    alerts: list[Alert] = []
    by_dept: dict[str, list[Submission]] = defaultdict(list)
    for sub in overdue:
        by_dept[sub.department.code].append(sub)
    for code, subs in by_dept.items():
        dept = subs[0].department
        alerts.append(
            Alert(
                "overdue",
                f"{name_of(dept)}: {len(subs)} ({subs[0].round.label})",
                f"/cockpit/departments/{code}/",
                subs[0].is_demo,
            )
        )
    for st in sorted(statuses, key=lambda s: s.sort_key):
        if st.assessment and st.assessment.band in (Band.LIMITED, Band.AWAY):
            alerts.append(
                Alert(
                    "off_track",
                    f"{st.indicator.localized('name')}: {st.band_label}",
                    f"/cockpit/indicators/{st.indicator.code}/",
                    st.is_demo,
                )
            )
    for t in tasks:
        if t.status == TaskStatus.LAGGING:
            alerts.append(
                Alert(
                    "lagging",
                    f"{t.section.number} {t.section.localized('title')}",
                    f"/cockpit/tasks/{t.section.code}/",
                    t.is_demo,
                )
            )
    tasks.sort(key=lambda t: (TASK_ORDER.get(t.status, 1), t.section.order))
    return Cockpit(plan, index, statuses, tasks, alerts, overdue)


def indicator_filter(
    statuses: list[IndicatorStatus],
    *,
    area: str = "",
    task: str = "",
    department: str = "",
    status: str = "",
) -> list[IndicatorStatus]:
    out = statuses
    if area:
        out = [s for s in out if s.area and s.area.code == area]
    if task:
        out = [s for s in out if s.task and s.task.code == task]
    if department:
        out = [s for s in out if s.department and s.department.code == department]
    if status:
        out = [s for s in out if s.band == status]
    return out


# ---- drill-downs -----------------------------------------------------------------------------


@dataclass
class IndicatorDetail:
    status: IndicatorStatus
    vintages: list[Observation]
    submissions: list[Submission]
    assignment: Assignment | None


def indicator_detail(*, plan: Plan, code: str, user: Any) -> IndicatorDetail:
    sections = section_ancestry(plan)
    run = index_run_latest(plan=plan)
    statuses = indicator_statuses(plan=plan, run=run, sections=sections)
    try:
        st = next(s for s in statuses if s.indicator.code == code)
    except StopIteration:
        raise Indicator.DoesNotExist(code) from None
    vintages = list(
        Observation.objects.filter(indicator=st.indicator)
        .select_related("submission__department", "submission__reviewed_by", "recorded_by")
        .order_by("-year", "-quarter", "-vintage")
    )
    subs = (
        Submission.objects.filter(assignment__indicator=st.indicator)
        .select_related("round", "department", "updated_by", "reviewed_by")
        .prefetch_related("evidence")
        .order_by("-round__year", "-round__quarter", "-sequence")
    )
    if not getattr(user, "can_read_all", False):
        subs = subs.filter(department_id=getattr(user, "department_id", None))
    assignment = Assignment.objects.filter(indicator=st.indicator).select_related("lead").first()
    return IndicatorDetail(st, vintages, list(subs), assignment)


@dataclass
class TaskDetail:
    section: Section
    area: Section | None
    task: Section | None
    children: list[TaskProgress]
    assignment: Assignment | None
    history: list[Submission]
    indicators: list[Indicator]

    @property
    def rollup(self) -> TaskProgress | None:
        """A task without its own report: its measures rolled up (monitoring's rule)."""
        if not self.children:
            return None
        reported = [c for c in self.children if c.status]
        tp = TaskProgress(self.section, self.area, self.task, None)
        tp.status = rollup_status([c.status for c in reported])
        pcts = [c.percent for c in reported if c.percent is not None]
        tp.percent = round(sum(pcts) / len(pcts)) if pcts else None
        tp.is_demo = any(c.is_demo for c in self.children)
        return tp


def task_detail(*, plan: Plan, code: str, user: Any) -> TaskDetail:
    section = Section.objects.get(plan=plan, code=code)
    anc = section_ancestry(plan).get(section.pk, {"area": None, "task": None})
    assignment = (
        Assignment.objects.filter(section=section)
        .select_related("lead")
        .prefetch_related("supporting")
        .first()
    )
    history = (
        Submission.objects.filter(assignment__section=section)
        .select_related("round", "department", "updated_by", "reviewed_by")
        .prefetch_related("evidence")
        .order_by("-round__year", "-round__quarter", "-sequence")
    )
    if not getattr(user, "can_read_all", False):
        history = history.filter(department_id=getattr(user, "department_id", None))
    children = list(section.children.order_by("order", "id"))
    leads = {
        a.section_id: a.lead
        for a in Assignment.objects.filter(section__in=children).select_related("lead")
    }
    latest: dict[int, Submission] = {}
    for sub in (
        Submission.objects.filter(
            assignment__section__in=children, status=Submission.Status.APPROVED
        )
        .select_related("round", "assignment")
        .order_by("round__year", "round__quarter", "sequence")
    ):
        latest[sub.assignment.section_id] = sub  # type: ignore[index]
    rows = []
    for child in children:
        tp = TaskProgress(child, anc["area"], section, leads.get(child.pk))
        sub = latest.get(child.pk)
        if sub is not None:
            tp.status, tp.percent = sub.task_status, sub.percent_complete
            tp.round_label, tp.narrative, tp.is_demo = sub.round.label, sub.narrative, sub.is_demo
        rows.append(tp)
    return TaskDetail(
        section,
        anc["area"],
        anc["task"],
        rows,
        assignment,
        list(history),
        list(section.indicators.order_by("order")),
    )


@dataclass
class DepartmentDetail:
    department: Department
    assignments: list[Assignment]
    latest: dict[int, Submission]
    overdue: list[Submission]

    @property
    def rows(self) -> list[tuple[Assignment, Submission | None]]:
        return [(a, self.latest.get(a.pk)) for a in self.assignments]


def department_detail(*, plan: Plan, code: str) -> DepartmentDetail:
    dept = Department.objects.get(code=code)
    assignments = list(
        Assignment.objects.filter(plan=plan, lead=dept)
        .select_related("indicator", "section")
        .order_by("indicator__order", "section__order")
    )
    latest: dict[int, Submission] = {}
    for sub in (
        Submission.objects.filter(assignment__in=assignments)
        .select_related("round")
        .order_by("round__year", "round__quarter", "sequence")
    ):
        latest[sub.assignment_id] = sub
    return DepartmentDetail(dept, assignments, latest, overdue_submissions(plan, dept))


def filter_choices(statuses: list[IndicatorStatus]) -> dict[str, list[tuple[str, str]]]:
    areas = {s.area.code: s.area for s in statuses if s.area}
    tasks = {s.task.code: s.task for s in statuses if s.task}
    depts = {s.department.code: s.department for s in statuses if s.department}
    return {
        "area": [(c, f"{a.number} {a.localized('title')}") for c, a in sorted(areas.items())],
        "task": [(c, f"{t.number} {t.localized('title')}") for c, t in sorted(tasks.items())],
        "department": [(c, d.localized("name")) for c, d in depts.items()],
    }


def decimal_or_none(x: Decimal | None) -> float | None:
    return float(x) if x is not None else None
