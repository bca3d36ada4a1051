# ruff: noqa: N803  matrices keep their mathematical capitals (X, W, S, ...)
"""Rank-based normalisers: rank, percentile rank and Borda score (COINr ``n_rank``,
``n_prank``, ``n_borda``)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from nengji.index.data import IndexData
from nengji.index.errors import DataError
from nengji.index.scaling import Normaliser, Params


class _RankBased(Normaliser):
    """Ranks against the fitted sample: rank = 1 + number of fitted values strictly below x.

    On the fitted data this is R's ``rank(x, ties.method = "min", na.last = "keep")``.
    """

    constraints: ClassVar[dict[str, str]] = {"pooled": "bool"}

    def __init__(self, *, pooled: bool = False) -> None:
        self.pooled = pooled

    def _learn(self, X: np.ndarray, data: IndexData, codes: list[str]) -> Params:
        count = np.sum(~np.isnan(X), axis=0)
        if np.any(count == 0):
            raise DataError(f"indicator {codes[int(np.argmax(count == 0))]!r} has no values")
        ref = np.sort(X, axis=0)  # NaN sort last
        return {"sorted": ref, "n": count}

    def _ranks(self, X: np.ndarray, p: Params) -> np.ndarray:
        out = np.empty_like(X)
        ref, n = p["sorted"], p["n"]
        for j in range(X.shape[1]):
            out[:, j] = np.searchsorted(ref[: n[j], j], X[:, j], side="left") + 1.0
        out[np.isnan(X)] = np.nan
        return out


class Rank(_RankBased):
    """Rank, higher value → higher rank number, ties share the lowest (COINr ``n_rank``)."""

    method = "rank"

    def _apply(self, X: np.ndarray, p: Params) -> np.ndarray:
        return self._ranks(X, p)


class Borda(_RankBased):
    """Borda score ``rank − 1`` (COINr ``n_borda``)."""

    method = "borda"

    def _apply(self, X: np.ndarray, p: Params) -> np.ndarray:
        return self._ranks(X, p) - 1.0


class PercentileRank(_RankBased):
    """``(rank − 1)/(n − 1)`` with n the number of non-missing values (COINr ``n_prank``)."""

    method = "percentile_rank"

    def _apply(self, X: np.ndarray, p: Params) -> np.ndarray:
        return (self._ranks(X, p) - 1.0) / (p["n"] - 1.0)
