"""Imputation of missing indicator values.

Column-wise, as COINr's ``Impute``: ``mean`` / ``median`` fill each indicator's own mean or
median (``i_mean``, ``i_median``); ``group_mean`` / ``group_median`` use the units of the same
group (``i_mean_grp`` with ``use_group``). For panels these are learned per period (COINr imputes
each coin of a purse separately). ``interpolate`` and ``locf`` work along time within each unit.
A value that cannot be imputed (e.g. the whole group is missing) stays missing.
"""

# ruff: noqa: N803, N806  matrices keep their mathematical capitals
from __future__ import annotations

import warnings
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from nengji.index.base import Step
from nengji.index.data import IndexData
from nengji.index.errors import DataError, SpecError


class Imputer(Step):
    """Base class of imputers."""

    kind: ClassVar[str] = "impute"
    stage: ClassVar[str] = "imputed"


class _ColumnStat(Imputer):
    """Fill with a statistic of the indicator (``by="column"``) or of the unit (``by="row"``).

    Column-wise (COINr ``impute_by = "column"``), the statistic of each indicator is learned in
    ``fit`` (per period for panels). Row-wise (``impute_by = "row"``), a gap is filled with the
    statistic of the unit's other indicators: with ``normalise_first`` (default for rows, as
    COINr) each indicator is first multiplied by its direction and min-max scaled onto [0, 1]
    with the fitted minimum and maximum, the row statistic is taken on that scale and the filled
    value scaled back. ``group_level = L`` restricts a row's statistic to the indicators under
    the same level-``L`` aggregate (COINr ``group_level``: the unit's other indicators of the
    same pillar).
    """

    constraints: ClassVar[dict[str, str]] = {
        "by": "str+",
        "group_level": "int>=1?",
        "normalise_first": "bool?",
    }

    _stat: ClassVar[Any] = staticmethod(np.nanmean)

    def __init__(
        self,
        *,
        by: str = "column",
        group_level: int | None = None,
        normalise_first: bool | None = None,
    ) -> None:
        self.by = by
        self.group_level = group_level
        self.normalise_first = normalise_first

    def _learn(self, X: np.ndarray, axis: int = 0) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-missing columns stay NaN
            return np.asarray(type(self)._stat(X, axis=axis))

    def _column_groups(self, data: IndexData, codes: list[str]) -> list[np.ndarray]:
        if self.group_level is None:
            return [np.arange(len(codes))]
        fw = data.framework
        if fw is None:
            raise DataError("imputing within groups (group_level) needs a framework")
        if self.group_level not in fw.levels[1:]:
            raise DataError(
                f"group_level {self.group_level} is not an aggregate level of the framework "
                f"(levels: {fw.levels[1:]})"
            )
        owner = [next(a for a in fw.ancestors(c) if fw[a].level == self.group_level) for c in codes]
        labels = np.array(owner, dtype=object)
        return [np.flatnonzero(labels == g) for g in dict.fromkeys(owner)]

    def _fit(self, data: IndexData) -> None:
        if self.by not in ("column", "row"):
            raise SpecError(f"{type(self).__name__}.by must be 'column' or 'row', got {self.by!r}")
        codes = data.indicators
        X = data.matrix(codes)
        per = data.period_labels()
        self.codes_ = codes
        self.groups_ = self._column_groups(data, codes)
        self.direction_ = data.direction()
        if self.by == "column":
            self.fill_ = {t: self._learn(X[per == t]) for t in data.periods()}
            return
        Y = X * self.direction_
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            self.fill_ = {
                t: np.vstack([np.nanmin(Y[per == t], axis=0), np.nanmax(Y[per == t], axis=0)])
                for t in data.periods()
            }

    def _transform(self, data: IndexData) -> pd.DataFrame:
        codes = self.codes_
        X = data.matrix(codes)
        per = data.period_labels()
        out = X.copy()
        for t in data.periods():
            if t not in self.fill_:
                raise DataError(f"{type(self).__name__} was not fitted on period {t!r}")
            rows = per == t
            block = out[rows]
            if self.by == "column":
                out[rows] = np.where(np.isnan(block), self.fill_[t], block)
            else:
                out[rows] = self._fill_rows(block, self.fill_[t])
        return pd.DataFrame(out, index=data.values.index, columns=codes)

    def _fill_rows(self, block: np.ndarray, lo_hi: np.ndarray) -> np.ndarray:
        scale = self.normalise_first is not False  # COINr: on by default for rows
        d = self.direction_
        lo, hi = lo_hi
        with np.errstate(divide="ignore", invalid="ignore"):
            Z = (block * d - lo) / (hi - lo) if scale else block.copy()
        filled = Z.copy()
        for cols in self.groups_:
            stat = self._learn(Z[:, cols], axis=1)
            part = filled[:, cols]
            filled[:, cols] = np.where(np.isnan(part), stat[:, None], part)
        back = (filled * (hi - lo) + lo) * d if scale else filled
        return np.where(np.isnan(block), back, block)


