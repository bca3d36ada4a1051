"""Benchmark: ``nengji --help`` and ``nengji index run|uncertainty`` end to end on ASEM.

What a user waits for is the whole command: interpreter start, imports, reading the CSVs, the
work, writing the outputs. This script times each command as a subprocess (wall time, median of
``--repeat`` runs) in two ways, and beside them the same work in-process (imports already paid):

* ``nengji …``: the installed console script, so the ``nengji.cli`` package and every command
  group it imports are included;
* ``index group``: only ``nengji.cli.index`` and ``nengji.cli.index_uncertainty`` (what the
  ``index`` commands themselves cost once the top-level CLI loads groups lazily);
* ``import`` rows: ``python -c "import …"`` alone, to show what start-up costs before any work.

Workloads: ``run`` = COINr's ``build_example_coin`` pipeline (``docs/index/pipelines/
asem-full.yaml``); ``uncertainty`` = the same pipeline with COINr's vignette inputs (winmax,
normalisation, a pool of 100 noisy weight sets, aggregation), N = 2000.

Usage::

    python benchmarks/cli_startup.py [--repeat 7] [--data ../shared/data/coinr-asem]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "coinr-asem"
PIPELINE = ROOT / "docs" / "index" / "pipelines" / "asem-full.yaml"

#: The index group on its own, as the lazy top-level CLI will reach it.
GROUP = (
    "import sys; from nengji.cli.index import index; "
    "from nengji.cli.index_uncertainty import COMMANDS; "
    "[index.add_command(c) for c in COMMANDS]; index(sys.argv[1:])"
)


def wall(argv: list[str], repeat: int) -> float:
    """Median wall seconds of a subprocess (which must succeed)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)  # noqa: S603  our own commands
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def in_process(data_dir: Path, uncertainty: Path, repeat: int) -> dict[str, float]:
    """Median seconds of the same work with imports already done."""
    from nengji.cli.index import load_inputs, load_pipeline, load_spec
    from nengji.index.uncertainty import run_uncertainty

    def run_once() -> None:
        data = load_inputs(data_dir / "input_ASEM_iMeta.csv", data_dir / "input_ASEM_iData.csv")
        load_pipeline(PIPELINE).run(data).to_frame().to_csv(os.devnull, index=False)

    def ua_once() -> None:
        data = load_inputs(data_dir / "input_ASEM_iMeta.csv", data_dir / "input_ASEM_iData.csv")
        res = run_uncertainty(
            data, load_pipeline(PIPELINE), load_spec(uncertainty), n_runs=2000, seed=1
        )
        res.to_frame().to_csv(os.devnull, index=False)

    out = {}
    for name, func in (("run", run_once), ("uncertainty", ua_once)):
        func()
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            func()
            times.append(time.perf_counter() - t0)
        out[name] = statistics.median(times)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per row (median)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="coinr-asem folder")
    args = parser.parse_args()
    from index_uncertainty import INPUTS  # COINr's vignette inputs (this folder is on sys.path)

    nengji = shutil.which("nengji", path=str(Path(sys.executable).parent)) or "nengji"
    tmp = Path(tempfile.mkdtemp(prefix="nengji-bench-"))
    uncertainty = tmp / "U.yaml"
    uncertainty.write_text(yaml.safe_dump(INPUTS), encoding="utf-8")
    files = [
        "--framework", str(args.data / "input_ASEM_iMeta.csv"),
        "--data", str(args.data / "input_ASEM_iData.csv"),
        "--pipeline", str(PIPELINE),
    ]  # fmt: skip
    commands = {
        "run": ["run", *files, "--out", str(tmp / "r.csv")],
        "uncertainty": [
            "uncertainty", *files, "--uncertainty", str(uncertainty), "--runs", "2000",
            "--seed", "1", "--out", str(tmp / "u.csv"),
        ],
    }  # fmt: skip
    py = sys.executable
    rows = []
    for what, stmt in (
        ("python alone", "pass"),
        ("import nengji.index", "import nengji.index"),
        ("import nengji.cli.index (the group)", "import nengji.cli.index_uncertainty"),
        ("import nengji.cli (all groups)", "import nengji.cli"),
    ):
        rows.append((what, wall([py, "-c", stmt], args.repeat), None))
    # the top-level command: nothing but click and the list of lazily loaded groups
    rows.append(("`nengji --help`", wall([nengji, "--help"], args.repeat), None))
    rows.append(("`nengji index --help`", wall([nengji, "index", "--help"], args.repeat), None))
    inproc = in_process(args.data, uncertainty, args.repeat)
    for name, argv in commands.items():
        script = wall([nengji, "index", *argv], args.repeat)
        rows.append((f"`nengji index {name}` (console script)", script, inproc[name]))
        group = wall([py, "-c", GROUP, *argv], args.repeat)
        rows.append((f"`index {name}` (index group only)", group, inproc[name]))
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"median of {args.repeat} runs; load average {os.getloadavg()[0]:.1f}\n")
    print("| command | subprocess wall (s) | same work in-process (s) |")
    print("| --- | ---: | ---: |")
    for what, seconds, inner in rows:
        print(f"| {what} | {seconds:.2f} | {'' if inner is None else f'{inner:.3f}'} |")


if __name__ == "__main__":
    main()
