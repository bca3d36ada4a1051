"""Demo monitoring data for `nengji init --demo`: flagged assignments, targets and a published
history 2021–2024, plus an open 2025 round to try the workflow.

Every row written here has ``is_demo=True`` and every page that shows one says 演示数据 /
demo data. The figures are generated (baseline × a steady made-up growth), not real reports.
Assignments and targets go through the services (and the audit log); the history is written in
bulk as already-approved, already-published reports, with one audit entry per round saying so.
Calling it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from nengji.accounts.models import Role, User
from nengji.monitoring import services
from nengji.monitoring.audit import audit_record
from nengji.monitoring.models import (
    Assignment,
    Observation,
    Round,
    Submission,
    Target,
    TaskStatus,
)
from nengji.plan.models import Department, Indicator, Plan, Section
from nengji.plan.selectors import plan_get

SHANGHAI = ZoneInfo("Asia/Shanghai")
HISTORY_YEARS = (2021, 2022, 2023, 2024)
LIVE_YEAR = 2025

# (substring of the indicator code, lead department); first match wins, default STC.
LEADS = (
    ("TALENT", "TALENT"),
    ("ACADEMICIANS", "TALENT"),
    ("FUND", "FIN"),
    ("LISTED", "FINO"),
    ("_AVG_GROWTH", "DRC"),
    ("TERTIARY", "DRC"),
    ("MNC_", "COMM"),
    ("CROSS_PROVINCE", "GOVSVC"),
    ("BUSINESS_ENVIRONMENT", "GOVSVC"),
    ("UNIVERSITIES", "EDU"),
    ("STUDENT", "HRSS"),
    ("DESIGN_SMES", "HTJ"),
    ("FRIENDLY", "FAO"),
    ("YRD_", "COOP"),
)
# measures of tasks T01…T12, in turn
MEASURE_LEADS = (
    "STC",
    "DRC",
    "STC",
    "COMM",
    "STC",
    "DRC",
    "TALENT",
    "FINO",
    "STC",
    "DRC",
    "GOVSVC",
    "STC",
)
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
    return -0.02 + 0.16 * _unit(code)  # −2 % … +14 % a year


def _demo_indicators(plan: Plan) -> list[Indicator]:
    return [
        i
        for i in plan.indicators.order_by("order", "id")
        if i.baseline_value is not None
        and i.baseline_year
        and i.kind != "index"
        and "INDEX" not in i.code
        and i.baseline_value > 0
    ]


def _lead(code: str, departments: dict[str, Department]) -> Department:
    for key, dept in LEADS:
        if key in code and dept in departments:
            return departments[dept]
    return departments["STC"]


@transaction.atomic
def demo_monitoring_ensure(*, by: Any = None) -> bool:
    """Create the demo monitoring data once. Returns False when it already exists."""
    plan = plan_get()
    if Round.objects.filter(plan=plan, is_demo=True).exists():
        return False
    office = by or User.objects.filter(role=Role.OFFICE).order_by("id").first()
    if office is None:
        raise RuntimeError("create the demo users first (an office user writes the demo data)")
    departments = {d.code: d for d in Department.objects.all()}
    indicators = _demo_indicators(plan)
    for ind in indicators:
        if not Assignment.objects.filter(plan=plan, indicator=ind).exists():
            services.assignment_set(
                plan=plan,
                indicator=ind,
                by=office,
                is_demo=True,
                lead=_lead(ind.code, departments),
                min_value=Decimal(0),
            )
        if not Target.objects.filter(indicator=ind).exists() and _unit(ind.code + "t") < 0.6:
            g = 0.04 + 0.08 * _unit(ind.code + "g")
            value = float(ind.baseline_value) * (1 + g) ** (2025 - ind.baseline_year)
            services.target_set(
                indicator=ind,
                target_year=2025,
                target_value=Decimal(f"{value:.2f}"),
                by=office,
                basis="演示目标：按基期值和假设增速推算，非官方目标（demo target）",
                nature=Target.Nature.EXPECTED,
                is_demo=True,
            )
    _demo_key_projects(plan=plan, office=office)
    measures = list(
        plan.sections.filter(kind__in=[Section.Kind.MEASURE, Section.Kind.PROJECT])
        .select_related("parent")
        .order_by("order", "id")
    )
    for m in measures:
        if not Assignment.objects.filter(plan=plan, section=m).exists():
            task_no = int(
                "".join(c for c in (m.parent.code if m.parent else "T01")[:3] if c.isdigit()) or 1
            )
            code = MEASURE_LEADS[(task_no - 1) % len(MEASURE_LEADS)]
            services.assignment_set(
                plan=plan,
                section=m,
                lead=departments.get(code, departments["STC"]),
                by=office,
                is_demo=True,
            )
    for year in HISTORY_YEARS:
        _demo_round(plan=plan, year=year, office=office)
    # the round to try the workflow in: open, with a deadline still ahead
    live_deadline = max(
        dt.datetime(LIVE_YEAR + 1, 3, 31, 17, tzinfo=SHANGHAI),
        timezone.now() + dt.timedelta(days=30),
    )
    services.round_open(plan=plan, year=LIVE_YEAR, by=office, is_demo=True, deadline=live_deadline)
    return True


# Demo key projects (重点项目): the plan names these sites under T06's 大创谷 measure; the
# office would add them itself. Flagged is_demo and titled 演示 so nobody takes them as real.
DEMO_KEY_PROJECTS = (
    ("T06.M3", "T06.M3.P1", "长阳创谷四期（演示）", "Changyang Valley phase IV (demo)"),
    ("T06.M3", "T06.M3.P2", "互联宝地二期（演示）", "Hulian Baodi phase II (demo)"),
)


def _demo_key_projects(*, plan: Plan, office: Any) -> None:
    for parent_code, code, title_zh, title_en in DEMO_KEY_PROJECTS:
        parent = plan.sections.filter(code=parent_code).first()
        if parent is None or plan.sections.filter(code=code).exists():
            continue
        services.key_project_save(
            plan=plan,
            parent=parent,
            code=code,
            title_zh=title_zh,
            title_en=title_en,
            description_zh="演示重点项目：由规划办添加，非规划原文，亦非真实项目进展。",
            by=office,
            is_demo=True,
        )


def _demo_round(*, plan: Plan, year: int, office: Any) -> Round:
    deadline = dt.datetime(year + 1, 3, 31, 17, tzinfo=SHANGHAI)
    rnd = services.round_open(plan=plan, year=year, deadline=deadline, by=office, is_demo=True)
    published = dt.datetime(year + 1, 4, 30, 10, tzinfo=SHANGHAI)
    subs = list(rnd.submissions.select_related("assignment__indicator", "assignment__section"))
    observations = []
    for sub in subs:
        a = sub.assignment
        if a.indicator_id:
            ind = a.indicator
            assert ind is not None and ind.baseline_value is not None
            t = year - (ind.baseline_year or 2020)
            wobble = 1 + 0.01 * (_unit(f"{ind.code}{year}") - 0.5)
            value = float(ind.baseline_value) * (1 + _growth(ind.code)) ** t * wobble
            sub.value = Decimal(f"{value:.2f}")
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
        if a.indicator_id:
            observations.append(
                Observation(
                    indicator_id=a.indicator_id,
                    year=year,
                    value=sub.value,
                    vintage=1,
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
