"""A small deterministic framework and panel used by the contract and formula tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nengji.index import Framework, IndexData, build_data

FRAMEWORK = Framework.from_records(
    [
        {"code": "Index", "name_zh": "指数"},
        {"code": "D1", "parent": "Index", "weight": 2},
        {"code": "D2", "parent": "Index", "weight": 1},
        {"code": "a", "parent": "D1", "target": 12},
        {"code": "b", "parent": "D1", "weight": 2, "denominator": "pop"},
        {"code": "c", "parent": "D1", "direction": -1, "target": 1},
        {"code": "d", "parent": "D2"},
        {"code": "e", "parent": "D2", "direction": -1},
    ],
    groups=["region"],
    denominators=["pop"],
)
UNITS = [f"U{i}" for i in range(1, 9)]
YEARS = [2013, 2014, 2015]


def toy_frame(*, panel: bool = True, with_nan: bool = True) -> pd.DataFrame:
    """Positive values with a clear structure, a few gaps, a group and a denominator column."""
    rng = np.random.default_rng(7)
    rows = []
    for t, year in enumerate(YEARS if panel else [2013]):
        for i, unit in enumerate(UNITS):
            rows.append(
                {
                    "code": unit,
                    "year": year,
                    "region": "east" if i % 2 else "west",
                    "pop": 10.0 + i,
                    "a": 1 + i + t + rng.uniform(0, 0.5),
                    "b": 50 + 5 * i + 3 * t + rng.uniform(0, 1),
                    "c": 9 - 0.5 * i - 0.2 * t + rng.uniform(0, 0.1),
                    "d": 3 + (i % 3) + 0.5 * t + rng.uniform(0, 0.3),
                    "e": 20 - i + rng.uniform(0, 2),
                }
            )
    frame = pd.DataFrame(rows)
    if with_nan:
        frame.loc[3, "a"] = np.nan
        frame.loc[len(frame) - 2, "d"] = np.nan
    if not panel:
        frame = frame.drop(columns="year")
    return frame


def toy_data(*, panel: bool = True, with_nan: bool = True) -> IndexData:
    return build_data(toy_frame(panel=panel, with_nan=with_nan), FRAMEWORK)
