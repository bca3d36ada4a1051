"""Demo monitoring data for `nengji init --demo`: flagged assignments, targets and a published
history 2021–2024, plus an open 2025 round to try the workflow.

Every row written here has ``is_demo=True`` and every page that shows one says 演示数据 /
demo data. The figures are generated (baseline × a steady made-up growth), not real reports.
Assignments and targets go through the services (and the audit log); the history is written in
bulk as already-approved, already-published reports, with one audit entry per round saying so.
Calling it again changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from nengji.accounts.models import Role, User
from nengji.core.audit import audit_record
from nengji.monitoring import services
from nengji.monitoring.models import (
    Assignment,
    Observation,
    Round,
    Submission,
    Target,
    TaskStatus,
)
from nengji.plan import services as plan_services
from nengji.plan.demo import DemoConfig
from nengji.plan.models import Department, IndexDefinition, Indicator, Plan, Section

SHANGHAI = ZoneInfo("Asia/Shanghai")
TASK_CYCLE = (
    TaskStatus.ON_SCHEDULE,
    TaskStatus.ON_SCHEDULE,
    TaskStatus.LAGGING,
    TaskStatus.COMPLETED,
    TaskStatus.ON_SCHEDULE,
    TaskStatus.NOT_STARTED,
)


def _unit(code: str) -> float:
    """A stable pseudo-random number in [0, 1) from a code (no global random state)."""
    return int(hashlib.sha256(code.encode()).hexdigest()[:8], 16) / 0x100000000


def _growth(code: str) -> float:
    return 0.02 + 0.10 * _unit(code)  # +2 % … +12 % a year


#: units counted in whole numbers (家, 所, 名 …): a demo value never has decimals in these
WHOLE_UNITS = frozenset({"家", "所", "个", "名", "人", "支", "项", "人次", "次", "件", "届", "年"})


def is_whole(ind: Indicator) -> bool:
    return ind.unit_zh in WHOLE_UNITS


def is_years_count(ind: Indicator) -> bool:
    """A count of consecutive years (连续年数): one more each year, never judged by a trend."""
    return ind.unit_zh == "年"


def is_one_off(ind: Indicator) -> bool:
    """A one-off event (2017年…参观人次): a fact of the past, not monitored against a target."""
    return ind.progress_method == "none" and not is_years_count(ind)


def is_percent(ind: Indicator) -> bool:
    return ind.unit_zh.strip() == "%"


def demo_value(ind: Indicator, year: int, panel: dict[str, dict[int, Decimal]]) -> Decimal:
    """The demo value of an indicator for a year, in its unit.

    Index indicators take the demo panel's value (so the reports, the cockpit and the index
    agree); counts of years add one a year; rates and shares move a few tenths of a point a year
    and stay within 0–100 %; other counts grow steadily and are whole; amounts keep two decimals.
    """
    if year in panel.get(ind.code, {}):
        return panel[ind.code][year]
    if ind.baseline_value is None and ind.stated_target_min is not None:
        # a target the plan sets from nothing (2–3 示范园 by 2025): built up over the period
        plan = ind.plan
        span = plan.period_end - plan.period_start + 1
        done = (year - plan.period_start + 1) / span
        return Decimal(int(float(ind.stated_target_min) * done + 0.5))
    assert ind.baseline_value is not None and ind.baseline_year is not None
    base = float(ind.baseline_value)
    t = year - ind.baseline_year
    if is_years_count(ind):
        return Decimal(int(base) + t)
    wobble = _unit(f"{ind.code}{year}") - 0.5
    if is_percent(ind):
        slope = -0.3 + 1.1 * _unit(ind.code + "pp")  # −0.3 … +0.8 points a year
        value = min(99.0, max(0.1, base + slope * t + 0.3 * wobble))
        return Decimal(f"{value:.1f}")
    value = base * (1 + _growth(ind.code)) ** t * (1 + 0.01 * wobble)
    if is_whole(ind):
        return Decimal(max(int(base), round(value)) if ind.kind == "stock" else round(value))
    return Decimal(f"{value:.2f}")


def demo_target(ind: Indicator, target_year: int) -> Decimal | None:
    """A demo target (flagged, never official) in the indicator's unit; None for rates (a growth
    rate has no demo target) and for counts of years."""
    assert ind.baseline_value is not None and ind.baseline_year is not None
    years = target_year - ind.baseline_year
    base = float(ind.baseline_value)
    if is_years_count(ind) or ind.kind == "rate":
        return None
    if is_percent(ind):
        return Decimal(f"{min(95.0, base + (0.3 + 0.5 * _unit(ind.code + 'g')) * years):.1f}")
    g = 0.04 + 0.08 * _unit(ind.code + "g")
    value = base * (1 + g) ** years
    if is_whole(ind):
        return Decimal(max(int(base) + 1, round(value)))
    return Decimal(f"{value:.2f}")


def read_panel(path: Path | None) -> dict[str, dict[int, Decimal]]:
    """The flagged demo index panel: code → year → value."""
    out: dict[str, dict[int, Decimal]] = {}
    if path is None or not path.is_file():
        return out
    with path.open(encoding="utf-8", newline="") as fh:
        for record in csv.DictReader(fh):
            year = int(record.get("year") or 0)
            for code, text in record.items():
                if code and text and code not in ("unit", "name_zh", "year", "demo"):
                    try:
                        out.setdefault(code, {})[year] = Decimal(text)
                    except ArithmeticError:
                        continue
    return out


def _demo_indicators(plan: Plan) -> list[Indicator]:
    """Indicators that departments would report: with a positive baseline, and not the composite
    index itself (which is computed, never reported) nor its published statistics, nor a one-off
    event of the past (a 2017 visitor count is not monitored against 2025)."""
    official = plan_index_indicators(plan)
    return [
        i
        for i in plan.indicators.order_by("order", "id")
        if (
            (i.baseline_value is not None and i.baseline_year and i.baseline_value > 0)
            or (i.baseline_value is None and i.stated_target_min is not None)
        )
        and i.kind != "index"
        and i.pk not in official
        and not is_one_off(i)
    ]


def plan_index_indicators(plan: Plan) -> set[int]:
    """Indicators that are statistics of the composite index (its value, its growth)."""
    definition = IndexDefinition.objects.filter(plan=plan).first()
    if definition is None or definition.official_indicator_id is None:
        return set()
    ind = definition.official_indicator
    assert ind is not None
    return set(plan.indicators.filter(code__startswith=ind.code).values_list("pk", flat=True))


def _pick(code: str | None, departments: dict[str, Department]) -> Department:
    if code in departments:
        return departments[code]
    return next(iter(departments.values()))


@transaction.atomic
def demo_monitoring_ensure(*, plan: Plan, config: DemoConfig, by: Any = None) -> bool:
    """Create the demo monitoring data once. Returns False when it already exists."""
    if not config.history_years:
        return False
    if Round.objects.filter(plan=plan, is_demo=True).exists():
        return False
    office = by or User.objects.filter(role=Role.OFFICE).order_by("id").first()
    if office is None:
        raise RuntimeError("create the demo users first (an office user writes the demo data)")
    departments = {d.code: d for d in Department.objects.filter(district_id=plan.district_id)}
    indicators = _demo_indicators(plan)
    for ind in indicators:
        if not Assignment.objects.filter(plan=plan, indicator=ind).exists():
            services.assignment_set(
                plan=plan,
                indicator=ind,
                by=office,
                is_demo=True,
                lead=_pick(config.lead_for_indicator(ind.code), departments),
                min_value=Decimal(0),
            )
        if (
            not Target.objects.filter(indicator=ind).exists()
            and ind.baseline_value is not None
            and ind.stated_target_min is None
            and _unit(ind.code + "t") < 0.6
        ):
            value = demo_target(ind, plan.period_end)
            if value is None:
                continue
            services.target_set(
                indicator=ind,
                target_year=plan.period_end,
                target_value=value,
                by=office,
                basis="演示目标：按基期值和假设增速推算，非官方目标（demo target）",
                nature=Target.Nature.EXPECTED,
                is_demo=True,
            )
    _demo_key_projects(plan=plan, config=config, office=office)
    measures = list(
        plan.sections.filter(kind__in=[Section.Kind.MEASURE, Section.Kind.PROJECT])
        .select_related("parent")
        .order_by("order", "id")
    )
    for m in measures:
        if not Assignment.objects.filter(plan=plan, section=m).exists():
            task = m.parent
            while task is not None and task.kind != Section.Kind.TASK:
                task = task.parent
            code = config.lead_for_measure(m.code, task.code if task is not None else None)
            services.assignment_set(
                plan=plan,
                section=m,
                lead=_pick(code, departments),
                by=office,
                is_demo=True,
            )
    panel = read_panel(config.index_panel)
    for year in config.history_years:
        _demo_round(plan=plan, year=year, office=office, panel=panel)
    if config.live_year is not None:
        # the round to try the workflow in: open, with a deadline still ahead
        live_deadline = max(
            dt.datetime(config.live_year + 1, 3, 31, 17, tzinfo=SHANGHAI),
            timezone.now() + dt.timedelta(days=30),
        )
        services.round_open(
            plan=plan, year=config.live_year, by=office, is_demo=True, deadline=live_deadline
        )
    return True


def _demo_key_projects(*, plan: Plan, config: DemoConfig, office: Any) -> None:
    """Key projects the office would add itself; flagged is_demo and titled 演示."""
    for p in config.key_projects:
        parent = plan.sections.filter(code=p.parent).first()
        if parent is None or plan.sections.filter(code=p.code).exists():
            continue
        plan_services.key_project_save(
            plan=plan,
            parent=parent,
            code=p.code,
            title_zh=p.title_zh,
            title_en=p.title_en,
            description_zh="演示重点项目：由规划办添加，非规划原文，亦非真实项目进展。",
            by=office,
            is_demo=True,
        )


def _demo_round(
    *, plan: Plan, year: int, office: Any, panel: dict[str, dict[int, Decimal]]
) -> Round:
    deadline = dt.datetime(year + 1, 3, 31, 17, tzinfo=SHANGHAI)
    rnd = services.round_open(plan=plan, year=year, deadline=deadline, by=office, is_demo=True)
    published = dt.datetime(year + 1, 4, 30, 10, tzinfo=SHANGHAI)
    # the plan's own reports only: partner regions' benchmark reports are their demo's
    subs = list(
        rnd.submissions.filter(assignment__unit__isnull=True).select_related(
            "assignment__indicator", "assignment__section"
        )
    )
    last_vintage: dict[int, int] = {}
    for ind_id, vintage in Observation.objects.filter(
        indicator__plan=plan, year=year, quarter=0
    ).values_list("indicator_id", "vintage"):
        last_vintage[ind_id] = max(vintage, last_vintage.get(ind_id, 0))
    observations = []
    for sub in subs:
        a = sub.assignment
        if a.indicator_id:
            ind = a.indicator
            assert ind is not None
            sub.value = demo_value(ind, year, panel)
            sub.explanation = "演示数据"
        else:
            k = int(_unit(a.section.code) * 97) + year  # type: ignore[union-attr]
            status = TASK_CYCLE[k % len(TASK_CYCLE)]
            sub.task_status = status
            sub.percent_complete = {TaskStatus.NOT_STARTED: 0, TaskStatus.COMPLETED: 100}.get(
                status, min(95, 20 * (year - 2020) + k % 10)
            )
            sub.narrative = f"演示进展（{year}年）"
        sub.status = Submission.Status.APPROVED
        sub.submitted_at = deadline - dt.timedelta(days=5)
        sub.reviewed_by = office
        sub.reviewed_at = deadline + dt.timedelta(days=7)
        sub.version = 4
        sub.is_demo = True
        if a.indicator_id and sub.value is not None:
            observations.append(
                Observation(
                    indicator_id=a.indicator_id,
                    year=year,
                    value=sub.value,
                    vintage=last_vintage.get(a.indicator_id, 0) + 1,
                    source=Observation.Source.SUBMISSION,
                    submission=sub,
                    source_note=f"{sub.department.code} · round {year} · 演示数据",
                    recorded_by=office,
                    recorded_at=sub.reviewed_at,
                    published_at=published,
                    is_demo=True,
                )
            )
    Submission.objects.bulk_update(
        subs,
        [
            "value",
            "explanation",
            "task_status",
            "percent_complete",
            "narrative",
            "status",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "version",
            "is_demo",
        ],
        batch_size=500,
    )
    Observation.objects.bulk_create(observations, batch_size=500)
    rnd.status = Round.Status.PUBLISHED
    rnd.published_at = published
    rnd.save(update_fields=["status", "published_at"])
    audit_record(
        actor=office,
        action="demo_seed",
        obj=rnd,
        label=f"round {rnd.label} (demo)",
        after={
            "reports": len(subs),
            "values": len(observations),
            "note": "generated demo history, approved and published in bulk",
        },
    )
    return rnd


@transaction.atomic
def demo_panel_load(*, plan: Plan, path: Path) -> int:
    """Load a flagged demo panel (one row per year, one column per indicator code) as demo
    values: published observations with ``source=demo`` and ``is_demo``, vintage 1, so that the
    index and every page read them like any value and say 演示数据. Values already loaded are
    kept (idempotent); a year that has an official value keeps it (it is a later vintage).
    Returns the number of values added."""
    codes = {i.code: i for i in plan.indicators.all()}
    existing = set(
        Observation.objects.filter(
            indicator__plan=plan, source=Observation.Source.DEMO
        ).values_list("indicator_id", "year")
    )
    taken = set(
        Observation.objects.filter(indicator__plan=plan, quarter=0).values_list(
            "indicator_id", "year"
        )
    )
    now = timezone.now()
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for record in csv.DictReader(fh):
            year = int(record.get("year") or record.get("Time") or 0)
            for code, text in record.items():
                ind = codes.get(code)
                if ind is None or not text or (ind.pk, year) in existing | taken:
                    continue
                rows.append(
                    Observation(
                        indicator=ind,
                        year=year,
                        value=Decimal(text),
                        vintage=1,
                        source=Observation.Source.DEMO,
                        source_note="演示数据 demo panel",
                        recorded_at=now,
                        published_at=now,
                        is_demo=True,
                    )
                )
    Observation.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