class MeanImputer(_ColumnStat):
    """Fill a missing value with the indicator's mean (COINr ``i_mean``), or the unit's mean
    over its (scaled) indicators with ``by="row"``."""

    method = "mean"
    _stat = staticmethod(np.nanmean)


class MedianImputer(_ColumnStat):
    """Fill a missing value with the indicator's median (COINr ``i_median``), or the unit's
    median over its (scaled) indicators with ``by="row"``."""

    method = "median"
    _stat = staticmethod(np.nanmedian)


class _GroupStat(Imputer):
    """Fill with the statistic of the unit's group (per period for panels)."""

    constraints: ClassVar[dict[str, str]] = {"group": "str+"}

    _stat: ClassVar[Any] = staticmethod(np.nanmean)

    def __init__(self, *, group: str = "") -> None:
        self.group = group

    def _groups(self, data: IndexData) -> np.ndarray:
        if self.group not in data.groups.columns:
            raise DataError(
                f"group column {self.group!r} not found (groups: {list(data.groups.columns)})"
            )
        return data.groups[self.group].to_numpy()

    def _fit(self, data: IndexData) -> None:
        codes = data.indicators
        X = data.matrix(codes)
        g = self._groups(data)
        per = data.period_labels()
        self.codes_ = codes
        self.fill_: dict[tuple[Any, Any], np.ndarray] = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-missing groups stay NaN
            for t in data.periods():
                in_t = per == t
                for label in pd.unique(g[in_t]):
                    if pd.isna(label):
                        continue  # units without a group are left as they are (COINr)
                    rows = in_t & (g == label)
                    self.fill_[(t, label)] = type(self)._stat(X[rows], axis=0)

    def _transform(self, data: IndexData) -> pd.DataFrame:
        codes = self.codes_
        X = data.matrix(codes)
        out = X.copy()
        g = self._groups(data)
        per = data.period_labels()
        for t in data.periods():
            in_t = per == t
            for label in pd.unique(g[in_t]):
                if pd.isna(label):
                    continue
                key = (t, label)
                if key not in self.fill_:
                    raise DataError(
                        f"{type(self).__name__} was not fitted on group {label!r}"
                        + ("" if t is None else f" in period {t!r}")
                    )
                rows = in_t & (g == label)
                block = out[rows]
                out[rows] = np.where(np.isnan(block), self.fill_[key], block)
        return pd.DataFrame(out, index=data.values.index, columns=codes)


class GroupMeanImputer(_GroupStat):
    """Fill with the mean of the unit's group (COINr ``i_mean_grp``, ``use_group``).

    Units whose group label is missing are left unchanged, as in COINr.
    """

    method = "group_mean"
    _stat = staticmethod(np.nanmean)


class GroupMedianImputer(_GroupStat):
    """Fill with the median of the unit's group (COINr ``i_median_grp``)."""

    method = "group_median"
    _stat = staticmethod(np.nanmedian)


