# ruff: noqa: N803, N806  matrices keep their mathematical capitals (X, W, S, ...)
"""Distance-based normalisers: distance to max / reference / target, fraction of max, goalposts.

They follow COINr's ``n_dist2max``, ``n_dist2ref``, ``n_dist2targ``, ``n_fracmax`` and
``n_goalposts`` (with parameters as ``Normalise`` passes them from iMeta).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import ClassVar

import numpy as np

from nengji.index.data import IndexData
from nengji.index.errors import DataError, IndexWarning, SpecError
from nengji.index.scaling import Normaliser, Params, _range


class DistToMax(Normaliser):
    """``1 − (max − x)/(max − min)``, in [0, 1] (COINr ``n_dist2max``)."""

    constraints: ClassVar[dict[str, str]] = {"pooled": "bool"}

    method = "dist_to_max"

    def __init__(self, *, pooled: bool = False) -> None:
        self.pooled = pooled

    def _learn(self, X: np.ndarray, data: IndexData, codes: list[str]) -> Params:
        lo, hi = _range(X, codes)
        return {"min": lo, "max": hi}

    def _apply(self, X: np.ndarray, p: Params) -> np.ndarray:
        return np.asarray(1.0 - (p["max"] - X) / (p["max"] - p["min"]), dtype=float)


class FracMax(Normaliser):
    """Fraction of the best value: ``x / max`` for direction +1, ``min / x`` for direction −1.

    COINr's ``n_fracmax`` divides the direction-multiplied values by their maximum, which for a
    "lower is better" indicator with positive data gives ``x / min``: the worst unit scores
    highest ([1, 2, 4] → [1, 2, 4]). A ratio loses the sign, so nengji inverts the ratio
    instead, as :class:`BaseYear` does: ``min / x`` ([1, 2, 4] → [1, 0.5, 0.25]); direction −1
    then needs positive values.

    A zero reference (maximum 0 for direction +1, minimum 0 for direction −1) makes the ratio
    undefined. ``zero="error"`` (default) refuses, naming the indicator; ``zero="inf"`` gives
    COINr's numbers for that indicator (``d·x / max(d·x)``: ±Inf, NaN for 0/0) with an
    :class:`~nengji.index.errors.IndexWarning` naming it.
    """

    constraints: ClassVar[dict[str, str]] = {"zero": "str+", "pooled": "bool"}

    method = "frac_max"

    def __init__(self, *, zero: str = "error", pooled: bool = False) -> None:
        self.zero = zero
        self.pooled = pooled

    def _check_params(self) -> None:
        if self.zero not in ("error", "inf"):
            raise SpecError(f"FracMax.zero must be 'error' or 'inf', got {self.zero!r}")

    def _learn(self, X: np.ndarray, data: IndexData, codes: list[str]) -> Params:
        count = np.sum(~np.isnan(X), axis=0)
        if np.any(count == 0):
            raise DataError(f"indicator {codes[int(np.argmax(count == 0))]!r} has no values")
        d = data.direction()
        hi = np.nanmax(X, axis=0)  # X is d·x: for d = −1, −hi is the minimum of x
        inverse = d == -1
        negative = inverse & (-hi < 0)
        if negative.any():
            code = codes[int(np.argmax(negative))]
            raise DataError(
                f"fraction of the best of {code!r} (direction -1) needs values >= 0; "
                f"its minimum is {float(hi[int(np.argmax(negative))] * -1)!r}"
            )
        below = ~inverse & (hi < 0)
        if below.any():
            code = codes[int(np.argmax(below))]
            raise DataError(
                f"fraction of the maximum of {code!r} needs a positive maximum, got "
                f"{float(hi[int(np.argmax(below))])!r} (the ratio would reverse the order)"
            )
        zero = hi == 0
        if zero.any():
            names = [c for c, z in zip(codes, zero, strict=True) if z]
            ref = "minimum" if inverse[int(np.argmax(zero))] else "maximum"
            if self.zero == "error":
                raise DataError(
                    f"fraction of the best of {names[0]!r}: its {ref} is 0, so the ratio is "
                    "undefined (zero='inf' gives COINr's infinities instead)"
                )
            warnings.warn(
                f"FracMax: reference value 0 for {names}: scores are infinite or missing, as in "
                "COINr's n_fracmax",
                IndexWarning,
                stacklevel=2,
            )
        return {"max": hi, "inverse": inverse & ~zero}

    def _apply(self, X: np.ndarray, p: Params) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            direct = X / p["max"]
            inverted = p["max"] / X  # (−min)/(−x) = min/x
        return np.where(p["inverse"], inverted, direct)


class DistToRef(Normaliser):
    """``1 − (x_ref − x)/(x_ref − min)`` with ``x_ref`` the value of unit ``unit`` (COINr
    ``n_dist2ref``); ``cap_max`` caps scores above the reference at 1."""

    constraints: ClassVar[dict[str, str]] = {"unit": "str+", "cap_max": "bool", "pooled": "bool"}

    method = "dist_to_ref"

    def __init__(self, *, unit: str = "", cap_max: bool = False, pooled: bool = False) -> None:
        self.unit = unit
        self.cap_max = cap_max
        self.pooled = pooled

    def _learn(self, X: np.ndarray, data: IndexData, codes: list[str]) -> Params:
        hit = np.flatnonzero(data.unit_labels() == self.unit)
        if len(hit) == 0:
            raise DataError(f"reference unit {self.unit!r} not found in the data")
        if len(hit) > 1:
            raise DataError(
                f"reference unit {self.unit!r} appears in several periods: use one period"
            )
        ref = X[hit[0]]
        lo = np.nanmin(X, axis=0)
        return {"ref": ref, "min": lo}

    def _apply(self, X: np.ndarray, p: Params) -> np.ndarray:
        y = 1.0 - (p["ref"] - X) / (p["ref"] - p["min"])
        if self.cap_max:
            y = np.where(y > 1, 1.0, y)
        return np.asarray(y, dtype=float)

    def _fit(self, data: IndexData) -> None:
        if data.is_panel and not self.pooled:
            # learn per period with the reference unit's value in that period
            X, codes = self._directed(data)
            self.codes_ = codes
            self.params_ = {}
            per, units = data.period_labels(), data.unit_labels()
            for t in data.periods():
                rows = per == t
                hit = np.flatnonzero(units[rows] == self.unit)
                if len(hit) == 0:
                    raise DataError(f"reference unit {self.unit!r} not found in period {t!r}")
                Xt = X[rows]
                self.params_[t] = {"ref": Xt[hit[0]], "min": np.nanmin(Xt, axis=0)}
            return
        super()._fit(data)


class DistToTarget(Normaliser):
    """``(x − min)/(target − min)`` after direction (COINr ``n_dist2targ`` with iMeta targets).

    For direction −1 this equals ``(max − x)/(max − target)``. Targets come from ``targets``
    (code → value) or else the framework's ``target`` column. ``cap_max`` caps scores at 1.
    """

    constraints: ClassVar[dict[str, str]] = {
        "targets": "mapping?",
        "cap_max": "bool",
        "pooled": "bool",
    }

    method = "dist_to_target"

    def __init__(
        self,
        *,
        targets: Mapping[str, float] | None = None,
        cap_max: bool = False,
        pooled: bool = False,
    ) -> None:
        self.targets = targets
        self.cap_max = cap_max
        self.pooled = pooled

    def _learn(self, X: np.ndarray, data: IndexData, codes: list[str]) -> Params:
        targ = np.empty(len(codes))
        for j, code in enumerate(codes):
            t = (self.targets or {}).get(code)
            if t is None and data.framework is not None:
                t = data.framework[code].target
            if t is None or np.isnan(t):
                raise DataError(f"indicator {code!r} has no target for distance to target")
            targ[j] = t
        targ = targ * data.direction()
        lo = np.nanmin(X, axis=0)
        if np.any(targ == lo):
            raise DataError(f"target of {codes[int(np.argmax(targ == lo))]!r} equals its minimum")
        return {"target": targ, "min": lo}

    def _apply(self, X: np.ndarray, p: Params) -> np.ndarray:
        y = (X - p["min"]) / (p["target"] - p["min"])
        if self.cap_max:
            y = np.where(y > 1, 1.0, y)
        return np.asarray(y, dtype=float)


class Goalposts(Normaliser):
    """Fraction of the way from the lower to the upper goalpost, truncated to [0, 1], × ``scale``.

    Direction −1 measures from the upper goalpost down: ``(upper − x)/(upper − lower)``, which is
    what COINr's ``n_goalposts`` gives with goalposts read from iMeta. ``lower``/``upper`` are
    one number for all indicators or a mapping code → number. Nothing is learned from the data,
    so goalposts keep scores comparable across periods.
    """

    constraints: ClassVar[dict[str, str]] = {
        "lower": "number|mapping",
        "upper": "number|mapping",
        "scale": "number",
        "truncate": "bool",
        "pooled": "bool",
    }

    method = "goalposts"

    def __init__(
        self,
        *,
        lower: float | Mapping[str, float] = 0.0,
        upper: float | Mapping[str, float] = 1.0,
        scale: float = 1.0,
        truncate: bool = True,
        pooled: bool = True,
    ) -> None:
        self.lower = lower
        self.upper = upper
        self.scale = scale
        self.truncate = truncate
        self.pooled = pooled

    def _posts(self, value: float | Mapping[str, float], codes: list[str], name: str) -> np.ndarray:
        if isinstance(value, Mapping):
            missing = [c for c in codes if c not in value]
            if missing:
                raise DataError(f"goalposts: no {name} goalpost for {missing[0]!r}")
            return np.array([float(value[c]) for c in codes])
        return np.full(len(codes), float(value))

    def _learn(self, X: np.ndarray, data: IndexData, codes: list[str]) -> Params:
        lo, hi = self._posts(self.lower, codes, "lower"), self._posts(self.upper, codes, "upper")
        if np.any(lo == hi):
            raise DataError(f"goalposts of {codes[int(np.argmax(lo == hi))]!r} are equal")
        d = data.direction()
        # after multiplying x by d, the "low" post is d*lower for d=1 and d*upper for d=-1
        low = np.where(d == 1, lo, -hi)
        high = np.where(d == 1, hi, -lo)
        return {"low": low, "high": high}

    def _apply(self, X: np.ndarray, p: Params) -> np.ndarray:
        y = (X - p["low"]) / (p["high"] - p["low"])
        if self.truncate:
            y = np.clip(y, 0.0, 1.0)
        return np.asarray(y * self.scale, dtype=float)
