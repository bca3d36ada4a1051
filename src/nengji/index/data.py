"""Index data: units × indicators for one period, or a panel of periods.

:class:`IndexData` bundles the indicator values with everything a step may need about them: the
framework (directions, weights, tree), group columns (for group imputation) and denominator
columns (for denomination). Values are a DataFrame indexed by the unit code (named as in the
input, e.g. ``uCode``) or, for panels, by ``(unit, Time)``; its columns are indicator codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from nengji.index.errors import DataError

if TYPE_CHECKING:
    from nengji.index.framework import Framework

#: Column names taken as the unit code, in order of preference, when none is given.
UNIT_COLUMNS = ("uCode", "unit", "code", "unit_code")
#: Column names taken as the period of a panel.
TIME_COLUMNS = ("Time", "time", "year", "period")
#: Descriptive columns that are kept aside and never treated as indicators.
META_COLUMNS = ("uName", "name", "name_zh", "name_en", "demo", "source", "note")


@dataclass(frozen=True, eq=False)
class IndexData:
    """Indicator values plus what steps need to know about them.

    Attributes
    ----------
    framework : Framework or None
        The indicator tree; ``None`` means "every column is an indicator, direction +1".
    values : DataFrame
        Index = unit codes (or ``(unit, time)`` MultiIndex for panels); columns = codes.
    groups, denominators : DataFrame
        Same index as ``values``; group labels and denominator values.
    unit_col, time_col : str
        Names used for the unit code and (panels only) the period.
    """

    framework: Framework | None
    values: pd.DataFrame
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    denominators: pd.DataFrame = field(default_factory=pd.DataFrame)
    meta: pd.DataFrame = field(default_factory=pd.DataFrame)
    unit_col: str = "uCode"
    time_col: str | None = None

    @property
    def is_panel(self) -> bool:
        """True when values are indexed by (unit, time)."""
        return isinstance(self.values.index, pd.MultiIndex)

    @property
    def indicators(self) -> list[str]:
        """Indicator codes (framework leaves, or all columns without a framework)."""
        if self.framework is None:
            return list(self.values.columns)
        return self.framework.indicators

    def matrix(self, codes: list[str] | None = None) -> np.ndarray:
        """Values of ``codes`` (default: the indicators) as a new float array."""
        codes = self.indicators if codes is None else codes
        cols = self.values.columns
        if len(cols) >= len(codes) and list(cols[: len(codes)]) == list(codes):
            return np.array(self.values.iloc[:, : len(codes)].to_numpy(dtype=float))
        return np.array(self.values[codes].to_numpy(dtype=float))

    def direction(self) -> np.ndarray:
        """Direction of each indicator column, in :attr:`indicators` order."""
        if self.framework is None:
            return np.ones(len(self.indicators))
        return self.framework.direction().reindex(self.indicators).to_numpy()

    def periods(self) -> list[Any]:
        """Distinct periods in order of appearance (``[None]`` for one-period data)."""
        if not self.is_panel:
            return [None]
        return list(pd.unique(self.values.index.get_level_values(1)))

    def period_labels(self) -> np.ndarray:
        """Period of each row (``None`` everywhere for one-period data)."""
        if not self.is_panel:
            return np.full(len(self.values), None, dtype=object)
        return self.values.index.get_level_values(1).to_numpy()

    def unit_labels(self) -> np.ndarray:
        """Unit code of each row."""
        if not self.is_panel:
            return self.values.index.to_numpy()
        return self.values.index.get_level_values(0).to_numpy()

    def with_values(self, values: pd.DataFrame) -> IndexData:
        """A copy with new values; side tables follow the (possibly reduced) row index."""
        return replace(
            self,
            values=values,
            groups=self.groups.reindex(values.index) if len(self.groups.columns) else self.groups,
            denominators=self.denominators.reindex(values.index)
            if len(self.denominators.columns)
            else self.denominators,
            meta=self.meta.reindex(values.index) if len(self.meta.columns) else self.meta,
        )

    def with_framework(self, framework: Framework) -> IndexData:
        """A copy with another framework (e.g. with learned weights)."""
        return replace(self, framework=framework)

    def row_label(self, i: int) -> str:
        """Human-readable label of row ``i`` for error messages."""
        key = self.values.index[i]
        if isinstance(key, tuple):
            unit, time = (getattr(k, "item", lambda k=k: k)() for k in key)
            return f"{self.unit_col}={unit!r}, {self.time_col}={time!r}"
        return f"{self.unit_col}={getattr(key, 'item', lambda: key)()!r}"


def as_index_data(data: IndexData | pd.DataFrame) -> IndexData:
    """Wrap a plain DataFrame (index = units, columns = indicators) as framework-less data."""
    if isinstance(data, IndexData):
        return data
    if isinstance(data, pd.DataFrame):
        bad = [c for c in data.columns if not pd.api.types.is_numeric_dtype(data[c])]
        if bad:
            raise DataError(f"column {bad[0]!r} is not numeric")
        unit = data.index.names[0] or "uCode"
        time = data.index.names[1] if isinstance(data.index, pd.MultiIndex) else None
        return IndexData(
            None, data, unit_col=str(unit), time_col=None if time is None else str(time)
        )
    raise TypeError(f"expected IndexData or DataFrame, got {type(data).__name__}")


def _numeric_column(frame: pd.DataFrame, col: str, labels: list[str]) -> np.ndarray:
    raw = frame[col]
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        return raw.to_numpy(dtype=float)
    conv = pd.to_numeric(raw, errors="coerce")
    bad = conv.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"non-numeric value {raw.iloc[i]!r} in column {col!r}, row {labels[i]}")
    return conv.to_numpy(dtype=float)


def build_data(
    frame: pd.DataFrame,
    framework: Framework,
    *,
    unit_col: str | None = None,
    time_col: str | None = None,
    group_cols: list[str] | None = None,
) -> IndexData:
    """Build :class:`IndexData` from a wide table (nengji's format or COINr's iData, unchanged).

    Every column must be the unit code, the period, a descriptive column (:data:`META_COLUMNS`,
    COINr ``Other`` rows, COINr's ignored ``x_*`` columns), a group (the framework's groups,
    ``group_cols``, or any column named ``*_group`` / ``group_*``), a denominator, or an
    indicator of ``framework``; anything else is an error naming the
    column, as are non-numeric cells (naming row and column) and duplicated units.
    A ``Time`` column with a single value gives one-period data; with several values, a panel.
    """
    cols = list(frame.columns)
    if unit_col is None:
        unit_col = next((c for c in UNIT_COLUMNS if c in cols), None)
        if unit_col is None:
            raise DataError(f"no unit code column found (looked for {list(UNIT_COLUMNS)})")
    elif unit_col not in cols:
        raise DataError(f"unit column {unit_col!r} not found in the data")
    if time_col is None:
        time_col = next((c for c in TIME_COLUMNS if c in cols), None)
    groups = [
        c
        for c in cols
        if c in set(framework.groups) | set(group_cols or [])
        or (c not in framework and (str(c).endswith("_group") or str(c).startswith("group_")))
    ]
    denom_names = set(framework.denominators) | {
        n.denominator for n in framework.nodes.values() if n.denominator
    }
    denoms = [c for c in cols if c in denom_names and c not in framework.indicators]
    # descriptive columns, COINr "Other" columns and COINr's ignored "x_" columns stay aside
    meta = [
        c for c in cols if c in META_COLUMNS or c in framework.others or str(c).startswith("x_")
    ]
    known = {unit_col, time_col, *groups, *denoms, *meta}
    indicators = framework.indicators
    unknown = [c for c in cols if c not in known and c not in framework]
    if unknown:
        raise DataError(
            f"column {unknown[0]!r} is not an indicator code of the framework "
            "(nor a unit, time, name, group or denominator column)"
        )
    aggregate_cols = [c for c in cols if c in framework and c not in indicators]
    if aggregate_cols:
        raise DataError(f"column {aggregate_cols[0]!r} is an aggregate, not an indicator")
    missing = [c for c in indicators if c not in cols]
    if missing:
        raise DataError(f"indicator {missing[0]!r} of the framework has no column in the data")

    blank = frame[unit_col].isna() | (frame[unit_col].astype(str).str.strip() == "")
    if blank.any():
        raise DataError(f"row {int(np.flatnonzero(blank.to_numpy())[0]) + 1} has no {unit_col}")
    units = frame[unit_col].astype(str).to_numpy()
    if time_col is not None and frame[time_col].isna().any():
        i = int(np.flatnonzero(frame[time_col].isna().to_numpy())[0])
        raise DataError(f"row {i + 1} ({unit_col}={units[i]!r}) has no {time_col}")
    is_panel = time_col is not None and frame[time_col].nunique(dropna=False) > 1
    if is_panel:
        times = frame[time_col].to_numpy()
        index = pd.MultiIndex.from_arrays([units, times], names=[unit_col, time_col])
        labels = [
            f"{unit_col}={u!r}, {time_col}={t!r}"
            for u, t in zip(units.tolist(), times.tolist(), strict=True)
        ]
    else:
        index = pd.Index(units, name=unit_col)
        labels = [f"{unit_col}={u!r}" for u in units.tolist()]
    if index.has_duplicates:
        dup = index[index.duplicated()][0]
        raise DataError(f"unit {dup!r} appears more than once")
    values = pd.DataFrame({c: _numeric_column(frame, c, labels) for c in indicators}, index=index)
    values.columns.name = None
    den = pd.DataFrame({c: _numeric_column(frame, c, labels) for c in denoms}, index=index)
    grp = pd.DataFrame({c: frame[c].to_numpy() for c in groups}, index=index)
    met = pd.DataFrame({c: frame[c].to_numpy() for c in meta}, index=index)
    return IndexData(
        framework,
        values,
        groups=grp,
        denominators=den,
        meta=met,
        unit_col=unit_col,
        time_col=time_col if is_panel else None,
    )


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV the way COINr writes it: empty fields are missing, nothing else is."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def read_data(path: str | Path | pd.DataFrame, framework: Framework, **kwargs: Any) -> IndexData:
    """Read a data CSV (nengji's format or COINr's iData) and check it against ``framework``."""
    frame = path if isinstance(path, pd.DataFrame) else read_table(path)
    return build_data(frame, framework, **kwargs)
