"""Plan pages: thin views over `nengji.plan.selectors`."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from nengji.plan.models import Section
from nengji.plan.selectors import (
    Node,
    area_tree,
    department_list,
    indicator_list,
    indicators_by_section,
    plan_list,
    plan_of,
    section_tree,
)


def plan_choose(request: HttpRequest) -> HttpResponse:
    """The plans loaded, each a link that shows it (and remembers the choice for the session)."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, request.get_host()) or not target:
        target = reverse("home")
    base = target.split("?", 1)[0]
    choices = [(p, f"{base}?{urlencode({'plan': p.code})}") for p in plan_list()]
    return render(request, "plan/choose.html", {"choices": choices})


def plan_home(request: HttpRequest) -> HttpResponse:
    plan = plan_of(request)
    tree = section_tree(plan=plan)
    goals = [n for n in _flatten(tree) if n.section.kind == "goal" and n.section.parent_id is None]
    return render(
        request,
        "plan/home.html",
        {
            "plan": plan,
            "areas": area_tree(plan=plan),
            "goals": goals or [n for n in _flatten(tree) if n.section.kind == "goal"],
            "indicator_count": plan.indicators.count(),
        },
    )


def _flatten(nodes: list[Node]) -> Iterator[Node]:
    for node in nodes:
        yield node
        yield from _flatten(node.children)


def plan_browser(request: HttpRequest) -> HttpResponse:
    plan = plan_of(request)
    return render(
        request,
        "plan/browser.html",
        {
            "plan": plan,
            "areas": area_tree(plan=plan),
            "indicators_by_section": indicators_by_section(plan=plan),
        },
    )


def plan_document(request: HttpRequest) -> HttpResponse:
    """The whole structure (all chapters, principles, goals, safeguards, terms)."""
    plan = plan_of(request)
    return render(request, "plan/document.html", {"plan": plan, "tree": section_tree(plan=plan)})


def section_detail(request: HttpRequest, code: str) -> HttpResponse:
    plan = plan_of(request)
    section = plan.sections.select_related("parent").filter(code=code).first()
    if section is None:
        raise Http404(code)
    return render(
        request,
        "plan/section.html",
        {
            "plan": plan,
            "section": section,
            "children": section.children.order_by("order"),
            "indicators": indicator_list(plan=plan).filter(section=section),
            "ancestors": _ancestors(section),
        },
    )


def _ancestors(section: Section) -> list[Section]:
    chain: list[Section] = []
    node = section.parent
    while node is not None:
        chain.insert(0, node)
        node = node.parent
    return chain


def source_view(request: HttpRequest) -> HttpResponse:
    """The plan's full text with one span highlighted: the proof behind every quote."""
    plan = plan_of(request)
    text = plan.source_text
    try:
        start = int(request.GET.get("start", ""))
        end = int(request.GET.get("end", ""))
    except ValueError:
        start = end = -1
    if not (0 <= start <= end <= len(text)):
        start = end = -1
    context = {"plan": plan, "start": start, "end": end}
    if start >= 0:
        context.update(before=text[:start], span=text[start:end], after=text[end:])
    else:
        context.update(before=text, span="", after="")
    return render(request, "plan/source.html", context)


def indicators(request: HttpRequest) -> HttpResponse:
    plan = plan_of(request)
    return render(
        request, "plan/indicators.html", {"plan": plan, "indicators": indicator_list(plan=plan)}
    )


@login_required
def departments(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "plan/departments.html",
        {
            "departments": department_list(plan=plan_of(request)).prefetch_related(
                "organisation__users"
            )
        },
    )
