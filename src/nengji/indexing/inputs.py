"""What an index run reads: the framework and pipeline of the plan package, the official
published values, and the flagged demo panel that fills the years without official values."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from nengji.index import Framework, read_framework
from nengji.monitoring.models import Observation
from nengji.plan.models import Plan
from nengji.plan.packages import default_package_path

UNIT = "YANGPU"
# The flagged demo panel of a plan: data/demo/<plan code>/index_panel.csv (wide: one row per
# year, one column per indicator code; or long: code, year, value).
DEMO_PANEL_NAMES = ("index_panel.csv",)


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
    """(code, year) → demo value from the plan's flagged demo panel (none if it has no panel)."""
    for name in DEMO_PANEL_NAMES:
        path = demo_dir(plan) / name
        if path.is_file():
            return _read_panel(path, framework)
    return {}


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
