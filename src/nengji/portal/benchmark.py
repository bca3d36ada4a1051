"""The public page of the benchmark index: published years only, with downloads."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from nengji.cockpit.export import table_response
from nengji.indexing.benchmark.selectors import (
    BenchmarkView,
    benchmark_list,
    benchmark_table,
    benchmark_view,
)
from nengji.plan.selectors import plan_of


def _view(request: HttpRequest) -> BenchmarkView:
    found = benchmark_list(plan=plan_of(request))
    if not found:
        raise Http404
    code = request.GET.get("code", "").strip()[:64]
    benchmark = next((b for b in found if b.code == code), found[0])
    raw = request.GET.get("year", "").strip()
    if raw and not (raw.isdigit() and len(raw) == 4):
        raise Http404
    # the public page is the public's, whoever is logged in: published runs only
    return benchmark_view(benchmark=benchmark, user=AnonymousUser(), year=int(raw) if raw else None)


def portal_benchmark(request: HttpRequest) -> HttpResponse:
    view = _view(request)
    return render(request, "portal/benchmark.html", {"v": view, "plan": view.benchmark.plan})


def portal_benchmark_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "json", "xlsx"):
        raise Http404
    view = _view(request)
    if view.run is None:
        raise Http404
    columns, rows = benchmark_table(view)
    return table_response(
        fmt,
        filename=f"{view.benchmark.code}-{view.year}",
        columns=columns,
        rows=rows,
        title=view.benchmark.code,
        notes=[view.benchmark.name_zh, "演示数据 demo data" if view.is_demo else ""],
        meta={
            "benchmark": view.benchmark.code,
            "name_zh": view.benchmark.name_zh,
            "year": view.year,
            "published_at": view.publication.published_at.isoformat() if view.publication else None,
            "is_demo": view.is_demo,
        },
    )
