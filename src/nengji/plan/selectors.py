"""Reads of the plan, shaped for pages, the export and the API (no N+1 queries)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from nengji.plan.models import Department, Indicator, Plan, Section


def plan_get(*, code: str | None = None) -> Plan:
    plans = Plan.objects.all()
    plan = plans.filter(code=code).first() if code is not None else plans.order_by("id").first()
    if plan is None:
        raise Http404("no plan loaded" if code is None else f"no plan {code!r}")
    return plan


@dataclass
class Node:
    section: Section
    children: list[Node] = field(default_factory=list)


def section_tree(*, plan: Plan) -> list[Node]:
    """The whole element tree in two queries' worth of rows, children in document order."""
    rows = list(plan.sections.order_by("order", "id"))
    nodes = {row.id: Node(row) for row in rows}
    roots: list[Node] = []
    for row in rows:
        if row.parent_id is None:
            roots.append(nodes[row.id])
        else:
            nodes[row.parent_id].children.append(nodes[row.id])
    return roots


def area_tree(*, plan: Plan) -> list[Node]:
    """Areas → tasks → measures (the 主要任务 chapter)."""
    return [n for n in _walk(section_tree(plan=plan)) if n.section.kind == Section.Kind.AREA]


def _walk(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        out.append(node)
        out.extend(_walk(node.children))
    return out


def indicator_list(*, plan: Plan) -> QuerySet[Indicator]:
    return plan.indicators.select_related("section", "share_of").order_by("order", "id")


def indicators_by_section(*, plan: Plan) -> dict[int, list[Indicator]]:
    grouped: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicator_list(plan=plan):
        if indicator.section_id is not None:
            grouped[indicator.section_id].append(indicator)
    return grouped


def department_list(*, active_only: bool = False) -> QuerySet[Department]:
    departments = Department.objects.all()
    return departments.filter(active=True) if active_only else departments
