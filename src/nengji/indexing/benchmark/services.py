"""Writes of the benchmark: computing a year's run, publishing it.

Both are idempotent. A run is identified by what went in (method and data, by SHA-256): asking
again with the same inputs returns the stored run (HTTP 200) rather than computing a second
(201). A publication names one run; publishing the same run again returns it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record
from nengji.core.errors import DomainError, conflict
from nengji.core.roles import require_office
from nengji.index import IndexInputError
from nengji.indexing.benchmark.compute import TooFewBasesError, benchmark_compute
from nengji.indexing.benchmark.inputs import active_bases, benchmark_snapshot
from nengji.indexing.models import Benchmark, BenchmarkPublication, BenchmarkRun


class BenchmarkError(DomainError):
    """Bad input, a conflict or a refused action on the benchmark; nothing was changed."""


def sha256_of(value: Any) -> str:
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def benchmark_method(benchmark: Benchmark) -> dict[str, Any]:
    """Everything about how the benchmark is computed, as stored with each run."""
    return {
        "framework": benchmark.framework,
        "spec": benchmark.spec,
        "uncertainty": benchmark.uncertainty,
        "bases": [b.code for b in active_bases(benchmark)],
    }


def year_check(benchmark: Benchmark, year: Any) -> int:
    last = benchmark.plan.period_end + 1
    if (
        isinstance(year, bool)
        or not isinstance(year, int)
        or not (benchmark.first_year <= year <= last)
    ):
        raise BenchmarkError.one(
            "year",
            _("The year must lie between %(first)s and %(last)s.")
            % {"first": benchmark.first_year, "last": last},
        )
    return year


def benchmark_run_ensure(
    *, benchmark: Benchmark, year: int, trigger: str, by: Any = None
) -> tuple[BenchmarkRun, bool]:
    """The run of ``year`` for the present method and published values: the stored one when
    nothing changed since (``created`` False), else a new one. Manual runs are the plan
    office's; runs on publication and in the demo set-up are the system's."""
    if trigger == BenchmarkRun.Trigger.MANUAL:
        require_office(by)
    if trigger not in BenchmarkRun.Trigger.values:
        raise BenchmarkError.one("trigger", _("Unknown trigger."))
    year = year_check(benchmark, year)
    method = benchmark_method(benchmark)
    snapshot = benchmark_snapshot(benchmark, year)
    method_sha, data_sha = sha256_of(method), sha256_of(snapshot)
    key = {
        "benchmark": benchmark,
        "year": year,
        "method_sha256": method_sha,
        "data_sha256": data_sha,
    }
    existing = BenchmarkRun.objects.filter(**key).first()
    if existing is not None:
        return existing, False
    try:
        results = benchmark_compute(
            framework=method["framework"],
            spec=method["spec"],
            uncertainty=method["uncertainty"],
            bases=method["bases"],
            snapshot=snapshot,
            year=year,
        )
    except TooFewBasesError as exc:
        raise BenchmarkError.one(
            "year",
            _(
                "Too few bases have published values for %(year)s: at least three need values "
                "for three quarters of the indicators. (%(detail)s)"
            )
            % {"year": year, "detail": exc},
        ) from exc
    except IndexInputError as exc:
        raise BenchmarkError.one("method", str(exc)) from exc
    try:
        with transaction.atomic():
            run = BenchmarkRun.objects.create(
                **key,
                created_at=timezone.now(),
                created_by=by if getattr(by, "is_authenticated", False) else None,
                trigger=trigger,
                method=method,
                snapshot=snapshot,
                results=results,
                is_demo=any(v["is_demo"] for v in snapshot),
            )
            audit_record(
                actor=by,
                action="compute",
                obj=run,
                label=f"{benchmark.code} {year}",
                after={
                    "year": year,
                    "trigger": trigger,
                    "data_sha256": data_sha,
                    "method_sha256": method_sha,
                    "ranked": results["ranked"],
                },
            )
    except IntegrityError:  # a concurrent call stored the same inputs first
        return BenchmarkRun.objects.get(**key), False
    return run, True


def benchmark_run_latest(*, benchmark: Benchmark, year: int) -> BenchmarkRun | None:
    return BenchmarkRun.objects.filter(benchmark=benchmark, year=year).order_by("-id").first()


@transaction.atomic
def benchmark_publish(
    *, benchmark: Benchmark, year: int, by: Any, run_id: int | None = None
) -> tuple[BenchmarkPublication, bool]:
    """Make the latest run of ``year`` the public benchmark (the plan office only). Naming an
    older run (``run_id``) is a conflict: what is published is what the office last saw.
    Publishing a run already published returns its publication (``created`` False)."""
    require_office(by)
    year = year_check(benchmark, year)
    # one publisher at a time per benchmark: lock its row
    Benchmark.objects.select_for_update().get(pk=benchmark.pk)
    latest = benchmark_run_latest(benchmark=benchmark, year=year)
    if latest is None:
        raise BenchmarkError.one(
            "year", _("There is no run for %(year)s to publish.") % {"year": year}
        )
    if run_id is not None and run_id != latest.pk:
        raise conflict(
            _("A newer run of %(year)s exists; look at it before publishing.") % {"year": year},
            field="run",
        )
    done = BenchmarkPublication.objects.filter(run=latest).first()
    if done is not None:
        return done, False
    publication = BenchmarkPublication.objects.create(
        run=latest,
        benchmark=benchmark,
        year=year,
        published_at=timezone.now(),
        published_by=by,
        is_demo=latest.is_demo,
    )
    audit_record(
        actor=by,
        action="publish",
        obj=publication,
        label=f"{benchmark.code} {year}",
        after={"run": latest.pk, "year": year, "is_demo": latest.is_demo},
    )
    return publication, True
