# ruff: noqa: N803, N806  matrices keep their mathematical capitals (X, Z, C, ...)
"""Descriptive statistics of indicators (COINr ``get_stats``) and data availability."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from nengji.index.analysis._source import Source, _columns, source_frame


def skew_kurt(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sample-adjusted skewness and excess kurtosis of each column, NaNs removed.

    ``skew = √n·Σd³/(Σd²)^1.5 · √(n(n−1))/(n−2)`` and
    ``kurt = ((n+1)(n·Σd⁴/(Σd²)² − 3) + 6)(n−1)/((n−2)(n−3))`` (e1071 type 2 = Excel
    ``SKEW``/``KURT``; COINr's outlier rule). NaN where ``n`` is too small or the column is flat.

    >>> s, k = skew_kurt(np.array([[1.0], [2.0], [3.0], [10.0]]))
    >>> round(float(s[0]), 6), round(float(k[0]), 6)
    (1.763633, 3.228)
    """
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    ok = ~np.isnan(X)
    n = ok.sum(axis=0).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(ok, X, 0.0).sum(axis=0) / n
        d = np.where(ok, X - mean, 0.0)
        m2, m3, m4 = (d**2).sum(axis=0), (d**3).sum(axis=0), (d**4).sum(axis=0)
        skew = np.sqrt(n) * m3 / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
        kurt = ((n + 1) * (n * m4 / m2**2 - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    skew[(n < 3) | (m2 == 0)] = np.nan
    kurt[(n < 4) | (m2 == 0)] = np.nan
    return skew, kurt


def indicator_stats(
    source: Source,
    codes: Sequence[str] | None = None,
    *,
    stage: str | None = None,
    min_availability: float = 0.65,
    max_skew: float = 2.0,
    max_kurtosis: float = 3.5,
    max_zero_share: float = 0.5,
    min_unique_share: float = 0.5,
) -> pd.DataFrame:
    """Statistics of each column, with flags that tell what to look at (COINr ``get_stats``).

    Returns one row per code: ``n``, ``n_missing``, ``availability`` (share of non-missing),
    ``min, max, mean, median, sd`` (sample sd), ``skew``, ``kurtosis`` (:func:`skew_kurt`),
    ``share_zero``, ``share_unique`` (of the non-missing values) and boolean flags
    ``low_availability`` (< ``min_availability``), ``outliers`` (``|skew| ≥ max_skew`` and
    ``kurtosis ≥ max_kurtosis``: the indicators COINr's default treatment would touch),
    ``many_zeros`` and ``few_unique``.
    """
    frame = source_frame(source, stage)
    if codes is None:
        fw = getattr(source, "framework", None) if not isinstance(source, pd.DataFrame) else None
        codes = [c for c in (fw.indicators if fw else frame.columns) if c in frame.columns]
    X = _columns(frame, codes).to_numpy()
    ok = ~np.isnan(X)
    n = ok.sum(axis=0)
    skew, kurt = skew_kurt(X)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-missing columns give NaN
        stats = {
            "n": n,
            "n_missing": X.shape[0] - n,
            "availability": n / X.shape[0] if X.shape[0] else np.nan,
            "min": np.nanmin(X, axis=0) if X.size else np.nan,
            "max": np.nanmax(X, axis=0) if X.size else np.nan,
            "mean": np.nanmean(X, axis=0),
            "median": np.nanmedian(X, axis=0),
            "sd": np.nanstd(X, axis=0, ddof=1),
            "skew": skew,
            "kurtosis": kurt,
            "share_zero": (X == 0).sum(axis=0) / n,
            "share_unique": [len(np.unique(col[~np.isnan(col)])) for col in X.T] / n,
        }
    out = pd.DataFrame(stats, index=pd.Index(list(codes), name="code"))
    out["low_availability"] = out["availability"] < min_availability
    out["outliers"] = (out["skew"].abs() >= max_skew) & (out["kurtosis"] >= max_kurtosis)
    out["many_zeros"] = out["share_zero"] > max_zero_share
    out["few_unique"] = out["share_unique"] < min_unique_share
    return out


def data_availability(source: Source, *, stage: str | None = None) -> pd.DataFrame:
    """Per unit (and period): missing, zero and availability counts, overall and per group.

    COINr ``get_data_avail``: ``n_missing, n_zero, n_missing_or_zero, availability,
    nonzero_share`` over all indicators, then one column per aggregate with the share of its
    indicators the unit has (COINr's ``ByGroup`` table). Needs a framework for the groups.
    """
    from nengji.index.prepare import data_availability as kernel

    frame = source_frame(source, stage if not isinstance(source, pd.DataFrame) else None)
    fw = getattr(source, "framework", None) if not isinstance(source, pd.DataFrame) else None
    inds = [c for c in (fw.indicators if fw is not None else frame.columns) if c in frame.columns]
    X = _columns(frame, inds).to_numpy()
    out = pd.DataFrame(kernel(X), index=frame.index)
    if fw is not None:
        pos = {c: j for j, c in enumerate(inds)}
        for level in fw.levels[1:]:
            for agg in fw.codes_at(level):
                cols = [pos[c] for c in fw.indicators if agg in fw.ancestors(c) and c in pos]
                out[agg] = 1.0 - np.isnan(X[:, cols]).mean(axis=1)
    return out
