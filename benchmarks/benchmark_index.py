"""Benchmark: one year of the multi-unit benchmark index (长三角双创示范基地双创指数).

What a run of ``benchmark_run_ensure`` computes, without the database: the bundled package's
method (``data/plans/yangpu-2021/benchmark/``: screen, min-max 1–100, arithmetic mean; an
uncertainty analysis of 1,000 runs and a Sobol' analysis with N = 256, i.e. 1,280 more runs)
on made-up values for 4 bases (the alliance's bases in the package) and for 25 bases (the
alliance's size, plan annex term 7), 12 indicators in 4 dimensions.

Prints a Markdown table: the median seconds of ``--repeat`` runs of ``benchmark_compute`` (after
one warm-up call: the first call of a process imports scipy.stats for the Sobol' sampling, about
1 s idle) and its peak traced memory.

Usage::

    python benchmarks/benchmark_index.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from nengji.index import read_framework
from nengji.indexing.benchmark.compute import benchmark_compute
from nengji.plan.package_index import framework_records

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "data" / "plans" / "yangpu-2021" / "benchmark"


def method() -> dict[str, Any]:
    framework = framework_records(read_framework(PACKAGE / "framework.csv"))
    spec = yaml.safe_load((PACKAGE / "pipeline.yaml").read_text(encoding="utf-8"))
    uncertainty = yaml.safe_load((PACKAGE / "uncertainty.yaml").read_text(encoding="utf-8"))
    return {"framework": list(framework), "spec": spec, "uncertainty": uncertainty}


def snapshot(n_bases: int, indicators: list[str], seed: int = 2021) -> tuple[list[str], list[Any]]:
    rng = np.random.default_rng(seed)
    bases = [f"B{i:02d}" for i in range(n_bases)]
    rows = [
        {"base": b, "code": c, "value": str(round(float(rng.lognormal(3, 1)), 2))}
        for b in bases
        for c in indicators
    ]
    return bases, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    m = method()
    indicators = list(read_framework(m["framework"]).indicators)
    print(f"load average {os.getloadavg()[0]:.1f}; median of {args.repeat} runs\n")
    print("| bases | UA runs | Sobol' runs | seconds | peak traced memory |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for n in (4, 25):
        bases, rows = snapshot(n, indicators)

        def once(bases: list[str] = bases, rows: list[Any] = rows) -> dict[str, Any]:
            return benchmark_compute(
                framework=m["framework"],
                spec=m["spec"],
                uncertainty=m["uncertainty"],
                bases=bases,
                snapshot=rows,
                year=2024,
            )

        once()  # warm-up: the first call imports scipy.stats (Sobol' sampling), once per process
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            once()
            times.append(time.perf_counter() - start)
        tracemalloc.start()
        once()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        k = len(m["uncertainty"]["inputs"])
        sobol = m["uncertainty"]["sobol"] * (k + 2)
        print(
            f"| {n} | {m['uncertainty']['runs']} | {sobol} | "
            f"{statistics.median(times):.2f} | {peak / 2**20:.1f} MiB |"
        )


if __name__ == "__main__":
    main()
