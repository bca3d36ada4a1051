"""Pipeline benchmarks of nengji.index against COINr's timings (SEMANTICS.md, same machine type).

Run from the repository root:

    python benchmarks/index_pipeline.py [--repeats 21]

Each case is timed as the median of ``repeats`` runs of the whole work (reading the CSVs is not
timed, as in COINr's figures which start from an in-memory coin); peak Python memory of one run
is measured separately with tracemalloc.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402  after the path set-up

from nengji.index import (  # noqa: E402
    Aggregate,
    AggregationPlan,
    MinMax,
    Pipeline,
    Winsorise,
    aggregate_array,
    read_data,
    read_framework,
)
from nengji.index.coinr import example_coin_pipeline  # noqa: E402

SHARED = ROOT / ".." / "shared" / "data" / "coinr-asem"

#: COINr 1.1.14 medians in seconds, from SEMANTICS.md.
COINR = {
    "ASEM full build (51 x 49)": 0.073,
    "synthetic 2000 x 60: minmax + arithmetic, 3 levels": 0.094,
    "synthetic 2000 x 60: treatment (defaults)": 0.41,
}


def median_time(work: Callable[[], object], repeats: int) -> float:
    work()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory(work: Callable[[], object]) -> float:
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def cases() -> dict[str, Callable[[], object]]:
    asem = read_data(
        SHARED / "input_ASEM_iData.csv", read_framework(SHARED / "input_ASEM_iMeta.csv")
    )
    synth = read_data(
        SHARED / "S_synthetic_iData.csv", read_framework(SHARED / "S_synthetic_iMeta.csv")
    )
    simple = Pipeline([("normalise", MinMax(lower=0, upper=100)), ("aggregate", Aggregate())])
    full = example_coin_pipeline().run(asem)
    plan = AggregationPlan.from_framework(full.framework)
    normalised = full.stages["normalised"][list(plan.codes[: plan.n_indicators])].to_numpy()
    draws = plan.weights * np.random.default_rng(1).uniform(0.75, 1.25, (2000, len(plan.codes)))
    return {
        "ASEM full build (51 x 49)": lambda: example_coin_pipeline().run(asem),
        "synthetic 2000 x 60: minmax + arithmetic, 3 levels": lambda: simple.run(synth),
        "synthetic 2000 x 60: treatment (defaults)": lambda: Winsorise().fit_transform(synth),
        "ASEM: aggregate 2,000 weight draws in one call": lambda: aggregate_array(
            normalised, plan, weights=draws, aggregates_only=True
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    if not SHARED.exists():
        sys.exit(f"COINr reference data not found at {SHARED}")
    print(f"{'case':55} {'nengji s':>10} {'COINr s':>8} {'speed-up':>9} {'peak MiB':>9}")
    for name, work in cases().items():
        t = median_time(work, args.repeats)
        mem = peak_memory(work)
        ref = COINR.get(name)
        if ref is None:  # no COINr equivalent: shown for the uncertainty work built on it
            print(f"{name:55} {t:10.4f} {'-':>8} {'-':>9} {mem:9.1f}")
        else:
            print(f"{name:55} {t:10.4f} {ref:8.3f} {ref / t:8.1f}x {mem:9.1f}")


if __name__ == "__main__":
    main()
