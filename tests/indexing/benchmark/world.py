"""A small benchmark built through the real services: a mini plan with four indicators in two
dimensions, its own district and three partner regions, and published values per base."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from nengji.core.models import Organisation
from nengji.indexing.models import Benchmark, BenchmarkBase
from nengji.monitoring import services
from nengji.monitoring.models import Observation
from nengji.plan.models import Plan
from tests.monitoring import factories as f

FRAMEWORK = [
    {"code": "MINI", "name_zh": "测试基准指数", "parent": None, "weight": 1, "direction": 1},
    {"code": "D1", "name_zh": "要素", "parent": "MINI", "weight": 1, "direction": 1},
    {"code": "D2", "name_zh": "成果", "parent": "MINI", "weight": 1, "direction": 1},
    {"code": "A1", "name_zh": "指标甲", "parent": "D1", "weight": 1, "direction": 1},
    {"code": "A2", "name_zh": "指标乙", "parent": "D1", "weight": 1, "direction": 1},
    {"code": "B1", "name_zh": "指标丙", "parent": "D2", "weight": 1, "direction": 1},
    {"code": "B2", "name_zh": "指标丁", "parent": "D2", "weight": 1, "direction": 1},
]
SPEC = {
    "steps": [
        {"step": "screen", "by": "na", "min_share": 0.75},
        {"step": "normalise", "method": "minmax", "lower": 1, "upper": 100},
        {"step": "aggregate", "method": "arithmetic"},
    ]
}
UNCERTAINTY = {
    "runs": 200,
    "sobol": 32,
    "seed": 7,
    "inputs": [
        {
            "name": "normalisation",
            "param": "normalise",
            "values": [
                {"method": "minmax", "lower": 1, "upper": 100},
                {"method": "zscore", "mean": 100, "sd": 10},
            ],
        },
        {"name": "weights", "param": "weights", "noise": 0.25, "levels": [1, 2]},
    ],
}
PARTNERS = (
    ("WUJIN", "320412", "常州武进"),
    ("NANHU", "330402", "嘉兴南湖"),
    ("HEFEI", "340171", "合肥高新区"),
)
#: base → indicator → value (2022)
VALUES = {
    "OWN": {"A1": 100, "A2": 33, "B1": 973, "B2": 99},
    "WUJIN": {"A1": 28, "A2": 12, "B1": 1105, "B2": 58},
    "NANHU": {"A1": 15, "A2": 6, "B1": 420, "B2": 41},
    "HEFEI": {"A1": 65, "A2": 40, "B1": 1780, "B2": 165},
}


def build(*, with_values: bool = True) -> dict[str, Any]:
    plan = f.plan()
    indicators = {c: f.indicator(plan, c, baseline="10") for c in ("A1", "A2", "B1", "B2")}
    benchmark = Benchmark.objects.create(
        plan=plan,
        code="MINI",
        name_zh="测试基准指数",
        first_year=2021,
        framework=FRAMEWORK,
        spec=SPEC,
        uncertainty=UNCERTAINTY,
        loaded_at=timezone.now(),
    )
    bases: dict[str, BenchmarkBase] = {
        "OWN": BenchmarkBase.objects.create(
            benchmark=benchmark,
            code="OWN",
            name_zh="本区",
            own=True,
            organisation=plan.district,
            order=0,
        )
    }
    bodies = {}
    for n, (code, division, name) in enumerate(PARTNERS, start=1):
        region, body = f.partner(division, name)
        services.assignments_sync(
            plan=plan, unit=region, lead=body, indicators=list(indicators.values())
        )
        bases[code] = BenchmarkBase.objects.create(
            benchmark=benchmark,
            code=code,
            name_zh=name,
            organisation=region,
            reporter=body,
            order=n,
        )
        bodies[code] = body
    world = {
        "plan": plan,
        "indicators": indicators,
        "benchmark": benchmark,
        "bases": bases,
        "bodies": bodies,
    }
    if with_values:
        publish(world, 2022, VALUES)
    return world


def publish(world: dict[str, Any], year: int, values: dict[str, dict[str, float]]) -> None:
    """Published official values (as an approved, published round leaves them)."""
    now = timezone.now() - dt.timedelta(minutes=1)
    plan: Plan = world["plan"]
    for base_code, row in values.items():
        base = world["bases"][base_code]
        unit: Organisation | None = None if base.own else base.organisation
        for code, value in row.items():
            ind = world["indicators"][code]
            last = (
                Observation.every_unit.filter(indicator=ind, unit=unit, year=year)
                .order_by("-vintage")
                .first()
            )
            Observation.every_unit.create(
                indicator=ind,
                unit=unit,
                year=year,
                value=Decimal(str(value)),
                vintage=(last.vintage + 1) if last else 1,
                source=Observation.Source.EXTERNAL,
                source_note=f"test {plan.code}",
                recorded_at=now,
                published_at=now,
            )