class _AlongTime(Imputer):
    """Panel imputers working within each unit along time; nothing is learned."""

    def __init__(self) -> None:
        pass

    def _fit(self, data: IndexData) -> None:
        if not data.is_panel:
            raise DataError(f"{type(self).__name__} needs a panel (a time column)")
        self.codes_ = data.indicators

    def _fill(self, frame: pd.DataFrame) -> pd.DataFrame:
        raise NotImplementedError

    def _transform(self, data: IndexData) -> pd.DataFrame:
        if not data.is_panel:
            raise DataError(f"{type(self).__name__} needs a panel (a time column)")
        values = data.values[self.codes_]
        order = values.sort_index(level=[0, 1])
        filled = order.groupby(level=0, sort=False, group_keys=False).apply(self._fill)
        return filled.reindex(values.index)


class _Approx(_AlongTime):
    """Fill each unit's gaps along time from its own observations (``_series`` says how)."""

    def _series(self, t: np.ndarray, y: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _fill(self, frame: pd.DataFrame) -> pd.DataFrame:
        t = frame.index.get_level_values(1).to_numpy(dtype=float)
        out = frame.copy()
        for col in frame.columns:
            y = frame[col].to_numpy(dtype=float)
            ok = ~np.isnan(y)
            if ok.any() and not ok.all():
                filled = self._series(t, y)
                out[col] = np.where(ok, y, filled)
        return out


class Interpolate(_Approx):
    """Linear interpolation in time between a unit's observed values (no extrapolation).

    The gap is filled on the time axis, so 2016 between 2015 and 2018 gets one third of the step.
    """

    method = "interpolate"

    def _series(self, t: np.ndarray, y: np.ndarray) -> np.ndarray:
        ok = ~np.isnan(y)
        if ok.sum() < 2:
            return y
        inner = (t >= t[ok].min()) & (t <= t[ok].max())
        return np.where(inner, np.interp(t, t[ok], y[ok]), np.nan)


class LOCF(_AlongTime):
    """Last observation carried forward within each unit (COINr ``impute_panel``).

    ``max_time`` limits how many periods back a value may come from (COINr's ``max_time``);
    gaps before a unit's first observation stay missing.
    """

    constraints: ClassVar[dict[str, str]] = {"max_time": "int>=1?"}

    method = "locf"

    def __init__(self, *, max_time: int | None = None) -> None:
        self.max_time = max_time

    def _fill(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.ffill(limit=self.max_time)


class ConstantImputer(_Approx):
    """Step interpolation in time (COINr ``impute_panel(imp_type = "constant")``).

    A gap takes the unit's last earlier value; gaps before the first observation take the first
    one (``approx(method = "constant", rule = 2)``: constant extrapolation at both ends).
    """

    method = "constant"

    def _series(self, t: np.ndarray, y: np.ndarray) -> np.ndarray:
        ok = ~np.isnan(y)
        tk, yk = t[ok], y[ok]
        pos = np.searchsorted(tk, t, side="right") - 1
        return np.asarray(yk[np.clip(pos, 0, len(tk) - 1)])


class LinearConstantImputer(_Approx):
    """Linear in time between observations, constant beyond the ends (COINr ``impute_panel(
    imp_type = "linear-constant")``); a series with one observation is held constant."""

    method = "linear_constant"

    def _series(self, t: np.ndarray, y: np.ndarray) -> np.ndarray:
        ok = ~np.isnan(y)
        return np.asarray(
            np.interp(t, t[ok], y[ok])
        )  # np.interp holds the end values: R's rule = 2


IMPUTERS: dict[str, type[Imputer]] = {
    cls.method: cls
    for cls in (
        MeanImputer,
        MedianImputer,
        GroupMeanImputer,
        GroupMedianImputer,
        Interpolate,
        LOCF,
        ConstantImputer,
        LinearConstantImputer,
    )
}
