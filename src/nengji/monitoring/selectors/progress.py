"""The one read model of task progress: what departments reported on measures and key projects
(the latest approved report of each), rolled up to tasks and areas by one rule.

Roll-up (documented in docs/monitoring.md): a task or area without a report of its own takes
已完成 if all its reported children are completed, 滞后 if any is lagging, 未启动 if none has
started, otherwise 按计划推进; its percent is the unweighted mean of its reported children's
percents, rounded half-up to one decimal. Children without a report are left out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from nengji.monitoring.models import Assignment, Round, Submission, TaskStatus
from nengji.monitoring.selectors.indicators import Ancestry, section_ancestry
from nengji.plan.models import Department, Plan, Section

PERCENT_PLACES = Decimal("0.1")
PROGRESS_KINDS = (Section.Kind.AREA, Section.Kind.TASK, Section.Kind.MEASURE, Section.Kind.PROJECT)


def latest_approved(
    *,
    plan: Plan,
    on: str,
    published_only: bool = True,
    year: int | None = None,
    up_to_year: int | None = None,
) -> dict[int, Submission]:
    """The latest approved report of each assignment, keyed by assignment id.

    ``on`` is ``"section"`` (measures and key projects) or ``"indicator"``; ``year`` keeps the
    reports of that year's rounds, ``up_to_year`` those of the rounds up to that year.
    """
    subs = Submission.objects.filter(round__plan=plan, status=Submission.Status.APPROVED)
    subs = subs.filter(**{f"assignment__{on}__isnull": False})
    if published_only:
        subs = subs.filter(round__status=Round.Status.PUBLISHED)
    if year is not None:
        subs = subs.filter(round__year=year)
    if up_to_year is not None:
        subs = subs.filter(round__year__lte=up_to_year)
    latest: dict[int, Submission] = {}
    for sub in subs.select_related("round", "department", "assignment__section").order_by(
        "round__year", "round__quarter", "sequence", "id"
    ):
        latest[sub.assignment_id] = sub
    return latest


@dataclass
class ProgressNode:
    section: Section
    area: Section | None = None
    task: Section | None = None
    lead: Department | None = None
    status: str = ""
    percent: Decimal | None = None
    narrative: str = ""
    submission: Submission | None = None
    is_demo: bool = False
    children: list[ProgressNode] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(TaskStatus(self.status).label) if self.status else ""

    @property
    def round_label(self) -> str:
        return self.submission.round.label if self.submission is not None else ""

    @property
    def department(self) -> Department | None:
        return self.lead

    @property
    def reported(self) -> bool:
        return bool(self.status)

    def walk(self) -> Iterator[ProgressNode]:
        yield self
        for child in self.children:
            yield from child.walk()


def rollup_status(statuses: list[str]) -> str:
    s = [x for x in statuses if x]
    if not s:
        return ""
    if all(x == TaskStatus.COMPLETED for x in s):
        return TaskStatus.COMPLETED
    if any(x == TaskStatus.LAGGING for x in s):
        return TaskStatus.LAGGING
    if all(x == TaskStatus.NOT_STARTED for x in s):
        return TaskStatus.NOT_STARTED
    return TaskStatus.ON_SCHEDULE


def rollup_percent(percents: Sequence[Decimal | int]) -> Decimal | None:
    if not percents:
        return None
    mean = Decimal(sum(Decimal(p) for p in percents)) / len(percents)
    return mean.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


def task_progress(
    *,
    plan: Plan,
    published_only: bool = True,
    year: int | None = None,
    up_to_year: int | None = None,
) -> list[ProgressNode]:
    """Areas → tasks → measures and key projects, each with its latest approved report, and
    the parents rolled up. Returns the areas (walk them for every node)."""
    latest = latest_approved(
        plan=plan, on="section", published_only=published_only, year=year, up_to_year=up_to_year
    )
    assignments = {
        a.section_id: a
        for a in Assignment.objects.filter(plan=plan, section__isnull=False).select_related("lead")
    }
    ancestry = section_ancestry(plan)
    sections = list(plan.sections.filter(kind__in=PROGRESS_KINDS).order_by("order", "id"))
    nodes: dict[int, ProgressNode] = {}
    roots: list[ProgressNode] = []
    for s in sections:
        anc = ancestry.get(s.pk, Ancestry())
        a = assignments.get(s.pk)
        node = ProgressNode(s, anc.area, anc.task, a.lead if a else None)
        sub = latest.get(a.pk) if a is not None else None
        if sub is not None:
            node.status = sub.task_status
            node.percent = (
                Decimal(sub.percent_complete) if sub.percent_complete is not None else None
            )
            node.narrative, node.submission, node.is_demo = sub.narrative, sub, sub.is_demo
        nodes[s.pk] = node
        parent = nodes.get(s.parent_id) if s.parent_id else None
        if parent is not None:
            parent.children.append(node)
        elif s.kind == Section.Kind.AREA:
            roots.append(node)
    for root in roots:
        _roll(root)
    return roots


def _roll(node: ProgressNode) -> None:
    for child in node.children:
        _roll(child)
    if node.submission is None and node.children:
        reported = [c for c in node.children if c.status]
        node.status = rollup_status([c.status for c in reported])
        node.percent = rollup_percent([c.percent for c in reported if c.percent is not None])
        node.is_demo = any(c.is_demo for c in node.children)


def progress_nodes(roots: list[ProgressNode], *kinds: str) -> list[ProgressNode]:
    """Every node of the given section kinds (all when none given), in plan order."""
    return [n for r in roots for n in r.walk() if not kinds or n.section.kind in kinds]
