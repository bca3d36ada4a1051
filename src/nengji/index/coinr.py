"""COINr compatibility: read COINr's tables unchanged and rebuild its example pipelines.

A COINr user switches by pointing nengji at the same ``iMeta``/``iData`` CSVs. The builders below
are the nengji equivalents of COINr's ``build_example_coin()`` and ``build_example_purse()``; the
golden tests compare their numbers with COINr's.
"""

from __future__ import annotations

from pathlib import Path

from nengji.index.aggregate import Aggregate
from nengji.index.data import IndexData, read_data
from nengji.index.framework import read_framework
from nengji.index.impute import GroupMeanImputer
from nengji.index.normalise import MinMax
from nengji.index.pipeline import Pipeline
from nengji.index.prepare import Denominate, Screen
from nengji.index.treat import Winsorise


def read_coinr(imeta: str | Path, idata: str | Path) -> IndexData:
    """Read COINr ``iMeta`` and ``iData`` CSVs (one period or a panel with ``Time``)."""
    return read_data(idata, read_framework(imeta))


def example_coin_pipeline() -> Pipeline:
    """COINr's ``build_example_coin()``: denominate, impute by EurAsia group, screen at 0.9,
    treat (defaults, ``winmax = 5``), min-max 0–100, arithmetic mean."""
    return Pipeline(
        [
            ("denominate", Denominate()),
            ("impute", GroupMeanImputer(group="EurAsia_group")),
            ("screen", Screen(min_share=0.9)),
            ("treat", Winsorise(skew=2.0, kurtosis=3.5, max_points=5)),
            ("normalise", MinMax(lower=0.0, upper=100.0)),
            ("aggregate", Aggregate(method="arithmetic")),
        ]
    )


def example_purse_pipeline() -> Pipeline:
    """COINr's ``build_example_purse()``: screen at 0.9 and treat per year, then min-max
    pooled over all years (``global = TRUE``) and arithmetic mean."""
    return Pipeline(
        [
            ("screen", Screen(min_share=0.9)),
            ("treat", Winsorise()),
            ("normalise", MinMax(lower=0.0, upper=100.0, pooled=True)),
            ("aggregate", Aggregate(method="arithmetic")),
        ]
    )
