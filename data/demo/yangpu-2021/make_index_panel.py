"""Generate the demo panel of the Yangpu index indicators, 2013–2024 (演示数据 / demo data).

Deterministic (seed 2021) and documented, so anyone can regenerate ``index_panel.csv``:

    python data/demo/yangpu-2021/make_index_panel.py

How values are made: each indicator is anchored at the baseline value the plan states for it
(``data/plans/yangpu-2021/indicators.yaml``, mostly end-2020). A constant average growth rate is
drawn per indicator, uniformly between 3 % and 15 % a year, and a small random year-to-year wobble
(normal, sd 3 %) is added; the path is then scaled so the anchor year hits the stated baseline.
Counts are rounded to whole numbers (at least 1) and cumulative stocks never decrease.

Nothing here is tuned to reproduce the published index (261.4 in 2019, 17.4 % a year): the
published figures are facts for checking the CAGR function, and the demo index is whatever these
random paths give. Every row carries ``demo = 演示数据 demo``; never show it as real data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2021
YEARS = list(range(2013, 2025))
HERE = Path(__file__).resolve().parent
FRAMEWORK = HERE.parents[2] / "data" / "plans" / "yangpu-2021" / "index" / "framework.csv"

#: code → (anchor year, stated value, kind) from the plan package's indicators.yaml.
ANCHORS: dict[str, tuple[int, float, str]] = {
    "ACADEMICIANS": (2020, 66, "count"),
    "NATIONAL_OVERSEAS_TALENTS_CUMULATIVE": (2020, 256, "stock"),
    "RESEARCH_INSTITUTES": (2020, 100, "count"),
    "KEY_LABORATORIES": (2020, 33, "count"),
    "SUB_FUNDS_SIZE": (2020, 276, "amount"),
    "NATIONAL_UNIVERSITY_SCIENCE_PARKS": (2020, 7, "count"),
    "MAKER_SPACES_MOST_FILED": (2020, 14, "count"),
    "SCIENCE_PARKS": (2020, 20, "count"),
    "CROSS_PROVINCE_SERVICE_ITEMS": (2020, 88, "count"),
    "INVENTION_PATENTS_PER_10K": (2020, 99.04, "ratio"),
    "HIGH_TECH_ENTERPRISES": (2020, 973, "count"),
    "TECH_SMES": (2020, 8000, "count"),
    "NEW_STUDENT_STARTUPS": (2020, 2322, "flow"),
    "LISTED_COMPANIES": (2020, 104, "count"),
    "MNC_REGIONAL_HQ_AND_RD_CENTERS": (2020, 31, "count"),
    "STARTUP_STAR_CONTEST_ENTRANTS": (2020, 1000, "stock"),
    "INTERNATIONAL_FRIENDLY_CITIES": (2020, 5, "count"),
    "YRD_ALLIANCE_MEMBER_BASES": (2021, 25, "count"),
}


def make_panel(seed: int = SEED) -> pd.DataFrame:
    """The demo panel as a DataFrame (one row per year for the district)."""
    fw = pd.read_csv(FRAMEWORK)
    codes = [c for c in fw["code"] if c in ANCHORS]
    rng = np.random.default_rng(seed)
    t = np.array(YEARS, dtype=float)
    columns: dict[str, np.ndarray] = {}
    for code in codes:
        year, value, kind = ANCHORS[code]
        growth = rng.uniform(0.03, 0.15)
        wobble = rng.normal(0.0, 0.03, size=len(YEARS))
        path = np.exp(growth * (t - year) + wobble)
        path = path / path[YEARS.index(year)] * value
        if kind in ("count", "stock", "flow"):
            path = np.maximum(np.round(path), 1.0)
        if kind == "stock":
            path = np.maximum.accumulate(path)
        if kind in ("ratio", "amount"):
            path = np.round(path, 2)
        columns[code] = path.astype(int) if kind in ("count", "stock", "flow") else path
    frame = pd.DataFrame(columns)
    frame.insert(0, "demo", "演示数据 demo")
    frame.insert(0, "year", YEARS)
    frame.insert(0, "name_zh", "杨浦区")
    frame.insert(0, "unit", "YANGPU")
    return frame


if __name__ == "__main__":
    out = HERE / "index_panel.csv"
    make_panel().to_csv(out, index=False)
    print(f"wrote {out}")
