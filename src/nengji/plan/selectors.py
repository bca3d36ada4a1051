"""Reads of the plan, shaped for pages, the export and the API (no N+1 queries)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from nengji.core.errors import DomainError, ErrorDetail
from nengji.plan.models import PARTNER_BASE, Department, Indicator, Plan, Section


class PlanNotChosenError(DomainError):
    """Several plans are loaded and none was chosen; ``choices`` lists their codes."""

    default_code = "not_found"

    def __init__(self, choices: list[str]) -> None:
        self.choices = choices
        super().__init__(
            [
                ErrorDetail(
                    "plan",
                    _("Several plans are loaded; choose one of: %(codes)s.")
                    % {"codes": ", ".join(choices)},
                )
            ]
        )


def plan_list() -> QuerySet[Plan]:
    return Plan.objects.select_related("district").order_by("code")


def plan_get(*, code: str | None = None) -> Plan:
    """The plan with `code`; without a code, the default plan.

    The default is the plan named by ``NENGJI_DEFAULT_PLAN``, else the only plan loaded;
    with several and none configured, `PlanNotChosenError` names the choices. An unknown code
    is a ``not_found`` domain error naming the codes there are.
    """
    if code is not None:
        plan = Plan.objects.select_related("district").filter(code=code).first()
        if plan is None:
            codes = list(Plan.objects.order_by("code").values_list("code", flat=True))
            raise DomainError.one(
                "plan",
                _("No plan %(code)s is loaded (loaded: %(codes)s).")
                % {"code": code, "codes": ", ".join(codes) or "—"},
                code="not_found",
            )
        return plan
    configured = getattr(settings, "NENGJI_DEFAULT_PLAN", None)
    if configured:
        return plan_get(code=configured)
    plans = list(Plan.objects.select_related("district").order_by("code")[:50])
    if len(plans) == 1:
        return plans[0]
    if not plans:
        raise DomainError.one(
            "plan", _("No plan is loaded yet (run `nengji init`)."), code="not_found"
        )
    raise PlanNotChosenError([p.code for p in plans])


SESSION_KEY = "nengji_plan"


def plan_of(request: HttpRequest) -> Plan:
    """The plan a page shows: ``?plan=CODE`` (remembered for the session), else the one chosen
    earlier in the session, else the default plan (`plan_get`)."""
    code = request.GET.get("plan") or None
    session = getattr(request, "session", None)
    if code is not None:
        plan = plan_get(code=code)
        if session is not None:
            session[SESSION_KEY] = plan.code
        return plan
    remembered = session.get(SESSION_KEY) if session is not None else None
    if remembered:
        chosen = Plan.objects.select_related("district").filter(code=remembered).first()
        if chosen is not None:
            return chosen
    return plan_get()


@dataclass
class Node:
    section: Section
    children: list[Node] = field(default_factory=list)


def section_tree(*, plan: Plan) -> list[Node]:
    """The whole element tree in two queries' worth of rows, children in document order.

    Retired elements (dropped by a reload, kept for their reports) are no part of the plan's
    structure any more, and neither is anything under them."""
    rows = list(plan.sections.filter(retired=False).order_by("order", "id"))
    nodes = {row.id: Node(row) for row in rows}
    roots: list[Node] = []
    for row in rows:
        if row.parent_id is None:
            roots.append(nodes[row.id])
        elif row.parent_id in nodes:
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
    """The plan's indicators as the package has them now (retired ones left out)."""
    return (
        plan.indicators.filter(retired=False)
        .select_related("section", "share_of")
        .order_by("order", "id")
    )


def indicators_by_section(*, plan: Plan) -> dict[int, list[Indicator]]:
    grouped: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicator_list(plan=plan):
        if indicator.section_id is not None:
            grouped[indicator.section_id].append(indicator)
    return grouped


def department_list(*, plan: Plan, active_only: bool = False) -> QuerySet[Department]:
    """The departments of the plan's district (partner regions' reporting bodies left out)."""
    departments = Department.objects.filter(district_id=plan.district_id).exclude(kind=PARTNER_BASE)
    return departments.filter(active=True) if active_only else departments
