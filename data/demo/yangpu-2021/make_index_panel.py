"""Generate the demo panel of the Yangpu index indicators, 2013–2024 (演示数据 / demo data).

Deterministic (seed 2021) and documented, so anyone can regenerate ``index_panel.csv``:

    python data/demo/yangpu-2021/make_index_panel.py

What the panel has to be, and how it gets there:

* **Anchored on the plan.** Each indicator passes through the baseline the plan states for it
  (``data/plans/yangpu-2021/indicators.yaml``, mostly end-2020): 973 高新技术企业 in 2020 etc.
* **Respecting units.** Counts of 家/所/名/人/个/项 are whole numbers; stocks (cumulative counts)
  never fall; amounts (亿元) and ratios (件/万人) keep two decimals.
* **Plausible per indicator.** Each indicator grows at a pace in a range that fits what it
  measures (academicians and research institutes slowly, funds and maker spaces fast), with a
  small year-to-year wobble; after 2020 every pace slows to between half and four fifths.
* **Calibrated on the published index.** The index the engine computes from this panel (each
  series indexed to 2013 = 100, equal weights within and across the four dimensions) reproduces
  the plan's published figures: 2019 = 261.4, i.e. 17.4 % a year since 2013. A common factor on
  all paces is found by bisection, then the 2013 value of 子基金规模 (the one continuous amount)
  is set so that 2019 lands on 261.4 despite whole-number rounding elsewhere.

Every row carries ``demo = 演示数据 demo``; never show it as real data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2021
YEARS = list(range(2013, 2025))
HERE = Path(__file__).resolve().parent
FRAMEWORK = HERE.parents[2] / "data" / "plans" / "yangpu-2021" / "index" / "framework.csv"
PUBLISHED_YEAR = 2019
PUBLISHED_INDEX = 261.4  # 《规划》：杨浦区双创综合指数 2019 年提升到 261.4（2013 年 = 100）
FREE = "SUB_FUNDS_SIZE"  # the continuous series whose 2013 value absorbs rounding

#: code → (anchor year, value stated in the plan, kind, annual pace range 2013–2020).
#: kind: count (whole), stock (whole, never falls), flow (whole, may fall), amount/ratio (2 dp).
ANCHORS: dict[str, tuple[int, float, str, tuple[float, float]]] = {
    "ACADEMICIANS": (2020, 66, "stock", (0.02, 0.04)),
    "NATIONAL_OVERSEAS_TALENTS_CUMULATIVE": (2020, 256, "stock", (0.14, 0.18)),
    "RESEARCH_INSTITUTES": (2020, 100, "count", (0.01, 0.03)),
    "KEY_LABORATORIES": (2020, 33, "stock", (0.03, 0.06)),
    "SUB_FUNDS_SIZE": (2020, 276, "amount", (0.30, 0.36)),
    "NATIONAL_UNIVERSITY_SCIENCE_PARKS": (2020, 7, "stock", (0.03, 0.05)),
    "MAKER_SPACES_MOST_FILED": (2020, 14, "stock", (0.22, 0.28)),
    "SCIENCE_PARKS": (2020, 20, "stock", (0.05, 0.08)),
    "CROSS_PROVINCE_SERVICE_ITEMS": (2020, 88, "stock", (0.30, 0.38)),
    "INVENTION_PATENTS_PER_10K": (2020, 99.04, "ratio", (0.14, 0.18)),
    "HIGH_TECH_ENTERPRISES": (2020, 973, "count", (0.12, 0.16)),
    "TECH_SMES": (2020, 8000, "count", (0.18, 0.24)),
    "NEW_STUDENT_STARTUPS": (2020, 2322, "flow", (0.08, 0.12)),
    "LISTED_COMPANIES": (2020, 104, "stock", (0.14, 0.18)),
    "MNC_REGIONAL_HQ_AND_RD_CENTERS": (2020, 31, "stock", (0.08, 0.12)),
    "STARTUP_STAR_CONTEST_ENTRANTS": (2020, 1000, "stock", (0.34, 0.42)),
    "INTERNATIONAL_FRIENDLY_CITIES": (2020, 5, "stock", (0.10, 0.16)),
    "YRD_ALLIANCE_MEMBER_BASES": (2021, 25, "stock", (0.14, 0.20)),
}


def _paths(
    codes: list[str], scale: float, rng_state: dict[str, tuple[float, float, np.ndarray]]
) -> dict[str, np.ndarray]:
    t = np.array(YEARS, dtype=float)
    out: dict[str, np.ndarray] = {}
    for code in codes:
        anchor, value, kind, _ = ANCHORS[code]
        pace, later, wobble = rng_state[code]
        g = pace * scale
        # log path: pace g up to the anchor year, a slower pace after it
        log = np.where(t <= anchor, g * (t - anchor), later * g * (t - anchor)) + wobble
        log -= log[YEARS.index(anchor)]
        path = value * np.exp(log)
        out[code] = _respect_unit(path, kind, YEARS.index(anchor), value)
    return out


def _respect_unit(path: np.ndarray, kind: str, at: int, value: float) -> np.ndarray:
    """Whole numbers for counts; stocks never fall; the anchor year keeps the plan's value."""
    path = np.round(path) if kind in ("count", "stock", "flow") else np.round(path, 2)
    path = np.maximum(path, 1.0)
    path[at] = value
    if kind != "flow":
        path[: at + 1] = np.minimum.accumulate(path[: at + 1][::-1])[::-1]
        path[at:] = np.maximum.accumulate(path[at:])
    return path


