"""Index endpoints: the plan's multi-unit benchmark index (长三角双创示范基地双创指数).

Reads answer what the caller may see (`nengji.indexing.benchmark.selectors`): the public the
published years, a partner region its own base before publication, the plan office and leaders
everything. Computing a run and publishing it are the plan office's.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from nengji.api.auth import optional_user
from nengji.api.params import In, PlanCode
from nengji.core.errors import not_found
from nengji.indexing.benchmark.selectors import (
    BenchmarkView,
    benchmark_get,
    benchmark_list,
    benchmark_view,
    published_years,
)
from nengji.indexing.benchmark.services import benchmark_publish, benchmark_run_ensure
from nengji.indexing.models import Benchmark, BenchmarkRun
from nengji.plan.selectors import plan_get

router = Router()

#: the id of a run the caller looked at
RunId = Annotated[int, Field(ge=1, le=2**62)]


class BenchmarkOut(Schema):
    code: str
    name_zh: str
    name_en: str
    first_year: int
    bases: list[str]
    published_years: list[int]


class RankIntervalOut(Schema):
    median: float | None
    mean: float | None
    q05: float | None
    q95: float | None


class ProfileItemOut(Schema):
    code: str
    name: str
    group: str
    rank: int


class BaseOut(Schema):
    code: str
    name_zh: str
    name_en: str
    own: bool
    ranked: bool
    coverage: int
    score: float | None
    rank: int | None
    interval: RankIntervalOut | None
    dimensions: dict[str, float | None]
    dimension_ranks: dict[str, int | None]
    values: dict[str, float | None]
    strengths: list[ProfileItemOut]
    weaknesses: list[ProfileItemOut]


class SensitivityOut(Schema):
    input: str
    S1: float | None
    ST: float | None


class BenchmarkYearOut(Schema):
    code: str
    year: int | None
    years: list[int]
    scope: str
    run: int | None
    computed_at: str | None
    published: bool
    published_at: str | None
    is_demo: bool
    n_indicators: int
    uncertainty_runs: int
    bases: list[BaseOut]
    sensitivity: list[SensitivityOut]


class RunOut(Schema):
    id: int
    year: int
    created_at: str
    trigger: str
    data_sha256: str
    method_sha256: str
    ranked: list[str]
    is_demo: bool
    published: bool


class PublicationIn(In):
    run: RunId | None = None


class PublicationOut(Schema):
    run: int
    year: int
    published_at: str
    is_demo: bool


def _benchmark(plan_code: str | None, code: str) -> Benchmark:
    benchmark = benchmark_get(plan=plan_get(code=plan_code), code=code[:64])
    if benchmark is None:
        raise not_found("code", f"no benchmark {code[:64]!r} in this plan")
    return benchmark


def _view_out(view: BenchmarkView) -> dict[str, Any]:
    run = view.run
    return {
        "code": view.benchmark.code,
        "year": view.year,
        "years": view.years,
        "scope": view.scope,
        "run": run.pk if run else None,
        "computed_at": run.created_at.isoformat() if run else None,
        "published": view.published,
        "published_at": view.publication.published_at.isoformat() if view.publication else None,
        "is_demo": view.is_demo,
        "n_indicators": view.n_indicators,
        "uncertainty_runs": view.n_runs,
        "bases": [
            {
                "code": r.base.code,
                "name_zh": r.base.name_zh,
                "name_en": r.base.name_en,
                "own": r.base.own,
                "ranked": r.ranked,
                "coverage": r.coverage,
                "score": r.score,
                "rank": r.rank,
                "interval": r.interval,
                "dimensions": {d.code: s for d, s, _ in r.dimensions},
                "dimension_ranks": {d.code: k for d, _, k in r.dimensions},
                "values": {i.code: v for i, v, _ in r.values},
                "strengths": [p.__dict__ for p in r.strengths],
                "weaknesses": [p.__dict__ for p in r.weaknesses],
            }
            for r in view.rows
        ],
        "sensitivity": view.sensitivity,
    }


def _run_out(run: BenchmarkRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "year": run.year,
        "created_at": run.created_at.isoformat(),
        "trigger": run.trigger,
        "data_sha256": run.data_sha256,
        "method_sha256": run.method_sha256,
        "ranked": list(run.results.get("ranked", [])),
        "is_demo": run.is_demo,
        "published": hasattr(run, "publication"),
    }


@router.get("/benchmarks", auth=None, response=list[BenchmarkOut])
def benchmarks(request: HttpRequest, plan_code: PlanCode = None) -> list[dict[str, Any]]:
    """The plan's benchmark indices, their bases and the years published."""
    return [
        {
            "code": b.code,
            "name_zh": b.name_zh,
            "name_en": b.name_en,
            "first_year": b.first_year,
            "bases": list(b.bases.filter(active=True).values_list("code", flat=True)),
            "published_years": published_years(b),
        }
        for b in benchmark_list(plan=plan_get(code=plan_code))
    ]


@router.get("/benchmarks/{code}/{year}", auth=None, response=BenchmarkYearOut)
def benchmark_year(
    request: HttpRequest, code: str, year: int, plan_code: PlanCode = None
) -> dict[str, Any]:
    """One year of a benchmark as the caller may see it (``scope``: all, own, published or
    none; ``none`` has no bases)."""
    view = benchmark_view(
        benchmark=_benchmark(plan_code, code), user=optional_user(request), year=year
    )
    return _view_out(view)


@router.post("/benchmarks/{code}/{year}/runs", response={200: RunOut, 201: RunOut})
def benchmark_run(
    request: HttpRequest, code: str, year: int, plan_code: PlanCode = None
) -> Status[Any]:
    """Compute the year from the published values (plan office): 201 with a new run, 200 with
    the stored one when neither the values nor the method changed since."""
    run, created = benchmark_run_ensure(
        benchmark=_benchmark(plan_code, code),
        year=year,
        trigger=BenchmarkRun.Trigger.MANUAL,
        by=request.auth,  # type: ignore[attr-defined]
    )
    return Status(201 if created else 200, _run_out(run))


@router.post(
    "/benchmarks/{code}/{year}/publication", response={200: PublicationOut, 201: PublicationOut}
)
def benchmark_publication(
    request: HttpRequest,
    code: str,
    payload: PublicationIn,
    year: int,
    plan_code: PlanCode = None,
) -> Status[Any]:
    """Publish the latest run of the year (plan office). ``run`` names the run the caller
    looked at: 409 when a newer one exists. Publishing again is 200 with the same answer."""
    publication, created = benchmark_publish(
        benchmark=_benchmark(plan_code, code),
        year=year,
        by=request.auth,  # type: ignore[attr-defined]
        run_id=payload.run,
    )
    return Status(
        201 if created else 200,
        {
            "run": publication.run_id,
            "year": publication.year,
            "published_at": publication.published_at.isoformat(),
            "is_demo": publication.is_demo,
        },
    )
