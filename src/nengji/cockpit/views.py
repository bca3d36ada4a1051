"""Cockpit pages: thin views over `nengji.cockpit.selectors` and `.charts`."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nengji.cockpit import charts
from nengji.cockpit.access import require_department, require_reader
from nengji.cockpit.export import table_response
from nengji.cockpit.selectors import (
    cockpit_get,
    department_detail,
    filter_choices,
    index_view,
    indicator_detail,
    indicator_filter,
    task_detail,
)
from nengji.core.errors import DomainError
from nengji.indexing.selectors import index_run_whatif
from nengji.monitoring.models import Observation
from nengji.monitoring.rating import RATING_ORDER, rating_label
from nengji.plan.models import PARTNER_BASE, Department, Section
from nengji.plan.selectors import plan_of

FILTERS = ("area", "task", "department", "status")


def _filters(request: HttpRequest) -> dict[str, str]:
    return {k: request.GET.get(k, "").strip()[:64] for k in FILTERS}


def _band_choices() -> list[tuple[str, str]]:
    return [(str(b), rating_label(b)) for b in RATING_ORDER]


@login_required
def cockpit_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not getattr(user, "can_read_all", False):
        dept = getattr(user, "department", None)
        if getattr(user, "role", None) == "region" or (
            dept is not None and dept.kind == PARTNER_BASE
        ):
            return redirect("cockpit-benchmark")  # a partner region's page is the benchmark
        if dept is None:
            raise Http404
        return redirect("cockpit-department", code=dept.code)
    plan = plan_of(request)
    cp = cockpit_get(plan=plan)
    filters = _filters(request)
    rows = indicator_filter(cp.indicators, **filters)
    rows = sorted(rows, key=lambda s: s.attention_key)
    context = {
        "plan": plan,
        "cp": cp,
        "charts": charts.cockpit_charts(cp),
        "rows": rows,
        "filters": filters,
        "choices": filter_choices(cp.indicators),
        "band_choices": _band_choices(),
    }
    if request.headers.get("HX-Request") and request.GET.get("partial") == "indicators":
        return render(request, "cockpit/_indicator_table.html", context)
    return render(request, "cockpit/home.html", context)


@login_required
def cockpit_indicator(request: HttpRequest, code: str) -> HttpResponse:
    plan = plan_of(request)
    try:
        detail = indicator_detail(plan=plan, code=code, user=request.user)
    except DomainError:
        raise Http404 from None
    lead = detail.assignment.lead_id if detail.assignment else None
    require_department(request.user, lead)
    return render(
        request,
        "cockpit/indicator.html",
        {
            "plan": plan,
            "d": detail,
            "st": detail.status,
            "chart": charts.chart_indicator(detail.status),
            "can_see_evidence": True,
        },
    )


@login_required
def cockpit_task(request: HttpRequest, code: str) -> HttpResponse:
    plan = plan_of(request)
    try:
        detail = task_detail(plan=plan, code=code, user=request.user)
    except Section.DoesNotExist:
        raise Http404 from None
    require_department(request.user, detail.assignment.lead_id if detail.assignment else None)
    return render(request, "cockpit/task.html", {"plan": plan, "d": detail})


@login_required
def cockpit_department(request: HttpRequest, code: str) -> HttpResponse:
    plan = plan_of(request)
    try:
        detail = department_detail(plan=plan, code=code)
    except Department.DoesNotExist:
        raise Http404 from None
    require_department(request.user, detail.department.pk)
    return render(request, "cockpit/department.html", {"plan": plan, "d": detail})


def _loc(node: dict[str, Any], field: str) -> str:
    """A framework node's zh or en name by the active language."""
    en = node.get(f"{field}_en") or ""
    return en if get_language() == "en" and en else node.get(f"{field}_zh") or ""


def _weights(request: HttpRequest, codes: list[str]) -> dict[str, float]:
    out = {}
    for code in codes:
        raw = request.GET.get(code, "").strip()
        if not raw:
            continue
        try:
            value = float(raw)
        except ValueError:
            continue
        if 0 <= value <= 100:
            out[code] = value
    return out


