"""The benchmark page of the cockpit (长三角双创示范基地双创指数): the table with ranks and
their intervals, each base's profile, what moves the ranks; the office computes and publishes
here. Thin: `nengji.indexing.benchmark` reads and writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nengji.cockpit.export import table_response
from nengji.core.errors import DomainError
from nengji.indexing.benchmark.selectors import (
    BenchmarkView,
    benchmark_list,
    benchmark_table,
    benchmark_view,
    user_base,
)
from nengji.indexing.benchmark.services import benchmark_publish, benchmark_run_ensure
from nengji.indexing.models import Benchmark, BenchmarkRun
from nengji.plan.selectors import plan_of


def _year(request: HttpRequest) -> int | None:
    raw = (request.GET.get("year") or request.POST.get("year") or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) != 4:
        raise Http404
    return int(raw)


def _benchmark(request: HttpRequest) -> Benchmark:
    found = benchmark_list(plan=plan_of(request))
    if not found:
        raise Http404
    code = (request.GET.get("code") or request.POST.get("code") or "").strip()[:64]
    return next((b for b in found if b.code == code), found[0])


def _view(request: HttpRequest) -> BenchmarkView:
    benchmark = _benchmark(request)
    user = request.user
    if not getattr(user, "can_read_all", False) and user_base(user, benchmark) is None:
        raise PermissionDenied
    return benchmark_view(benchmark=benchmark, user=user, year=_year(request))


@login_required
def cockpit_benchmark(request: HttpRequest) -> HttpResponse:
    view = _view(request)
    best = max((r.score or 0 for r in view.rows), default=0) or 1
    return render(
        request,
        "cockpit/benchmark.html",
        {"v": view, "best": best, "plan": view.benchmark.plan},
    )


@login_required
def cockpit_benchmark_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "json", "xlsx"):
        raise Http404
    view = _view(request)
    columns, rows = benchmark_table(view)
    return table_response(
        fmt,
        filename=f"{view.benchmark.code}-{view.year}",
        columns=columns,
        rows=rows,
        title=view.benchmark.code,
        notes=[view.benchmark.name_zh, "演示数据 demo data" if view.is_demo else ""],
        meta={"benchmark": view.benchmark.code, "year": view.year, "scope": view.scope},
    )


@login_required
@require_POST
def cockpit_benchmark_action(request: HttpRequest, action: str) -> HttpResponse:
    """Compute (``run``) or publish (``publish``) the year; the services check the role."""
    benchmark = _benchmark(request)
    year = _year(request)
    if year is None or action not in ("run", "publish"):
        raise Http404
    try:
        if action == "run":
            _run, created = benchmark_run_ensure(
                benchmark=benchmark, year=year, trigger=BenchmarkRun.Trigger.MANUAL, by=request.user
            )
            messages.success(
                request,
                _("Computed anew from the published values.")
                if created
                else _("Nothing changed since the last run; it stays the current one."),
            )
        else:
            raw = request.POST.get("run", "")
            benchmark_publish(
                benchmark=benchmark,
                year=year,
                by=request.user,
                run_id=int(raw) if raw.isdigit() and len(raw) < 12 else None,
            )
            messages.success(request, _("Published: the portal shows this run."))
    except DomainError as exc:
        if exc.code == "permission":
            raise PermissionDenied from exc
        for d in exc.detail:
            messages.error(request, d.message)
    return redirect(f"{reverse('cockpit-benchmark')}?code={benchmark.code}&year={year}")
