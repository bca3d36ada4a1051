"""Trends of a panel per unit and indicator: CAGR and percent change (COINr ``get_trends``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from nengji.index.analysis._source import Source, source_frame
from nengji.index.errors import DataError, SpecError


def trend_cagr(y: np.ndarray, t: np.ndarray) -> float:
    """Compound annual growth from the first to the last observation (COINr ``CAGR``).

    Equal first and last values give 0 (also when both are 0).

    >>> trend_cagr(np.array([100.0, np.nan, 121.0]), np.array([2018.0, 2019, 2020]))
    0.10000000000000009
    """
    ok = ~np.isnan(y)
    if ok.sum() < 2:
        return float("nan")
    yk, tk = y[ok], t[ok]
    if yk[-1] == yk[0]:
        return 0.0
    with np.errstate(divide="ignore", invalid="ignore"):  # a zero start: ±Inf/NaN, as COINr
        return float((yk[-1] / yk[0]) ** (1.0 / (tk[-1] - tk[0])) - 1.0)


def trend_percent(y: np.ndarray, t: np.ndarray, per: float = 1.0) -> float:
    """Percent change per ``per`` periods (COINr ``prc_change``): from the first and last values
    with 2 observations, from a least-squares line with 3 or more (slope·per / fitted first
    value × 100)."""
    ok = ~np.isnan(y)
    if ok.sum() < 2:
        return float("nan")
    yk, tk = y[ok], t[ok]
    if len(np.unique(yk)) == 1:
        return 0.0
    if len(yk) < 3:
        return float((yk[-1] - yk[0]) * 100 / yk[0] * (per / (tk[-1] - tk[0])))
    slope, intercept = np.polyfit(tk, yk, 1)
    return float(slope * per / (intercept + slope * tk[0]) * 100)


#: Trend functions by name; any ``f(y, t) -> float`` may be passed instead.
TRENDS: dict[str, Callable[[np.ndarray, np.ndarray], float]] = {
    "cagr": trend_cagr,
    "percent": trend_percent,
}


def trends(
    source: Source,
    codes: Sequence[str] | None = None,
    *,
    method: str | Callable[[np.ndarray, np.ndarray], float] = "cagr",
    stage: str | None = None,
    periods: Sequence[Any] | None = None,
    use_latest: int | None = None,
    interpolate: bool = False,
    directions: bool = False,
) -> pd.DataFrame:
    """One trend per unit and indicator of a panel (COINr ``get_trends``).

    ``periods`` restricts to those periods; ``use_latest = n`` uses each series' last ``n``
    periods ending at its latest observation (NaN when the series is shorter); ``interpolate``
    fills gaps inside a series linearly first (COINr ``interp_at = "all"``); ``directions``
    multiplies each trend by the indicator's direction, so a positive trend is an improvement.
    Returns ``unit, code, trend, availability, t_first, t_latest`` (availability and first /
    latest period from the observed, not interpolated, values), sorted by code and unit.
    """
    from nengji.index.results import IndexResults

    if isinstance(source, IndexResults) and stage is None:
        stage = "raw"  # trends of the indicators as measured
    frame = source_frame(source, stage)
    if not isinstance(frame.index, pd.MultiIndex):
        raise DataError("trends need a panel (a time column)")
    func = TRENDS.get(method) if isinstance(method, str) else method
    if func is None:
        raise SpecError(f"unknown trend method {method!r}; choose from {list(TRENDS)}")
    fw = getattr(source, "framework", None) if not isinstance(source, pd.DataFrame) else None
    if codes is None:
        codes = [c for c in (fw.indicators if fw else frame.columns) if c in frame.columns]
    missing = [c for c in codes if c not in frame.columns]
    if missing:
        raise DataError(f"code {missing[0]!r} is not in the data set")
    direction = fw.direction() if (fw is not None and directions) else None
    unit_name = frame.index.names[0] or "unit"
    rows = []
    for unit, block in frame[list(codes)].groupby(level=0, sort=True):
        block = block.sort_index(level=1)
        t_all = block.index.get_level_values(1).to_numpy()
        if periods is not None:
            unknown = [p for p in periods if p not in set(frame.index.get_level_values(1))]
            if unknown:
                raise DataError(f"period {unknown[0]!r} is not in the data")
            keep = np.isin(t_all, list(periods))
            block, t_all = block[keep], t_all[keep]
        t = t_all.astype(float)
        for code in codes:
            raw = block[code].to_numpy(dtype=float)
            y = raw.copy()
            ok = ~np.isnan(raw)
            if interpolate and ok.sum() >= 2:
                inner = (t >= t[ok].min()) & (t <= t[ok].max())
                y[inner] = np.interp(t[inner], t[ok], raw[ok])
            tt = t
            if use_latest is not None and (~np.isnan(y)).any():
                last = int(np.flatnonzero(~np.isnan(y))[-1])
                first = last - use_latest + 1
                y, tt = (y[first : last + 1], t[first : last + 1]) if first >= 0 else (y[:0], t[:0])
            value = func(y, tt) if len(y) else float("nan")
            if direction is not None:
                value *= float(direction[code])
            rows.append(
                {
                    unit_name: unit,
                    "code": code,
                    "trend": value,
                    "availability": float(ok.mean()) if len(ok) else float("nan"),
                    "t_first": t_all[ok][0] if ok.sum() > 1 else None,
                    "t_latest": t_all[ok][-1] if ok.sum() > 1 else None,
                }
            )
    out = pd.DataFrame(rows)
    return pd.DataFrame(out.sort_values(["code", str(unit_name)], kind="stable")).reset_index(
        drop=True
    )
