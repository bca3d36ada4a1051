"""Demo data of the benchmark (`nengji demo`, the whole story): the partner bases' reports,
flagged.

The three partner bases report the framework's indicators in the demo history rounds (approved
and published, as the plan's own demo history is) and in the live round in several states
(submitted and waiting for review, a draft half filled in, approved but not yet published).
Values come from ``benchmark.csv`` in the plan's demo folder: a 2020 value per base and
indicator, a constant growth rate and the first year the base reports it (so one base is
screened out in its first year). Counts are whole numbers. Every row is ``is_demo`` and every
page that shows one says 演示数据. Then the runs of the history years are computed and all but
the last published, so the office has one to review and publish. Calling it again changes
nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from nengji.accounts.demo import demo_login_ensure
from nengji.accounts.models import Role, User
from nengji.core.audit import audit_record
from nengji.indexing.benchmark.services import (
    BenchmarkError,
    benchmark_publish,
    benchmark_run_ensure,
)
from nengji.indexing.models import Benchmark, BenchmarkBase, BenchmarkRun
from nengji.monitoring.models import Observation, Round, Submission
from nengji.plan.models import Plan

DEMO_FILE = "benchmark.csv"
#: units whose values are not counts (two decimals); everything else is a whole count
DECIMAL_UNITS = ("件/万人", "%", "亿元")


@dataclass(frozen=True)
class DemoSeries:
    base: str
    code: str
    value_2020: Decimal
    growth: Decimal
    first_year: int


def read_demo(path: Path) -> dict[tuple[str, str], DemoSeries]:
    out = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            s = DemoSeries(
                base=r["base"],
                code=r["code"],
                value_2020=Decimal(r["value_2020"]),
                growth=Decimal(r["growth"]),
                first_year=int(r["first_year"]),
            )
            out[(s.base, s.code)] = s
    return out


def demo_value(series: DemoSeries, year: int, unit: str) -> Decimal | None:
    """The demo value of ``year`` (None before the base reports the indicator)."""
    if year < series.first_year:
        return None
    value = series.value_2020 * (1 + series.growth) ** (year - 2020)
    if unit in DECIMAL_UNITS:
        return value.quantize(Decimal("0.01"))
    return value.quantize(Decimal(1))


def _fill(sub: Submission, value: Decimal, status: str, at: dt.datetime, office: Any) -> None:
    sub.value = value
    sub.explanation = "演示数据"
    sub.status = status
    sub.updated_at = at
    sub.is_demo = True
    if status in (Submission.Status.SUBMITTED, Submission.Status.APPROVED):
        sub.submitted_at = at
        sub.version = 3
    else:
        sub.version = 2
    if status == Submission.Status.APPROVED:
        sub.reviewed_by = office
        sub.reviewed_at = at + dt.timedelta(days=7)
        sub.version = 4


#: the live round: what each partner base has done so far
LIVE_STATES = {
    "WUJIN": Submission.Status.SUBMITTED,
    "NANHU": Submission.Status.DRAFT,
    "HEFEI_HTZ": Submission.Status.APPROVED,
}


@transaction.atomic
def demo_benchmark_ensure(*, plan: Plan, demo_dir: Path, data_dir: Path | None = None) -> bool:
    """Create the partners' demo reports, runs and publications once (False: nothing to do)."""
    path = demo_dir / DEMO_FILE
    benchmark = Benchmark.objects.filter(plan=plan).first()
    if benchmark is None or not path.exists():
        return False
    if data_dir is not None:
        _demo_users(benchmark, data_dir)
    if Observation.every_unit.filter(indicator__plan=plan, unit__isnull=False).exists():
        return False
    office = User.objects.filter(role=Role.OFFICE).order_by("id").first()
    if office is None:
        return False
    series = read_demo(path)
    bases = {
        b.organisation_id: b
        for b in BenchmarkBase.objects.filter(benchmark=benchmark, own=False, active=True)
    }
    rounds = list(Round.objects.filter(plan=plan, quarter=0, is_demo=True).order_by("year"))
    history = [r for r in rounds if r.status == Round.Status.PUBLISHED]
    observations = []
    for rnd in rounds:
        subs = list(
            Submission.objects.filter(round=rnd, sequence=1, assignment__unit__isnull=False)
            .select_related("assignment__indicator")
            .order_by("id")
        )
        published = rnd.status == Round.Status.PUBLISHED
        changed = []
        for sub in subs:
            unit_id, ind = sub.assignment.unit_id, sub.assignment.indicator
            base = bases.get(unit_id) if unit_id is not None else None
            if base is None or ind is None or (base.code, ind.code) not in series:
                continue
            value = demo_value(series[(base.code, ind.code)], rnd.year, ind.unit_zh)
            if value is None:
                continue
            at = rnd.deadline - dt.timedelta(days=10)
            if published:
                status = Submission.Status.APPROVED
            else:
                status = LIVE_STATES.get(base.code, Submission.Status.DRAFT)
            _fill(sub, value, status, at, office)
            changed.append(sub)
            if status == Submission.Status.APPROVED:
                observations.append(
                    Observation(
                        indicator=ind,
                        unit_id=base.organisation_id,
                        year=rnd.year,
                        value=value,
                        vintage=1,
                        source=Observation.Source.SUBMISSION,
                        submission=sub,
                        source_note=f"{base.code} · round {rnd.label} · 演示数据",
                        recorded_by=office,
                        recorded_at=at + dt.timedelta(days=7),
                        published_at=rnd.published_at if published else None,
                        is_demo=True,
                    )
                )
        Submission.objects.bulk_update(
            changed,
            [
                "value",
                "explanation",
                "status",
                "updated_at",
                "submitted_at",
                "reviewed_by",
                "reviewed_at",
                "version",
                "is_demo",
            ],
            batch_size=500,
        )
        audit_record(
            actor=office,
            action="demo_seed",
            obj=rnd,
            label=f"round {rnd.label} partner reports (demo)",
            after={"reports": len(changed), "note": "generated demo partner reports"},
        )
    Observation.every_unit.bulk_create(observations, batch_size=500)
    runs = []
    for rnd in history:
        try:
            run, _ = benchmark_run_ensure(
                benchmark=benchmark, year=rnd.year, trigger=BenchmarkRun.Trigger.DEMO, by=office
            )
        except BenchmarkError:
            continue
        runs.append(run)
    for run in runs[:-1]:
        benchmark_publish(benchmark=benchmark, year=run.year, by=office)
    return True


def _demo_users(benchmark: Benchmark, data_dir: Path) -> None:
    """A region user and a reporter for the first partner base (演示)."""
    base = (
        BenchmarkBase.objects.filter(benchmark=benchmark, own=False, active=True)
        .select_related("organisation", "reporter__organisation")
        .order_by("order")
        .first()
    )
    if base is None or base.reporter is None:
        return
    slug = base.code.lower()
    demo_login_ensure(
        data_dir=data_dir,
        username=f"region_{slug}",
        role=Role.REGION,
        organisation=base.organisation,
        display_name=f"{base.name_zh}（演示）",
    )
    demo_login_ensure(
        data_dir=data_dir,
        username=f"reporter_{slug}",
        role=Role.REPORTER,
        organisation=base.reporter.organisation,
        display_name=f"{base.name_zh}填报员（演示）",
    )
