"""The registry at scale (issue 11): 10,000 enterprises × 10 years of figures.

Sets up a fresh data directory (SQLite, or PostgreSQL with DATABASE_URL — then the database
must be empty), generates a flagged demo registry of 10,000 enterprises with figures for
2016–2025 and their designations (the demo generator, seeded), then measures:

- an import of 10,000 rows (new enterprises with a year's figures) through `registry_import`;
- the year-end indicator counts (`registry_counts`) for one year;
- the office's list and filter pages and the API list, in-process through Django's full stack:
  median and 95th percentile server time, and queries per request.

    python benchmarks/registry.py [--repeat 20] [--enterprises 10000] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="nengji-bench-registry-"))
    env = {**os.environ, "NENGJI_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT / "src")}
    subprocess.run(
        [sys.executable, "-m", "nengji", "init"], env=env, check=True, capture_output=True
    )
    os.environ.update({"NENGJI_DATA_DIR": str(data_dir)})
    sys.path.insert(0, str(ROOT / "src"))
    from nengji.cli.django_setup import setup_django

    setup_django()
    import yaml
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from nengji.accounts.models import User
    from nengji.plan.selectors import plan_get
    from nengji.registry.demo import demo_registry_ensure
    from nengji.registry.indicators import registry_counts
    from nengji.registry.models import Enterprise, YearFigures
    from nengji.registry.services.access import SYSTEM
    from nengji.registry.services.imports import registry_import
    from nengji.registry.uscc import uscc_check_character

    plan = plan_get()
    demo = Path(tempfile.mkdtemp(prefix="nengji-bench-demo-"))
    (demo / "registry").mkdir()
    config = yaml.safe_load((ROOT / "data/demo/yangpu-2021/registry/demo.yaml").read_text("utf-8"))
    config["enterprises"] = args.enterprises
    config["figure_years"] = list(range(2016, 2026))
    (demo / "registry" / "demo.yaml").write_text(
        yaml.safe_dump(config, allow_unicode=True), "utf-8"
    )
    t0 = time.perf_counter()
    demo_registry_ensure(plan=plan, demo_dir=demo, data_dir=data_dir, full=True)
    setup_s = time.perf_counter() - t0
    print(f"# load average at the start: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} cores")
    print(
        f"# {connection.vendor}; generated {Enterprise.objects.count():,} enterprises, "
        f"{YearFigures.objects.count():,} year figures in {setup_s:.1f} s"
    )

    # import of 10,000 rows
    lines = ["uscc,name_zh,founded_on,year,employees,st_staff,revenue,rd_domestic,rd_foreign"]
    for i in range(10_000):
        first17 = f"91310110MB{i:07d}"
        code = first17 + uscc_check_character(first17)
        employees = 20 + i % 300
        st_staff = min(5 + i % 40, employees)  # never above the employees (the import refuses)
        figures = f"{employees},{st_staff},{1000 + i},{50 + i % 90},0"
        lines.append(f"{code},基准导入企业{i:05d},2018-03-01,2024,{figures}")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    t0 = time.perf_counter()
    report = registry_import(district=plan.district, data=data, filename="bench.csv", by=SYSTEM)
    import_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = registry_import(district=plan.district, data=data, filename="bench.csv", by=SYSTEM)
    reimport_s = time.perf_counter() - t0
    print(
        f"| import 10,000 new rows with a year's figures | {import_s:.2f} s | {report.created:,} |"
    )
    print(f"| the same file again (nothing changes) | {reimport_s:.2f} s | {again.unchanged:,} |")

    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        counts = registry_counts(plan=plan, year=2024)
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    print(f"| year-end counts (2024, {len(counts)} indicators) | {median:.2f} s | median of 5 |")

    setup_test_environment()
    office, _ = User.objects.get_or_create(username="bench_office", defaults={"role": "office"})
    client = Client()
    client.force_login(office)
    pages = [
        "/registry/",
        "/registry/?stage=high_tech",
        "/registry/?stage=startup&page=5",
        "/registry/?designation=tech_sme&industry=I65",
        "/registry/?street=310110019",
        "/registry/?q=%E6%99%BA%E8%83%BD",
        "/registry/?zone=west&functional_area=dachuangzhi",
        "/registry/open/",
        "/registry/map/",
        # (the API list needs the API's own authentication, not a session: not measured here)
        # not a list page: the funnel, cohorts and 培育库 over the whole district
        "/registry/ladder/",
        "/registry/ladder/?stage=specialised",
    ]
    print()
    print("| page | median | p95 | queries |")
    print("| --- | ---: | ---: | ---: |")
    for url in pages:
        samples = []
        repeat = args.repeat if "ladder" not in url else max(3, args.repeat // 4)
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        samples.sort()
        p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
        med, queries = statistics.median(samples), len(ctx.captured_queries)
        print(f"| `{url}` | {med:.0f} ms | {p95:.0f} ms | {queries} |")
    print(f"# load average at the end: {os.getloadavg()[0]:.1f} (1 min)")


if __name__ == "__main__":
    main()
