"""Benchmark: open a reporting round and import a 5,000-row Excel upload.

    python benchmarks/monitoring_round.py                    # SQLite in a temporary data dir
    python benchmarks/monitoring_round.py --pg postgres://postgres@127.0.0.1:5432/postgres

With --pg the script (re)creates a scratch database `nengji_bench` on that server and drops it
afterwards. It builds a synthetic plan with N indicators all assigned to one department, then
times the services exactly as the web and the API call them: `round_open` (one draft report per
assignment), `template_build` (the department's .xlsx), `submissions_import` (all rows, all or
nothing, with validation and one audit entry per row) and the same upload with submit.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _pg_scratch(url: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS nengji_bench")
        conn.execute("CREATE DATABASE nengji_bench")
    return url.rsplit("/", 1)[0] + "/nengji_bench"


def _pg_drop(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS nengji_bench")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--pg", help="a PostgreSQL server URL (a scratch database is made)")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="nengji-bench-")
    os.environ["NENGJI_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = _pg_scratch(args.pg) if args.pg else ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "nengji.web.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from openpyxl import load_workbook

    from nengji.accounts.models import User
    from nengji.monitoring import services
    from nengji.monitoring.excel import COL, DATA_SHEET, FIRST_ROW, template_build
    from nengji.monitoring.models import Assignment, AuditEntry, Submission
    from nengji.plan.models import Department, Indicator, Plan

    call_command("migrate", verbosity=0)
    plan = Plan.objects.create(
        code="bench",
        title_zh="基准测试规划",
        issuer_zh="测试",
        doc_number="-",
        period_start=2021,
        period_end=2025,
        source_text="-",
        source_sha256="0" * 64,
        package_sha256="0" * 64,
        loaded_at=timezone.now(),
    )
    dept = Department.objects.create(code="STC", name_zh="区科委")
    office = User.objects.create_user("office", password="x" * 12, role="office")
    reporter = User.objects.create_user("rep", password="x" * 12, role="reporter", department=dept)
    inds = Indicator.objects.bulk_create(
        [
            Indicator(
                plan=plan,
                code=f"I{i:05d}",
                order=i,
                name_zh=f"指标{i}",
                unit_zh="家",
                baseline_year=2020,
                baseline_value=Decimal(100 + i % 50),
            )
            for i in range(args.rows)
        ],
        batch_size=1000,
    )
    Assignment.objects.bulk_create(
        [Assignment(plan=plan, indicator=ind, lead=dept, min_value=Decimal(0)) for ind in inds],
        batch_size=1000,
    )
    print(f"database: {connection.vendor}; rows: {args.rows}")

    timings: dict[str, float] = {}

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        result = fn()
        timings[name] = time.perf_counter() - t
        print(f"{name:40} {timings[name]:7.2f} s")
        return result

    deadline = timezone.now() + timezone.timedelta(days=30)
    rnd = timed(
        "round_open",
        lambda: services.round_open(plan=plan, year=2021, deadline=deadline, by=office),
    )
    assert Submission.objects.filter(round=rnd).count() == args.rows
    data = timed("template_build (.xlsx)", lambda: template_build(round=rnd, department=dept))

    def fill(*, bad: bool = False) -> bytes:
        wb = load_workbook(io.BytesIO(data))
        ws = wb[DATA_SHEET]
        for r in range(FIRST_ROW, FIRST_ROW + args.rows):
            ws[f"{COL['value']}{r}"] = 110 + r % 7
        if bad:
            ws[f"{COL['value']}{FIRST_ROW + args.rows - 1}"] = "n/a"
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    filled = fill()
    broken = fill(bad=True)
    print(f"upload size: {len(filled) / 1024:.0f} KiB")
    from nengji.monitoring.errors import MonitoringError

    def rejected() -> None:
        try:
            services.submissions_import(round=rnd, department=dept, data=broken, by=reporter)
        except MonitoringError as exc:
            assert exc.detail[0].row == FIRST_ROW + args.rows - 1
        else:
            raise AssertionError("the broken upload was accepted")

    timed("submissions_import, 1 bad cell (rejected)", rejected)
    assert AuditEntry.objects.filter(object_type="submission").count() == 0
    result = timed(
        "submissions_import (save drafts)",
        lambda: services.submissions_import(round=rnd, department=dept, data=filled, by=reporter),
    )
    assert result.updated == args.rows
    fresh = template_build(round=rnd, department=dept)
    data = fresh
    refill = fill()
    timed(
        "submissions_import (save + submit)",
        lambda: services.submissions_import(
            round=rnd, department=dept, data=refill, by=reporter, submit=True
        ),
    )
    assert Submission.objects.filter(round=rnd, status="submitted").count() == args.rows
    connection.close()
    if args.pg:
        _pg_drop(args.pg)


if __name__ == "__main__":
    main()
