"""Preparation steps before imputation: denomination and screening of units.

Kept together because both are simple, stateless-in-spirit operations on rows and columns.
"""

# ruff: noqa: N803, N806  matrices keep their mathematical capitals
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd

from nengji.index.base import Step, _is_number
from nengji.index.data import IndexData, read_table
from nengji.index.errors import DataError, SpecError

#: Denominator functions by name (COINr ``f_denom``, default ``/``); :func:`register_denominator`
#: adds one, so a stored spec can name it.
DENOMINATOR_FUNCTIONS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "divide": np.divide,
}


def register_denominator(name: str, func: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> None:
    """Register ``func(values, denominator) -> values`` under ``name`` for ``Denominate``."""
    DENOMINATOR_FUNCTIONS[name] = func


class Denominate(Step):
    """Divide indicators by a denominator column (COINr ``Denominate``).

    By default the denominator of each indicator is the framework's ``denominator`` (COINr iMeta
    ``Denominator``); ``denominators`` (code → denominator column) overrides it. Indicators
    without one are left unchanged. ``scale`` (one number, or code → number; COINr
    ``denomby$ScaleFactor``) divides the denominator first, so ``scale: 1000`` with population
    gives "per 1,000 inhabitants". ``function`` names a registered denominator function (COINr
    ``f_denom``; default ``divide``). A missing denominator gives a missing value; a zero
    denominator is an error naming the unit (not a silent infinity).
    """

    constraints: ClassVar[dict[str, str]] = {
        "denominators": "mapping?",
        "scale": "number|mapping",
        "function": "str+",
    }

    kind: ClassVar[str] = "denominate"
    stage: ClassVar[str] = "denominated"

    def __init__(
        self,
        *,
        denominators: Mapping[str, str] | None = None,
        scale: float | Mapping[str, float] = 1.0,
        function: str = "divide",
    ) -> None:
        self.denominators = denominators
        self.scale = scale
        self.function = function

    def _fit(self, data: IndexData) -> None:
        codes = data.indicators
        spec: dict[str, str] = {}
        if data.framework is not None:
            for c in codes:
                den = data.framework[c].denominator
                if den:
                    spec[c] = den
        for code, den in (self.denominators or {}).items():
            if code not in codes:
                raise DataError(f"denominator given for unknown indicator {code!r}")
            spec[code] = den
        missing = [d for d in spec.values() if d not in data.denominators.columns]
        if missing:
            raise DataError(f"denominator column {missing[0]!r} not found in the data")
        if self.function not in DENOMINATOR_FUNCTIONS:
            raise SpecError(
                f"unknown denominator function {self.function!r}; "
                f"registered: {sorted(DENOMINATOR_FUNCTIONS)}"
            )
        scale: dict[str, float] = {}
        for code in spec:
            factor = self.scale.get(code, 1.0) if isinstance(self.scale, Mapping) else self.scale
            if not (_is_number(factor) and factor != 0):
                raise SpecError(f"Denominate.scale of {code!r} must be a non-zero number")
            scale[code] = float(factor)
        if isinstance(self.scale, Mapping):
            unknown = [c for c in self.scale if c not in spec]
            if unknown:
                raise SpecError(f"scale given for {unknown[0]!r}, which has no denominator")
        self.codes_ = codes
        self.map_ = spec
        self.scale_ = scale

    def _transform(self, data: IndexData) -> pd.DataFrame:
        X = data.matrix(self.codes_)
        pos = {c: j for j, c in enumerate(self.codes_)}
        func = DENOMINATOR_FUNCTIONS[self.function]
        for code, den in self.map_.items():
            d = data.denominators[den].to_numpy(dtype=float) / self.scale_[code]
            zero = d == 0
            if zero.any():
                i = int(np.argmax(zero))
                raise DataError(
                    f"denominator {den!r} of {code!r} is 0 at {data.row_label(i)}: "
                    "the ratio is undefined"
                )
            X[:, pos[code]] = func(X[:, pos[code]], d)
        return pd.DataFrame(X, index=data.values.index, columns=self.codes_)


def add_denominators(data: IndexData, table: str | Path | pd.DataFrame) -> IndexData:
    """Join a table of denominators (e.g. population, GDP by unit) to ``data``.

    The table has the unit code column of the data (``uCode``), optionally its time column, and
    one numeric column per denominator; every unit (and unit-period) of the data must have a
    row. Columns already present are replaced. COINr ships a world table (``WorldDenoms``);
    nengji reads whatever table the analyst keeps instead.
    """
    frame = table if isinstance(table, pd.DataFrame) else read_table(table)
    keys = [data.unit_col] + ([data.time_col] if data.is_panel and data.time_col else [])
    missing_key = [k for k in keys if k not in frame.columns]
    if missing_key:
        raise DataError(f"denominator table has no {missing_key[0]!r} column")
    frame = frame.copy()
    frame[data.unit_col] = frame[data.unit_col].astype(str)
    if frame.duplicated(keys).any():
        dup = frame.loc[frame.duplicated(keys), keys].iloc[0].tolist()
        raise DataError(f"denominator table has more than one row for {dup}")
    cols = [c for c in frame.columns if c not in keys]
    for col in cols:
        conv = pd.to_numeric(frame[col], errors="coerce")
        bad = conv.isna() & frame[col].notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(
                f"non-numeric value {frame[col].iloc[i]!r} in denominator column {col!r}, "
                f"row {i + 1}"
            )
        frame[col] = conv
    indexed = frame.set_index(keys)[cols]
    if not data.is_panel:
        indexed.index = indexed.index.astype(str)
    joined = indexed.reindex(data.values.index)
    absent = joined.isna().all(axis=1) & ~data.values.index.isin(indexed.index)
    if absent.any():
        raise DataError(
            f"denominator table has no row for {data.row_label(int(np.argmax(absent)))}"
        )
    dens = data.denominators.drop(columns=[c for c in cols if c in data.denominators.columns])
    dens = pd.concat([dens, joined], axis=1) if len(dens.columns) else joined
    return replace(data, denominators=dens)


def data_availability(X: np.ndarray) -> dict[str, np.ndarray]:
    """Per row: missing, zero and availability counts (COINr ``get_data_avail``).

    ``availability = 1 − n_missing / n_indicators`` and ``nonzero_share = 1 − n_zero /
    n_present`` (a row with nothing present has ``nonzero_share`` 0 here; COINr gives NaN).
    """
    missing = np.isnan(X)
    n_missing = missing.sum(axis=1)
    n_zero = (X == 0).sum(axis=1)
    present = X.shape[1] - n_missing
    with np.errstate(divide="ignore", invalid="ignore"):
        nonzero = np.where(present > 0, 1.0 - n_zero / present, 0.0)
    return {
        "n_missing": n_missing,
        "n_zero": n_zero,
        "n_missing_or_zero": n_missing + n_zero,
        "availability": 1.0 - n_missing / X.shape[1],
        "nonzero_share": nonzero,
    }


SCREEN_RULES = ("na", "zeros", "na_and_zeros")


class Screen(Step):
    """Drop units with too little data (COINr ``Screen``).

    ``by="na"`` (COINr ``unit_screen = "byNA"``) removes a unit (a unit-period row for panels:
    screening runs per period as in COINr) whose share of non-missing indicators is below
    ``min_share``; ``by="zeros"`` (``"byzeros"``) one whose share of non-zero values among its
    present ones is below ``min_nonzero``; ``by="na_and_zeros"`` (``"byNAandzeros"``) one failing
    either. Defaults are COINr's: ``min_share = 2/3``, ``min_nonzero = 0.05``. ``include`` and
    ``exclude`` (unit codes; COINr ``Force``) keep or drop a unit whatever its data.
    ``report_`` lists each row's availability and whether it was kept.
    """

    constraints: ClassVar[dict[str, str]] = {
        "by": "str+",
        "min_share": "share",
        "min_nonzero": "share",
        "include": "list?",
        "exclude": "list?",
    }

    kind: ClassVar[str] = "screen"
    stage: ClassVar[str] = "screened"

    def __init__(
        self,
        *,
        by: str = "na",
        min_share: float = 2 / 3,
        min_nonzero: float = 0.05,
        include: Sequence[str] | None = None,
        exclude: Sequence[str] | None = None,
    ) -> None:
        self.by = by
        self.min_share = min_share
        self.min_nonzero = min_nonzero
        self.include = include
        self.exclude = exclude

    def _keep(self, data: IndexData) -> np.ndarray:
        avail = data_availability(data.matrix())
        low_data = avail["availability"] < self.min_share
        low_nonzero = avail["nonzero_share"] < self.min_nonzero
        drop = {"na": low_data, "zeros": low_nonzero, "na_and_zeros": low_data | low_nonzero}
        keep: np.ndarray = ~drop[self.by]
        units = data.unit_labels()
        keep[np.isin(units, list(self.include or []))] = True
        keep[np.isin(units, list(self.exclude or []))] = False
        return keep

    def _fit(self, data: IndexData) -> None:
        if self.by not in SCREEN_RULES:
            raise SpecError(f"Screen.by must be one of {list(SCREEN_RULES)}, got {self.by!r}")
        units = set(data.unit_labels().tolist())
        for name in ("include", "exclude"):
            unknown = [u for u in getattr(self, name) or [] if u not in units]
            if unknown:
                raise DataError(f"Screen.{name}: unit {unknown[0]!r} is not in the data")
        both = set(self.include or []) & set(self.exclude or [])
        if both:
            raise SpecError(f"Screen: unit {sorted(both)[0]!r} is both included and excluded")
        keep = self._keep(data)
        avail = data_availability(data.matrix())
        self.removed_ = list(data.values.index[~keep])
        self.report_ = pd.DataFrame({**avail, "kept": keep}, index=data.values.index)

    def _transform(self, data: IndexData) -> pd.DataFrame:
        keep = self._keep(data)
        if not keep.any():
            raise DataError(f"screening by {self.by!r} removes every unit")
        return data.values.loc[keep, data.indicators].copy()