@login_required
def cockpit_index(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    plan = plan_of(request)
    iv = index_view(plan)
    if iv.run is None:
        return render(request, "cockpit/index.html", {"plan": plan, "iv": iv})
    r = iv.run.stored
    fw = iv.run.framework
    dims = r.dimensions
    weights = _weights(request, [f["code"] for f in fw])
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and int(raw_year) in r.years else r.years[-1]
    names = {f["code"]: f for f in fw}
    stage_rows = []
    for f in fw:
        code = f["code"]
        if code in r.indicators:
            stage_rows.append(
                {
                    "node": f,
                    "raw": r.stage("raw", code, year),
                    "imputed": r.stage("imputed", code, year),
                    "normalised": r.stage("normalised", code, year),
                    "weight": r.effective_weights.get(code),
                    "parent_name": _loc(names.get(f.get("parent") or "", {}), "name"),
                }
            )
    dim_rows = [
        {
            "node": names[c],
            "score": r.score(c, year),
            "weight": r.effective_weights.get(c),
            "children": [k for k in fw if k.get("parent") == c],
        }
        for c in dims
    ]
    provenance = {v["code"]: v for v in iv.run.snapshot if int(v["year"]) == year}
    obs_ids = [v["observation"] for v in provenance.values() if v.get("observation")]
    observations = {o.pk: o for o in Observation.objects.filter(pk__in=obs_ids)}
    for row in stage_rows:
        src = provenance.get(row["node"]["code"])
        row["source"] = src
        row["observation"] = observations.get(src.get("observation")) if src else None
    context: dict[str, Any] = {
        "plan": plan,
        "iv": iv,
        "year": year,
        "years": r.years,
        "stage_rows": stage_rows,
        "dim_rows": dim_rows,
        "spec_json": json.dumps(iv.run.spec, ensure_ascii=False, indent=2),
        "chart": charts.chart_index(iv),
        "waterfall": charts.chart_waterfall(iv, level="indicators"),
        "weights": weights,
        "dims": [names[c] for c in dims],
        "dim_weights": {c: weights.get(c, names[c].get("weight") or 1) for c in dims},
    }
    if weights:
        whatif = index_run_whatif(run=iv.run, weights=weights)
        context["whatif"] = whatif
        context["whatif_chart"] = charts.chart_whatif(iv, whatif, weights)
        context["whatif_rows"] = [
            {"node": names[c], "stored": r.score(c, year), "whatif": whatif.score(c, year)}
            for c in r.aggregates
        ]
    return render(request, "cockpit/index.html", context)


def _chart_for(request: HttpRequest, key: str) -> charts.Chart:
    plan = plan_of(request)
    if key == "indicator":
        try:
            detail = indicator_detail(
                plan=plan, code=request.GET.get("code", ""), user=request.user
            )
        except DomainError:
            raise Http404 from None
        require_department(request.user, detail.assignment.lead_id if detail.assignment else None)
        return charts.chart_indicator(detail.status)
    require_reader(request.user)
    if key in ("index", "waterfall", "waterfall-indicators", "whatif"):
        iv = index_view(plan)
        if iv.run is None:
            raise Http404
        if key == "index":
            return charts.chart_index(iv)
        if key == "whatif":
            weights = _weights(request, [f["code"] for f in iv.run.framework])
            return charts.chart_whatif(iv, index_run_whatif(run=iv.run, weights=weights), weights)
        return charts.chart_waterfall(
            iv, level="dimensions" if key == "waterfall" else "indicators"
        )
    if key in ("tasks-area", "tasks-department"):
        cp = cockpit_get(plan=plan)
        return charts.chart_tasks(cp.tasks, by=key.split("-")[1])
    raise Http404


@login_required
def cockpit_chart_data(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx", "json"):
        raise Http404
    chart = _chart_for(request, key)
    notes = [chart.title, chart.summary]
    if chart.is_demo:
        notes.append(_("Contains demo data (演示数据), not official figures."))
    return table_response(
        fmt,
        filename=f"nengji-{chart.key}",
        columns=chart.columns,
        rows=chart.rows,
        title=chart.key,
        notes=notes,
        meta={"title": chart.title, "summary": chart.summary, "is_demo": chart.is_demo},
    )
