"""Normalisation: bring indicators onto a common scale.

Direction is applied as COINr does: each indicator is multiplied by its direction (±1) *before*
the normalisation formula, so min-max with direction −1 gives ``(max − x)/(max − min)·(u−l)+l``.
The one exception is :class:`BaseYear`, whose ratio would lose the sign: there direction −1 means
``base / value × 100`` (a halving of a "lower is better" indicator doubles its score).

Parameters are learned in ``fit``: per period for panels, or over all periods with
``pooled=True`` (COINr's ``global = TRUE``). The formulas of the kernels follow COINr's ``n_*``
functions; see ``docs/index/normalise.md``.
"""

from __future__ import annotations

from nengji.index.distance import DistToMax, DistToRef, DistToTarget, FracMax, Goalposts
from nengji.index.ranking import Borda, PercentileRank, Rank
from nengji.index.scaling import BaseYear, MinMax, Normaliser, ZScore, minmax

__all__ = [
    "NORMALISERS",
    "BaseYear",
    "Borda",
    "DistToMax",
    "DistToRef",
    "DistToTarget",
    "FracMax",
    "Goalposts",
    "MinMax",
    "Normaliser",
    "PercentileRank",
    "Rank",
    "ZScore",
    "minmax",
]

NORMALISERS: dict[str, type[Normaliser]] = {
    cls.method: cls
    for cls in (
        MinMax,
        ZScore,
        Rank,
        PercentileRank,
        Borda,
        DistToMax,
        DistToRef,
        DistToTarget,
        FracMax,
        Goalposts,
        BaseYear,
    )
}
NORMALISERS["fracmax"] = FracMax  # the and COINr's spelling (``n_fracmax``)
