"""Benchmark: generate the reports on the whole demo story, in-process and from the command line.

    python benchmarks/report_generation.py                    # fresh demo data dir (~2 min)
    python benchmarks/report_generation.py --data-dir DIR     # a data dir `nengji demo` made
    python benchmarks/report_generation.py --data-dir DIR --against OLD/src --rounds 3

In-process: times `report_build` (reading the database and building the content, with charts)
and each writer (docx, PDF, xlsx) for the annual report 2024 and the mid-term evaluation 2023,
in Chinese and English: the median of N runs after one warm-up (the first run of a process pays
for importing matplotlib and WeasyPrint and for loading the fonts). "docx" alone is the issue's
measure: build + write, as one `nengji report … --format docx` does after start-up.

Command line: the wall time of `nengji report annual --year 2024 --format docx|xlsx` as a
subprocess (interpreter, Django, imports, the work, the file).

`--against SRC` runs the same measurements with another checkout's `src` (e.g. the code before
a change: `git archive COMMIT src | tar -x -C /tmp/old`), alternating the two in separate
processes round by round, and prints the ratios: the machine is shared and its load moves, so a
ratio measured at the same time says more than two absolute figures measured apart. The load
average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = (("annual", 2024, "zh"), ("annual", 2024, "en"), ("midterm", 2023, "zh"))


def child(runs: int) -> None:
    """Measure in this process (the code on sys.path) and print JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nengji.web.settings")
    started = time.perf_counter()
    import django

    django.setup()
    from nengji.plan.selectors import plan_get
    from nengji.reports.services import render, report_build

    setup = time.perf_counter() - started
    plan = plan_get(code="yangpu-2021")

    def timed(fn):  # type: ignore[no-untyped-def]
        fn()  # warm-up
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    out: dict[str, dict[str, float]] = {}
    for kind, year, lang in CASES:

        def build(charts: bool = True):  # type: ignore[no-untyped-def]
            return report_build(plan=plan, kind=kind, year=year, lang=lang, with_charts=charts)  # noqa: B023

        report = build()
        out[f"{kind} {year} {lang}"] = {
            "build": timed(build),
            "write docx": timed(lambda: render(report, "docx")),  # noqa: B023
            "docx": timed(lambda: render(build(), "docx")),
            "pdf": timed(lambda: render(build(), "pdf")),
            "xlsx": timed(lambda: render(build(charts=False), "xlsx")),
        }
    out["start-up"] = {"django + imports": setup}
    print(json.dumps(out))


def cli_wall(src: Path, fmt: str) -> float:
    """Wall time of one `nengji report` as a subprocess."""
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
            [
                sys.executable,
                "-c",
                "import sys; from nengji.cli import main; sys.exit(main())",
                "report",
                "annual",
                "--year",
                "2024",
                "--format",
                fmt,
                "--out",
                str(Path(tmp) / f"r.{fmt}"),
            ],
            env={**os.environ, "PYTHONPATH": str(src)},
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - started


def measure(src: Path, runs: int) -> dict[str, dict[str, float]]:
    done = subprocess.run(  # noqa: S603 - this script as a child process
        [sys.executable, __file__, "--child", "--runs", str(runs)],
        env={**os.environ, "PYTHONPATH": str(src)},
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, dict[str, float]] = json.loads(done.stdout.strip().splitlines()[-1])
    result["command line"] = {
        "docx": cli_wall(src, "docx"),
        "xlsx": cli_wall(src, "xlsx"),
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (median)")
    parser.add_argument("--rounds", type=int, default=1, help="alternations with --against")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--against", type=Path, default=None, help="another checkout's src")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.runs)
        return
    os.environ["DATABASE_URL"] = ""
    if args.data_dir is None:
        os.environ["NENGJI_DATA_DIR"] = tempfile.mkdtemp(prefix="nengji-bench-")
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from nengji.cli.django_setup import setup_django; setup_django(); "
                "from nengji.cli.core import _init; "
                "_init(demo_data=True, demo_reports=True, quiet=True)",
            ],
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            check=True,
        )
        print(f"demo story set up in {time.perf_counter() - started:.0f} s")
    else:
        os.environ["NENGJI_DATA_DIR"] = str(args.data_dir)
    sources = {"new": ROOT / "src"}
    if args.against:
        sources["old"] = args.against.resolve()
    results: dict[str, list[dict[str, dict[str, float]]]] = {k: [] for k in sources}
    loads = [os.getloadavg()[0]]
    for _ in range(args.rounds):
        for name, src in sources.items():
            results[name].append(measure(src, args.runs))
            loads.append(os.getloadavg()[0])
    print(
        f"load average (1 min) during the run: {min(loads):.1f}–{max(loads):.1f} on "
        f"{os.cpu_count()} cores"
    )
    header = "| case | measure | " + " | ".join(f"{k} (s)" for k in sources)
    print(header + (" | old / new |" if args.against else " |"))
    print("| --- | --- |" + " ---: |" * (len(sources) + (1 if args.against else 0)))
    for case, measures in results["new"][0].items():
        for what in measures:
            med = {k: statistics.median(r[case][what] for r in results[k]) for k in sources}
            cells = " | ".join(f"{med[k]:.2f}" for k in sources)
            ratio = f" | {med['old'] / med['new']:.1f}×" if args.against else ""
            print(f"| {case} | {what} | {cells}{ratio} |")


if __name__ == "__main__":
    main()
