"""Reads for the cockpit: monitoring's read models and the stored index run, composed for the
leaders' pages in a bounded number of queries. Nothing here computes a status or a roll-up:
that is monitoring's (`indicator_statuses`, `task_progress`), so the cockpit, the portal and the
reports show the same band and the same progress."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from nengji.indexing.models import IndexRun
from nengji.indexing.results import Contribution, StoredResults
from nengji.indexing.selectors import index_run_latest
from nengji.monitoring.models import Assignment, Observation, Round, Submission, TaskStatus
from nengji.monitoring.ontrack import Band
from nengji.monitoring.rating import OFF_TRACK
from nengji.monitoring.selectors import (
    IndicatorStatus,
    ProgressNode,
    indicator_status,
    indicator_statuses,
    progress_nodes,
    task_progress,
)
from nengji.plan.models import Department, IndexDefinition, Indicator, Plan, Section

# the order of the task table: lagging first, then unreported, not started, on schedule, done
TASK_ORDER = {
    TaskStatus.LAGGING: 0,
    "": 1,
    TaskStatus.NOT_STARTED: 2,
    TaskStatus.ON_SCHEDULE: 3,
    TaskStatus.COMPLETED: 4,
}
REPORTED_KINDS = (Section.Kind.MEASURE, Section.Kind.PROJECT)


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
    # the indicator the plan names as the index's official record (its row in indicator tables)
    official_code: str | None = None

    @property
    def results(self) -> StoredResults | None:
        return self.run.stored if self.run else None

    @property
    def latest_year(self) -> int | None:
        return self.results.latest_year if self.results else None

    @property
    def latest(self) -> float | None:
        return self.results.latest if self.results else None

    @property
    def last_change(self) -> Contribution | None:
        return self.results.last_change if self.results else None

    @property
    def change_pct(self) -> float | None:
        c = self.last_change
        if not c or not c.start:
            return None
        return (c.end / c.start - 1) * 100


def _official_indicator(plan: Plan) -> Indicator | None:
    definition = (
        IndexDefinition.objects.filter(plan=plan).select_related("official_indicator").first()
    )
    return definition.official_indicator if definition is not None else None


def official_index_figures(plan: Plan, ind: Indicator | None = None) -> list[OfficialFigure]:
    """Officially published index values: those of the indicator the plan package names as the
    index's official record (its baseline sentence, and published vintages)."""
    ind = ind or _official_indicator(plan)
    if ind is None:
        return []
    out = []
    if ind.baseline_value is not None and ind.baseline_year:
        url = (
            reverse("plan-source") + f"?start={ind.baseline_start}&end={ind.baseline_end}"
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
    latest: dict[int, Observation] = {}
    for obs in Observation.objects.filter(
        indicator=ind, published_at__isnull=False, quarter=0
    ).order_by("year", "vintage"):
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
    ind = _official_indicator(plan)
    return IndexView(
        index_run_latest(plan=plan),
        official_index_figures(plan, ind),
        ind.code if ind is not None else None,
    )


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
    progress: list[ProgressNode]  # areas, with tasks and measures below
    alerts: list[Alert]
    overdue: list[Submission]

    @property
    def tasks(self) -> list[ProgressNode]:
        """Tasks, measures and key projects, lagging first."""
        nodes = progress_nodes(self.progress, Section.Kind.TASK, *REPORTED_KINDS)
        return sorted(nodes, key=lambda t: (TASK_ORDER.get(t.status, 1), t.section.order))

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
        return sum(1 for s in self.indicators if s.assessment and s.assessment.judged)

    @property
    def on_track(self) -> int:
        c = self.band_counts
        return c[Band.ON_TRACK] + c[Band.AHEAD] + c[Band.ACHIEVED]

    @property
    def lagging_tasks(self) -> list[ProgressNode]:
        return [t for t in self.tasks if t.status == TaskStatus.LAGGING]

    @property
    def measures(self) -> list[ProgressNode]:
        """Measures and key projects (what departments report on), lagging first."""
        return [t for t in self.tasks if t.section.kind in REPORTED_KINDS]

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
    """Published indicator values with their bands; task progress as approved (published or
    not yet: the cockpit is the office's and leaders' live view); the index; alerts."""
    index = index_view(plan)
    statuses = indicator_statuses(plan=plan)
    progress = task_progress(plan=plan, published_only=False)
    overdue = overdue_submissions(plan)
    cp = Cockpit(plan, index, statuses, progress, [], overdue)
    by_dept: dict[str, list[Submission]] = defaultdict(list)
    for sub in overdue:
        by_dept[sub.department.code].append(sub)
    for code, subs in by_dept.items():
        dept = subs[0].department
        cp.alerts.append(
            Alert(
                "overdue",
                f"{dept.localized('name')}: {len(subs)} ({subs[0].round.label})",
                reverse("cockpit-department", args=[code]),
                subs[0].is_demo,
            )
        )
    for st in sorted(statuses, key=lambda s: s.attention_key):
        if st.band in OFF_TRACK:
            cp.alerts.append(
                Alert(
                    "off_track",
                    f"{st.indicator.localized('name')}: {st.band_label}",
                    reverse("cockpit-indicator", args=[st.indicator.code]),
                    st.is_demo,
                )
            )
    for t in cp.tasks:
        if t.status == TaskStatus.LAGGING:
            cp.alerts.append(
                Alert(
                    "lagging",
                    f"{t.section.number} {t.section.localized('title')}",
                    reverse("cockpit-task", args=[t.section.code]),
                    t.is_demo,
                )
            )
    return cp


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
        out = [s for s in out if s.lead and s.lead.code == department]
    if status:
        out = [s for s in out if s.band == status]
    return out


def filter_choices(statuses: list[IndicatorStatus]) -> dict[str, list[tuple[str, str]]]:
    areas = {s.area.code: s.area for s in statuses if s.area}
    tasks = {s.task.code: s.task for s in statuses if s.task}
    depts = {s.lead.code: s.lead for s in statuses if s.lead}
    return {
        "area": [(c, f"{a.number} {a.localized('title')}") for c, a in sorted(areas.items())],
        "task": [(c, f"{t.number} {t.localized('title')}") for c, t in sorted(tasks.items())],
        "department": [(c, d.localized("name")) for c, d in depts.items()],
    }


# ---- drill-downs -----------------------------------------------------------------------------


@dataclass
class IndicatorDetail:
    status: IndicatorStatus
    vintages: list[Observation]
    submissions: list[Submission]
    assignment: Assignment | None


def indicator_detail(*, plan: Plan, code: str, user: Any) -> IndicatorDetail:
    """An indicator's status, every vintage (published or not: the office's view) and the reports
    behind them (a department reporter sees its own department's only)."""
    st = indicator_status(plan=plan, code=code)
    vintages = list(
        Observation.objects.filter(indicator=st.indicator)
        .select_related("submission__department", "submission__reviewed_by", "recorded_by")
        .order_by("-year", "-quarter", "-vintage")
    )
    subs = (
        Submission.objects.filter(assignment__indicator=st.indicator, assignment__unit__isnull=True)
        .select_related("round", "department", "updated_by", "reviewed_by")
        .prefetch_related("evidence")
        .order_by("-round__year", "-round__quarter", "-sequence")
    )
    if not getattr(user, "can_read_all", False):
        subs = subs.filter(department_id=getattr(user, "department_id", None) or 0)
    assignment = Assignment.objects.filter(indicator=st.indicator).select_related("lead").first()
    return IndicatorDetail(st, vintages, list(subs), assignment)


@dataclass
class TaskDetail:
    node: ProgressNode
    assignment: Assignment | None
    history: list[Submission]
    indicators: list[Indicator]

    @property
    def section(self) -> Section:
        return self.node.section

    @property
    def area(self) -> Section | None:
        return self.node.area

    @property
    def task(self) -> Section | None:
        return self.node.task

    @property
    def children(self) -> list[ProgressNode]:
        return self.node.children

    @property
    def rollup(self) -> ProgressNode | None:
        """A task without its own report: its measures rolled up (monitoring's rule)."""
        return self.node if self.node.children and self.node.submission is None else None


def task_detail(*, plan: Plan, code: str, user: Any) -> TaskDetail:
    section = Section.objects.get(plan=plan, code=code)
    node = next(
        (
            n
            for n in progress_nodes(task_progress(plan=plan, published_only=False))
            if n.section.pk == section.pk
        ),
        None,
    )
    if node is None:  # an element outside areas → tasks → measures
        raise Section.DoesNotExist(code)
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
        history = history.filter(department_id=getattr(user, "department_id", None) or 0)
    return TaskDetail(node, assignment, list(history), list(section.indicators.order_by("order")))


@dataclass
class DepartmentDetail:
    department: Department
    assignments: list[Assignment]
    latest: dict[int, Submission]
    overdue: list[Submission]
    # the latest report that was sent (not a draft) per assignment: what "latest report" shows
    # while the newest round is still open
    reported: dict[int, Submission] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[Assignment, Submission | None, Submission | None]]:
        return [(a, self.latest.get(a.pk), self.reported.get(a.pk)) for a in self.assignments]


def department_detail(*, plan: Plan, code: str) -> DepartmentDetail:
    dept = Department.objects.get(district_id=plan.district_id, code=code)
    assignments = list(
        Assignment.objects.filter(plan=plan, lead=dept)
        .select_related("indicator", "section")
        .order_by("indicator__order", "section__order")
    )
    latest: dict[int, Submission] = {}
    reported: dict[int, Submission] = {}
    for sub in (
        Submission.objects.filter(assignment__in=assignments)
        .select_related("round")
        .order_by("round__year", "round__quarter", "sequence")
    ):
        latest[sub.assignment_id] = sub
        if sub.status != Submission.Status.DRAFT:
            reported[sub.assignment_id] = sub
    return DepartmentDetail(dept, assignments, latest, overdue_submissions(plan, dept), reported)
