"""What an index run reads: the framework and pipeline of the plan package, the official
published values, and the flagged demo panel that fills the years without official values."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from nengji.index import Framework, read_framework
from nengji.monitoring.models import Observation
from nengji.plan.models import Indicator, Plan
from nengji.plan.packages import default_package_path

DEMO_FIRST_YEAR = 2013
DEMO_LAST_YEAR = 2024
UNIT = "YANGPU"
# File names the index-core branch may give the demo panel under data/demo/<plan code>/.
DEMO_PANEL_NAMES = ("index_panel.csv", "panel.csv", "index.csv", "data.csv")


def index_dir(plan: Plan) -> Path:
    return default_package_path(plan.code) / "index"


def has_framework(plan: Plan) -> bool:
    """Whether the plan's package defines a composite index (not every plan has one)."""
    try:
        return (index_dir(plan) / "framework.csv").is_file()
    except FileNotFoundError:  # no package on disk (e.g. a plan created in a test)
        return False


def framework_load(plan: Plan) -> Framework:
    return read_framework(index_dir(plan) / "framework.csv")


def spec_load(plan: Plan) -> dict[str, Any]:
    with (index_dir(plan) / "pipeline.yaml").open(encoding="utf-8") as fh:
        return dict(yaml.safe_load(fh))


def demo_dir(plan: Plan) -> Path:
    return default_package_path(plan.code).parents[1] / "demo" / plan.code


def demo_values(plan: Plan, framework: Framework) -> dict[tuple[str, int], float]:
    """(code, year) → demo value: the bundled demo panel if present, else a generated one."""
    for name in DEMO_PANEL_NAMES:
        path = demo_dir(plan) / name
        if path.is_file():
            return _read_panel(path, framework)
    return _generated_panel(plan, framework)


def _read_panel(path: Path, framework: Framework) -> dict[tuple[str, int], float]:
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    time_col = next(c for c in ("Time", "year", "Year") if c in frame.columns)
    out: dict[tuple[str, int], float] = {}
    if "code" in frame.columns and "value" in frame.columns:  # long format
        for row in frame.itertuples(index=False):
            if row.code in framework.indicators and pd.notna(row.value):
                out[(str(row.code), int(getattr(row, time_col)))] = float(row.value)
        return out
    for _, row in frame.iterrows():
        for code in framework.indicators:
            if code in frame.columns and pd.notna(row[code]):
                out[(code, int(row[time_col]))] = float(row[code])
    return out


def _generated_panel(plan: Plan, framework: Framework) -> dict[tuple[str, int], float]:
    """Demo values when no demo panel is bundled: each indicator grows at a steady rate of its
    own (−1 to 16 % a year, fixed by its code) through its plan baseline.
    Flagged demo, never real."""
    baselines = {
        i.code: (i.baseline_year, float(i.baseline_value))
        for i in Indicator.objects.filter(plan=plan, code__in=framework.indicators)
        if i.baseline_value is not None and i.baseline_year
    }
    out = {}
    for code in framework.indicators:
        year0, value0 = baselines.get(code, (2020, 100.0))
        digest = hashlib.sha256(code.encode()).digest()
        rate = -0.01 + (digest[0] / 255) * 0.17
        wiggle = (digest[1] / 255 - 0.5) * 0.04
        for year in range(DEMO_FIRST_YEAR, DEMO_LAST_YEAR + 1):
            step = (1 + rate + (wiggle if year % 2 else -wiggle)) ** (year - year0)
            out[(code, year)] = round(max(value0, 1.0) * step, 4)
    return out


def official_values(plan: Plan, codes: list[str]) -> dict[tuple[str, int], Observation]:
    """(code, year) → the latest published annual vintage of each framework indicator."""
    rows = (
        Observation.objects.filter(
            indicator__plan=plan,
            indicator__code__in=codes,
            quarter=0,
            published_at__isnull=False,
        )
        .select_related("indicator")
        .order_by("indicator_id", "year", "vintage")
    )
    out: dict[tuple[str, int], Observation] = {}
    for obs in rows:
        out[(obs.indicator.code, obs.year)] = obs  # type: ignore[union-attr]
    return out


def as_float(value: Decimal | float) -> float:
    return float(value)
