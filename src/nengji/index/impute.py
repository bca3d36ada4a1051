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
from nengji.index.errors import DataError


class Imputer(Step):
    """Base class of imputers."""

    kind: ClassVar[str] = "impute"
    stage: ClassVar[str] = "imputed"


class _ColumnStat(Imputer):
    """Fill with a per-column statistic learned in ``fit`` (per period for panels)."""

    _stat: ClassVar[Any] = staticmethod(np.nanmean)

    def __init__(self) -> None:
        pass

    def _learn(self, X: np.ndarray) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-missing columns stay NaN
            return type(self)._stat(X, axis=0)

    def _fit(self, data: IndexData) -> None:
        codes = data.indicators
        X = data.matrix(codes)
        per = data.period_labels()
        self.codes_ = codes
        self.fill_ = {t: self._learn(X[per == t]) for t in data.periods()}

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
            out[rows] = np.where(np.isnan(block), self.fill_[t], block)
        return pd.DataFrame(out, index=data.values.index, columns=codes)


class MeanImputer(_ColumnStat):
    """Fill a missing value with the indicator's mean (COINr ``i_mean``)."""

    method = "mean"
    _stat = staticmethod(np.nanmean)


class MedianImputer(_ColumnStat):
    """Fill a missing value with the indicator's median (COINr ``i_median``)."""

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


class Interpolate(_AlongTime):
    """Linear interpolation in time between a unit's observed values (no extrapolation).

    The gap is filled on the time axis, so 2016 between 2015 and 2018 gets one third of the step.
    """

    method = "interpolate"

    def _fill(self, frame: pd.DataFrame) -> pd.DataFrame:
        t = frame.index.get_level_values(1).to_numpy(dtype=float)
        out = frame.copy()
        for col in frame.columns:
            y = frame[col].to_numpy(dtype=float)
            ok = ~np.isnan(y)
            if ok.sum() >= 2:
                inner = (t >= t[ok].min()) & (t <= t[ok].max()) & ~ok
                y = y.copy()
                y[inner] = np.interp(t[inner], t[ok], y[ok])
                out[col] = y
        return out


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


IMPUTERS: dict[str, type[Imputer]] = {
    cls.method: cls
    for cls in (
        MeanImputer,
        MedianImputer,
        GroupMeanImputer,
        GroupMedianImputer,
        Interpolate,
        LOCF,
    )
}