def index_of(panel: dict[str, np.ndarray], fw: pd.DataFrame) -> np.ndarray:
    """The index as the pipeline computes it: 2013 = 100, equal weights, two levels."""
    dims = [c for c in fw["code"] if fw.set_index("code").at[c, "parent"] == fw["code"].iloc[0]]
    parent = fw.set_index("code")["parent"]
    means = []
    for dim in dims:
        members = [c for c in panel if parent[c] == dim]
        means.append(np.mean([panel[c] / panel[c][0] * 100 for c in members], axis=0))
    return np.mean(means, axis=0)


def make_panel(seed: int = SEED) -> pd.DataFrame:
    """The demo panel as a DataFrame (one row per year for the district)."""
    fw = pd.read_csv(FRAMEWORK)
    codes = [c for c in fw["code"] if c in ANCHORS]
    rng = np.random.default_rng(seed)
    state: dict[str, tuple[float, float, np.ndarray]] = {}
    for code in codes:
        low, high = ANCHORS[code][3]
        wobble = rng.normal(0.0, 0.015, size=len(YEARS))
        state[code] = (rng.uniform(low, high), rng.uniform(0.5, 0.8), wobble)
    at = YEARS.index(PUBLISHED_YEAR)
    low, high = 0.5, 1.5
    for _ in range(60):  # bisection on the common factor of all paces
        mid = (low + high) / 2
        if index_of(_paths(codes, mid, state), fw)[at] < PUBLISHED_INDEX:
            low = mid
        else:
            high = mid
    panel = _paths(codes, (low + high) / 2, state)
    # the last step: the 2013 value of the free series so that 2019 is the published figure
    parent = fw.set_index("code")["parent"]
    dim = parent[FREE]
    n_dims = sum(1 for p in parent if p == fw["code"].iloc[0])
    n_members = sum(1 for c in panel if parent[c] == dim)
    gap = PUBLISHED_INDEX - index_of(panel, fw)[at]
    ratio_now = panel[FREE][at] / panel[FREE][0]
    ratio_wanted = ratio_now + gap / 100 * n_dims * n_members
    panel[FREE][0] = round(float(panel[FREE][at] / ratio_wanted), 2)
    panel[FREE][0] = min(panel[FREE][0], panel[FREE][1])
    frame = pd.DataFrame(
        {
            c: panel[c].astype(int) if ANCHORS[c][2] in ("count", "stock", "flow") else panel[c]
            for c in codes
        }
    )
    frame.insert(0, "demo", "演示数据 demo")
    frame.insert(0, "year", YEARS)
    frame.insert(0, "name_zh", "杨浦区")
    frame.insert(0, "unit", "YANGPU")
    return frame


if __name__ == "__main__":
    out = HERE / "index_panel.csv"
    frame = make_panel()
    frame.to_csv(out, index=False)
    fw = pd.read_csv(FRAMEWORK)
    series = index_of({c: frame[c].to_numpy(dtype=float) for c in ANCHORS}, fw)
    print(f"wrote {out}")
    print("index:", ", ".join(f"{y}: {v:.1f}" for y, v in zip(YEARS, series, strict=True)))
