"""Benchmark: generate the reports on the whole demo story, in-process (no start-up).

    python benchmarks/report_generation.py          # SQLite in a temporary data dir

Sets up a fresh data directory the way `nengji demo` does (the plan, demo users, the 2021–2024
demo history, the calibrated demo panel, the index run), then times `report_build` (reading the
database and building the content, with charts) and each writer (docx, PDF, xlsx) for the annual
report 2024 and the mid-term evaluation 2023, in Chinese and English: median of N runs after one
warm-up (the first run pays for importing matplotlib, WeasyPrint and the fonts).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ["NENGJI_DATA_DIR"] = tempfile.mkdtemp(prefix="nengji-bench-")
    os.environ["DATABASE_URL"] = ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "nengji.web.settings"
    import django

    django.setup()
    from nengji.cli.core import _init
    from nengji.plan.selectors import plan_get
    from nengji.reports.services import render, report_build

    started = time.perf_counter()
    _init(demo_data=True, demo_reports=True, quiet=True)
    print(f"demo story set up in {time.perf_counter() - started:.1f} s")
    plan = plan_get(code="yangpu-2021")

    def timed(fn):  # type: ignore[no-untyped-def]
        fn()  # warm-up
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    print("| report | lang | build (charts) | docx | PDF | build (no charts) + xlsx |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for kind, year in (("annual", 2024), ("midterm", 2023)):
        for lang in ("zh", "en"):
            report = report_build(plan=plan, kind=kind, year=year, lang=lang)
            build = timed(lambda: report_build(plan=plan, kind=kind, year=year, lang=lang))  # noqa: B023
            docx = timed(lambda: render(report, "docx"))  # noqa: B023
            pdf = timed(lambda: render(report, "pdf"))  # noqa: B023
            xlsx = timed(
                lambda: render(
                    report_build(plan=plan, kind=kind, year=year, lang=lang, with_charts=False),  # noqa: B023
                    "xlsx",
                )
            )
            print(
                f"| {kind} {year} | {lang} | {build:.2f} s | {docx:.2f} s | {pdf:.2f} s | "
                f"{xlsx:.2f} s |"
            )


if __name__ == "__main__":
    main()
