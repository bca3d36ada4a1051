"""Benchmark: uncertainty (UA) and Sobol' sensitivity (SA) analysis on COINr's own workloads.

The work is COINr's, as timed in ``shared/data/coinr-asem/SEMANTICS.md`` (same 2-core machine
type, R 4.2, COINr 1.1.14):

* ASEM: COINr's ``build_example_coin()`` pipeline (denominate, impute by group, screen, treat,
  min-max, arithmetic mean) with the ``SA_specs`` of COINr's sensitivity vignette: winmax 1–5,
  min-max [1, 100] vs z-score (10, 2), weights drawn from a pool of 100 noisy weight sets
  (``get_noisy_weights``, noise 25 % at levels 2 and 3), arithmetic vs geometric mean. UA with
  N = 500 and N = 2000, SA (Sobol') with N = 100 (600 runs) and N = 500 (3000 runs).
* synthetic 2,000 units × 60 indicators, 3 levels: COINr's synthetic coin (min-max [0, 100],
  arithmetic mean, no treatment), with the weights, normalisation and aggregation inputs (a
  pool of 100 weight sets with 25 % noise on the dimension weights, level 2; the index weight is
  alone and its noise would change nothing). UA with N = 100 and N = 500.

Prints a Markdown table: COINr's median seconds, ours (median of ``--repeat`` runs), the ratio,
and the peak memory of one run (``tracemalloc``: Python + numpy allocations, measured in a
separate run so it does not slow the timed ones) and the process's maximum RSS.

Usage::

    python benchmarks/index_uncertainty.py [--repeat 5] [--data ../shared/data/coinr-asem]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from nengji.index import (
    Aggregate,
    MinMax,
    Pipeline,
    read_data,
    read_framework,
)
from nengji.index.coinr import example_coin_pipeline
from nengji.index.sensitivity import run_sensitivity
from nengji.index.uncertainty import run_uncertainty

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "coinr-asem"

#: COINr's sensitivity vignette: winmax, normalisation, a pool of 100 noisy weight sets,
#: aggregation.
INPUTS: dict[str, Any] = {
    "inputs": [
        {"name": "winmax", "param": "treat.max_points", "values": [1, 2, 3, 4, 5]},
        {
            "name": "normalisation",
            "param": "normalise",
            "values": [
                {"method": "minmax", "lower": 1, "upper": 100},
                {"method": "zscore", "mean": 10, "sd": 2},
            ],
        },
        {"name": "weights", "param": "weights", "noise": 0.25, "levels": [2, 3], "pool": 100},
        {"name": "aggregation", "param": "aggregate.method", "values": ["arithmetic", "geometric"]},
    ]
}

#: The synthetic coin has no treatment: weights, normalisation and aggregation only.
SYNTHETIC_INPUTS: dict[str, Any] = {
    "inputs": [
        INPUTS["inputs"][1],
        {"name": "weights", "param": "weights", "noise": 0.25, "levels": [2], "pool": 100},
        INPUTS["inputs"][3],
    ]
}

#: COINr's medians on this machine type (seconds), from SEMANTICS.md.
COINR = {
    "ASEM UA N=500": 43.5,
    "ASEM UA N=2000": 193.6,
    "ASEM SA N=100 (600 runs)": 49.9,
    "ASEM SA N=500 (3000 runs)": 286.3,
    "synthetic 2000×60 UA N=100": 10.4,
    "synthetic 2000×60 UA N=500": 55.7,
}


def synthetic_pipeline() -> Pipeline:
    """COINr's synthetic coin: min-max [0, 100] → arithmetic mean (no treatment)."""
    return Pipeline(
        [
            ("normalise", MinMax(lower=0, upper=100)),
            ("aggregate", Aggregate(method="arithmetic")),
        ]
    )


def cases(data_dir: Path) -> dict[str, Callable[[], Any]]:
    """Each benchmark case as a zero-argument callable (data read once, outside the timing)."""
    asem_fw = read_framework(data_dir / "input_ASEM_iMeta.csv")
    asem = read_data(data_dir / "input_ASEM_iData.csv", asem_fw)
    syn_fw = read_framework(data_dir / "S_synthetic_iMeta.csv")
    syn = read_data(data_dir / "S_synthetic_iData.csv", syn_fw)

    def ua(
        data: Any, pipe: Callable[[], Pipeline], n: int, inputs: dict[str, Any] = INPUTS
    ) -> Callable[[], Any]:
        return lambda: run_uncertainty(data, pipe(), inputs, n_runs=n, seed=1)

    def sa(n: int) -> Callable[[], Any]:
        return lambda: run_sensitivity(asem, example_coin_pipeline(), INPUTS, n=n, seed=1)

    return {
        "ASEM UA N=500": ua(asem, example_coin_pipeline, 500),
        "ASEM UA N=2000": ua(asem, example_coin_pipeline, 2000),
        "ASEM SA N=100 (600 runs)": sa(100),
        "ASEM SA N=500 (3000 runs)": sa(500),
        "synthetic 2000×60 UA N=100": ua(syn, synthetic_pipeline, 100, SYNTHETIC_INPUTS),
        "synthetic 2000×60 UA N=500": ua(syn, synthetic_pipeline, 500, SYNTHETIC_INPUTS),
    }


def measure(func: Callable[[], Any], repeat: int) -> tuple[float, float, float, list[str]]:
    """Median wall and CPU seconds over ``repeat`` runs, and peak traced MiB of one extra run.

    CPU time is reported too because the benchmark machine is shared: under load the wall time
    grows while the CPU time stays close to what the work costs.
    """
    times, cpu = [], []
    result = None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = func()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    failures = getattr(result, "failures", None)
    if failures is None:
        failures = getattr(getattr(result, "uncertainty", None), "failures", [])
    return statistics.median(times), statistics.median(cpu), peak / 2**20, list(failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per case (median)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="coinr-asem folder")
    parser.add_argument("--only", default=None, help="run only cases containing this text")
    args = parser.parse_args()
    rows = []
    for name, func in cases(args.data).items():
        if args.only and args.only not in name:
            continue
        func()  # warm-up (imports, caches of numpy/scipy)
        seconds, cpu, peak_mib, failures = measure(func, args.repeat)
        coinr = COINR[name]
        note = f"{len(failures)} failed run groups" if failures else ""
        rows.append((name, coinr, seconds, cpu, coinr / seconds, peak_mib, note))
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"nengji.index uncertainty benchmarks — Python {platform.python_version()}, "
        f"numpy {np.__version__}, {platform.machine()}, median of {args.repeat} runs\n"
    )
    load = os.getloadavg()[0]
    print("| work | COINr (s) | nengji wall (s) | nengji CPU (s) | COINr / nengji (wall) "
          "| peak traced memory (MiB) | note |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, coinr, seconds, cpu, speedup, peak, note in rows:
        print(
            f"| {name} | {coinr:.1f} | {seconds:.3f} | {cpu:.3f} | {speedup:,.0f}× "
            f"| {peak:.1f} | {note} |"
        )
    print(f"\nprocess max RSS: {rss_mib:.0f} MiB; load average at the end: {load:.1f}")


if __name__ == "__main__":
    main()
