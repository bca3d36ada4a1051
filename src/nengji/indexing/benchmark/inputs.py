"""What a benchmark run reads: the latest published annual vintage of every framework
indicator, for every base (the plan's own official values, and the partner regions' values
reported through the plan's rounds), with its provenance."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from nengji.indexing.models import Benchmark, BenchmarkBase
from nengji.monitoring.models import Observation


def framework_indicators(framework: list[dict[str, Any]]) -> list[str]:
    """The framework's indicator codes (its leaves), in framework order."""
    parents = {r.get("parent") for r in framework if r.get("parent")}
    return [r["code"] for r in framework if r["code"] not in parents]


def active_bases(benchmark: Benchmark) -> list[BenchmarkBase]:
    return list(benchmark.bases.filter(active=True).select_related("organisation", "reporter"))


def _units_q(bases: list[BenchmarkBase]) -> Q:
    """Observations of these bases: the own district's (``unit`` empty) and the partners'."""
    q = Q(unit_id__in=[b.organisation_id for b in bases if not b.own])
    if any(b.own for b in bases):
        q |= Q(unit__isnull=True)
    return q


def benchmark_snapshot(benchmark: Benchmark, year: int) -> list[dict[str, Any]]:
    """Every input value of ``year``: base, indicator, value (exact, as text), the observation
    it is and whether it is demo data; sorted, so equal data hashes equal."""
    codes = framework_indicators(benchmark.framework)
    bases = active_bases(benchmark)
    by_unit = {(None if b.own else b.organisation_id): b.code for b in bases}
    rows = (
        Observation.every_unit.filter(
            _units_q(bases),
            indicator__plan_id=benchmark.plan_id,
            indicator__code__in=codes,
            year=year,
            quarter=0,
            published_at__isnull=False,
        )
        .select_related("indicator")
        .order_by("vintage")
    )
    latest: dict[tuple[str, str], Observation] = {}
    for obs in rows:
        assert obs.indicator is not None
        latest[(by_unit[obs.unit_id], obs.indicator.code)] = obs
    return [
        {
            "base": base,
            "code": code,
            "value": format(obs.value.normalize(), "f"),
            "observation": obs.pk,
            "vintage": obs.vintage,
            "is_demo": obs.is_demo,
        }
        for (base, code), obs in sorted(latest.items())
    ]


def benchmark_years(benchmark: Benchmark) -> list[int]:
    """The years (from the benchmark's first) for which any base has a published value."""
    bases = active_bases(benchmark)
    years = Observation.every_unit.filter(
        _units_q(bases),
        indicator__plan_id=benchmark.plan_id,
        indicator__code__in=framework_indicators(benchmark.framework),
        quarter=0,
        published_at__isnull=False,
        year__gte=benchmark.first_year,
    ).values_list("year", flat=True)
    return sorted(set(years))
