"""Background job of the benchmark: recompute a year after its round was published."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from nengji.indexing.benchmark.services import BenchmarkError, benchmark_run_ensure
from nengji.indexing.models import Benchmark, BenchmarkRun


@task()
def benchmark_recompute(plan_id: int, year: int, actor_id: int | None = None) -> list[int]:
    """A run of ``year`` for every benchmark of the plan whose inputs changed; returns the ids
    of the runs (new or unchanged). A year that cannot be ranked yet (too few bases have
    published values) is skipped: the next publication tries again."""
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    out = []
    for benchmark in Benchmark.objects.filter(plan_id=plan_id).select_related("plan"):
        if year < benchmark.first_year:
            continue
        try:
            run, _ = benchmark_run_ensure(
                benchmark=benchmark,
                year=year,
                trigger=BenchmarkRun.Trigger.PUBLICATION,
                by=actor,
            )
        except BenchmarkError:
            continue
        out.append(run.pk)
    return out
