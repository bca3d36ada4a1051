# ruff: noqa: N803, N806  matrices keep their mathematical capitals (X, W, S, ...)
"""Normaliser base class and the scaling methods: min-max, z-score and the base-year index.

See :mod:`nengji.index.normalise` for how direction and pooling work for every normaliser.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from nengji.index.base import Step
from nengji.index.data import IndexData
from nengji.index.errors import DataError, SpecError

Params = dict[str, np.ndarray]


class Normaliser(Step):
    """Base class: subclasses implement ``_learn(X) -> params`` and ``_apply(X, params)``.

    ``X`` is a 2-D float array (rows = units of one period, columns = indicators), already
    multiplied by direction; NaN means missing and stays NaN.
    """

    kind: ClassVar[str] = "normalise"
    stage: ClassVar[str] = "normalised"

    pooled: bool

    def _check_params(self) -> None:
        """Validate parameters (override)."""

    def _learn(self, X: np.ndarray, data: IndexData, codes: list[str]) -> Params:
        raise NotImplementedError

    def _apply(self, X: np.ndarray, p: Params) -> np.ndarray:
        raise NotImplementedError

    def _directed(self, data: IndexData) -> tuple[np.ndarray, list[str]]:
        codes = data.indicators
        X = data.matrix(codes)
        return X * data.direction(), codes

    def _fit(self, data: IndexData) -> None:
        self._check_params()
        X, codes = self._directed(data)
        self.codes_ = codes
        self.params_: dict[Any, Params] = {}
        if data.is_panel and not self.pooled:
            per = data.period_labels()
            for t in data.periods():
                self.params_[t] = self._learn_checked(X[per == t], data, codes, t)
        else:
            self.params_[None] = self._learn_checked(X, data, codes, None)

    def _learn_checked(
        self, X: np.ndarray, data: IndexData, codes: list[str], period: Any
    ) -> Params:
        try:
            return self._learn(X, data, codes)
        except DataError as exc:
            where = "" if period is None else f" in period {period!r}"
            raise DataError(f"{exc}{where}") from None

    def _transform(self, data: IndexData) -> pd.DataFrame:
        X, codes = self._directed(data)
        if codes != self.codes_:
            raise DataError(f"{type(self).__name__} was fitted on other indicator codes")
        out = np.full_like(X, np.nan)
        if None in self.params_:
            out = self._apply(X, self.params_[None])
        else:
            if not data.is_panel:
                raise DataError(
                    f"{type(self).__name__} was fitted per period; transform needs a panel"
                )
            per = data.period_labels()
            for t in data.periods():
                if t not in self.params_:
                    raise DataError(
                        f"{type(self).__name__} was not fitted on period {t!r} (use pooled=True "
                        "to normalise new periods with the fitted parameters)"
                    )
                rows = per == t
                out[rows] = self._apply(X[rows], self.params_[t])
        return pd.DataFrame(out, index=data.values.index, columns=codes)


def _range(X: np.ndarray, codes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    count = np.sum(~np.isnan(X), axis=0)
    if np.any(count == 0):
        raise DataError(f"indicator {codes[int(np.argmax(count == 0))]!r} has no values")
    lo, hi = np.nanmin(X, axis=0), np.nanmax(X, axis=0)
    flat = lo == hi
    if np.any(flat):
        raise DataError(
            f"indicator {codes[int(np.argmax(flat))]!r} has zero range (all values equal): "
            "min-max style normalisation is undefined"
        )
    return lo, hi


def minmax(x: np.ndarray, lower: float = 0.0, upper: float = 100.0) -> np.ndarray:
    """Scale each column of ``x`` onto ``[lower, upper]`` (COINr ``n_minmax``).

    >>> minmax(np.array([1.0, 2.0, 3.0]))
    array([  0.,  50., 100.])
    """
    lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
    return np.asarray((x - lo) / (hi - lo) * (upper - lower) + lower, dtype=float)


class MinMax(Normaliser):
    """``(x − min)/(max − min)·(upper − lower) + lower``: the default, keeps the shape of the data.

    >>> MinMax(lower=0, upper=10).fit_transform(pd.DataFrame({"a": [1.0, 3.0]}))["a"].tolist()
    [0.0, 10.0]
    """

    constraints: ClassVar[dict[str, str]] = {"lower": "number", "upper": "number", "pooled": "bool"}

    method = "minmax"

    def __init__(self, *, lower: float = 0.0, upper: float = 100.0, pooled: bool = False) -> None:
        self.lower = lower
        self.upper = upper
        self.pooled = pooled

    def _check_params(self) -> None:
        if not self.lower < self.upper:
            raise SpecError(
                f"MinMax.lower must be < upper, got lower={self.lower} >= upper={self.upper}"
            )

    def _learn(self, X: np.ndarray, data: IndexData, codes: list[str]) -> Params:
        lo, hi = _range(X, codes)
        return {"min": lo, "max": hi}

    def _apply(self, X: np.ndarray, p: Params) -> np.ndarray:
        span = p["max"] - p["min"]
        return np.asarray(
            (X - p["min"]) / span * (self.upper - self.lower) + self.lower, dtype=float
        )


class ZScore(Normaliser):
    """``(x − mean)/sd · sd' + mean'`` with the sample sd (n − 1), as COINr ``n_zscore``."""

    constraints: ClassVar[dict[str, str]] = {"mean": "number", "sd": "positive", "pooled": "bool"}

    method = "zscore"

    def __init__(self, *, mean: float = 0.0, sd: float = 1.0, pooled: bool = False) -> None:
        self.mean = mean
        self.sd = sd
        self.pooled = pooled

    def _learn(self, X: np.ndarray, data: IndexData, codes: list[str]) -> Params:
        count = np.sum(~np.isnan(X), axis=0)
        if np.any(count < 2):
            i = int(np.argmax(count < 2))
            raise DataError(
                f"z-score of {codes[i]!r} needs at least 2 non-missing values, got {count[i]}"
            )
        mu = np.nanmean(X, axis=0)
        sd = np.nanstd(X, axis=0, ddof=1)
        if np.any(sd == 0):
            raise DataError(f"z-score of {codes[int(np.argmax(sd == 0))]!r}: standard deviation 0")
        return {"mu": mu, "sd": sd}

    def _apply(self, X: np.ndarray, p: Params) -> np.ndarray:
        return (X - p["mu"]) / p["sd"] * self.sd + self.mean


class BaseYear(Normaliser):
    """Base-year index: ``value / value_in_base_year × scale`` per unit and indicator.

    The Yangpu method (2013 = 100), which COINr lacks. ``fit`` learns each unit's base-year
    values; ``transform`` applies them to any period, so adding a new year never rescales the old
    ones. For direction −1 the ratio is inverted, ``base / value × scale``, so that an indicator
    where lower is better still scores above 100 when it improves. Base values (and, for
    direction −1, current values) must be positive; a missing base value gives missing scores
    for that unit and indicator (impute before normalising if that is not wanted).
    """

    constraints: ClassVar[dict[str, str]] = {"year": "required", "scale": "positive"}

    method = "base_year"

    def __init__(self, *, year: Any = None, scale: float = 100.0) -> None:
        self.year = year
        self.scale = scale

    pooled = True

    def _fit(self, data: IndexData) -> None:
        if not data.is_panel:
            raise DataError("base-year normalisation needs a panel with a time column")
        codes = data.indicators
        per = data.period_labels()
        rows = per == self.year
        if not rows.any():
            raise DataError(f"base year {self.year!r} is not in the data")
        base = data.values.loc[rows, codes]
        base.index = base.index.get_level_values(0)
        bad = base <= 0  # a missing base value just gives missing scores
        if bad.to_numpy().any():
            i, j = np.argwhere(bad.to_numpy())[0]
            raise DataError(
                f"base-year value of {codes[j]!r} for unit {base.index[i]!r} in {self.year!r} is "
                f"{float(base.iloc[i, j])!r}: it must be positive"
            )
        self.codes_ = codes
        self.base_ = base
        self.direction_ = data.direction()

    def _transform(self, data: IndexData) -> pd.DataFrame:
        codes = data.indicators
        if codes != self.codes_:
            raise DataError("BaseYear was fitted on other indicator codes")
        units = pd.Index(data.unit_labels())
        unknown = units.difference(self.base_.index)
        if len(unknown):
            raise DataError(f"unit {unknown[0]!r} has no base-year ({self.year!r}) values")
        base = self.base_.reindex(units).to_numpy()
        X = data.matrix(codes)
        inverse = self.direction_ == -1
        if inverse.any():
            bad = (X <= 0) & inverse
            if bad.any():
                i, j = np.argwhere(bad)[0]
                raise DataError(
                    f"value of {codes[j]!r} at {data.row_label(int(i))} is {float(X[i, j])!r}: "
                    "direction -1 base-year scores need positive values"
                )
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(inverse, base / X, X / base) * self.scale
        return pd.DataFrame(out, index=data.values.index, columns=codes)
