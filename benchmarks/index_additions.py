"""Benchmarks of the engine's later additions: TOPSIS and benefit-of-the-doubt aggregation,
chain-linking, and the COIN Tool import (none has a COINr counterpart to compare with, so the
figures are ratios to the arithmetic mean / the direct run on the same data).

Run from the repository root:

    python benchmarks/index_additions.py [--repeats 5]

The COIN Tool case writes a workbook of the layout's full size (299 units × 99 indicators) with
openpyxl first (not timed) and times ``import_coin_tool`` on its bytes.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402  after the path set-up

from nengji.index import (  # noqa: E402
    Aggregate,
    MinMax,
    Pipeline,
    Segment,
    chain_link,
    import_coin_tool,
    read_data,
    read_framework,
)
from nengji.index.coinr import example_purse_pipeline  # noqa: E402

SHARED = ROOT / ".." / "shared" / "data" / "coinr-asem"


def median_time(work: Callable[[], object], repeats: int) -> float:
    work()  # warm-up (and scipy's import for linprog)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def coin_tool_bytes(n_units: int = 299, n_ind: int = 99) -> bytes:
    import openpyxl

    rng = np.random.default_rng(1)
    book = openpyxl.Workbook()
    db = book.active
    db.title = "Database"
    for j in range(n_ind):
        col = 5 + j
        pillar = f"p.{j // 10 + 1:02d}"
        for row, value in ((7, 1), (8, 1), (9, 0), (10, 100), (11, "Index"), (12, "si.01"),
                           (13, pillar), (14, "sp.01"), (15, f"Indicator {j + 1}"),
                           (16, f"Ind.{j + 1:02d}")):  # fmt: skip
            db.cell(row=row, column=col, value=value)
    for i in range(n_units):
        db.cell(row=17 + i, column=2, value=f"Unit {i}")
        db.cell(row=17 + i, column=3, value=f"U{i:03d}")
        for j, v in enumerate(rng.uniform(0, 100, n_ind)):
            db.cell(row=17 + i, column=5 + j, value=float(v))
    fw = book.create_sheet("Framework")
    fw["C4"], fw["E4"], fw["H4"] = "Dimension/indicator", "Weight", "Name"
    for k in range(10):
        fw.cell(row=5 + k, column=3, value=f"p.{k + 1:02d}")
        fw.cell(row=5 + k, column=5, value=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    fw = read_framework(SHARED / "input_ASEM_iMeta.csv")
    asem = read_data(SHARED / "input_ASEM_iData.csv", fw)
    norm = asem.with_values(MinMax(lower=1, upper=100).fit_transform(asem))
    rows = []

    def agg(method: list[str], **kw: object) -> Callable[[], object]:
        pipe = Pipeline([("aggregate", Aggregate(method=method, **kw))])  # type: ignore[arg-type]
        return lambda: pipe.run(norm)

    base = median_time(agg(["arithmetic"] * 3), args.repeats)
    rows.append(("ASEM aggregate: arithmetic (reference)", base, 1.0))
    for label, method, kw in (
        ("ASEM aggregate: topsis at level 2", ["topsis", "arithmetic", "arithmetic"], {}),
        ("ASEM aggregate: bod at level 2 (408 LPs)", ["bod", "arithmetic", "arithmetic"], {}),
        ("ASEM aggregate: bod + pie_shares [0.5, 2]", ["bod", "arithmetic", "arithmetic"],
         {"pie_shares": [0.5, 2]}),
    ):  # fmt: skip
        t = median_time(agg(method, **kw), args.repeats)
        rows.append((label, t, t / base))

    panel = read_data(SHARED / "input_ASEM_iData_p.csv", fw)
    years = sorted(panel.periods())
    direct = median_time(lambda: example_purse_pipeline().run(panel), args.repeats)
    rows.append(("ASEM panel (5 years): purse pipeline, direct", direct, 1.0))
    segs = [Segment(y, example_purse_pipeline()) for y in years[::2]]
    t = median_time(lambda: chain_link(panel, segs, fit_on="window"), args.repeats)
    rows.append(("ASEM panel: chain_link, 3 segments (window fits)", t, t / direct))

    try:
        book = coin_tool_bytes()
    except ImportError:
        book = None
    if book is not None:
        t = median_time(lambda: import_coin_tool(book), args.repeats)
        rows.append((f"import_coin_tool 299 x 99 ({len(book) // 1024} KiB)", t, float("nan")))

    print(f"load average {os.getloadavg()[0]:.1f}; median of {args.repeats} runs")
    print(f"| {'work':<55} | {'time':>10} | {'ratio':>6} |")
    for label, t, ratio in rows:
        r = "" if ratio != ratio else f"{ratio:.1f}x"
        print(f"| {label:<55} | {t * 1000:>7.1f} ms | {r:>6} |")


if __name__ == "__main__":
    main()
