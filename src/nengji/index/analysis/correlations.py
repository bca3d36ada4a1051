# ruff: noqa: N803, N806  matrices keep their mathematical capitals (X, Z, C, ...)
"""Correlations: Pearson, Spearman, Kendall on pairwise-complete units (COINr ``get_corr``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, cast

import numpy as np
import pandas as pd

from nengji.index.analysis._source import Source, _columns, source_frame, source_framework
from nengji.index.data import IndexData
from nengji.index.errors import DataError, SpecError
from nengji.index.framework import Framework
from nengji.index.results import IndexResults

CORRELATION_METHODS = ("pearson", "spearman", "kendall")


def kendall_matrix(X: np.ndarray) -> np.ndarray:
    """Kendall's tau-b between the columns of ``X`` on pairwise-complete rows.

    ``tau_b = Σ s_a s_b / √(Σ s_a² · Σ s_b²)`` over pairs of rows where both columns are present,
    with ``s = sign(x_i − x_k)``: R's ``cor(method = "kendall", use = "pairwise.complete.obs")``.
    numpy only (pandas would import scipy for it). Memory grows with rows² per column.

    >>> round(float(kendall_matrix(np.array([[1.0, 1], [2, 3], [3, 2], [4, 4]]))[0, 1]), 6)
    0.666667
    """
    X = np.asarray(X, dtype=float)
    k = X.shape[1]
    present = ~np.isnan(X)
    S = np.sign(X.T[:, :, None] - X.T[:, None, :])  # columns × rows × rows, NaN where missing
    P = (present.T[:, :, None] & present.T[:, None, :]).astype(float)
    S = np.nan_to_num(S)
    out = np.full((k, k), np.nan)
    for a in range(k):
        num = np.einsum("ij,bij->b", S[a], S)
        den_a = np.einsum("ij,bij->b", S[a] * S[a], P)
        den_b = np.einsum("ij,bij->b", P[a], S * S)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[a] = num / np.sqrt(den_a * den_b)
    return out


def correlation_matrix(
    frame: pd.DataFrame,
    codes: Sequence[str] | None = None,
    with_codes: Sequence[str] | None = None,
    *,
    method: str = "pearson",
    pval: float | None = None,
) -> pd.DataFrame:
    """Correlations on pairwise-complete observations (R ``cor(use = "pairwise.complete.obs")``).

    For each pair of columns only the units where both are present count; Spearman ranks those
    units afresh for each pair, as R does; Kendall is R's tau-b (ties adjusted), computed
    here in numpy (:func:`kendall_matrix`). Rows ``codes``, columns ``with_codes`` (default the
    same). With ``pval`` (COINr ``get_corr`` uses 0.05), correlations whose two-sided p-value
    exceeds it are blanked (NaN), see :func:`correlation_pvalues`.
    """
    if method not in CORRELATION_METHODS:
        raise SpecError(
            f"correlation method must be one of {list(CORRELATION_METHODS)}, got {method!r}"
        )
    codes = list(frame.columns) if codes is None else list(codes)
    with_codes = codes if with_codes is None else list(with_codes)
    union = list(dict.fromkeys([*codes, *with_codes]))
    if method == "kendall":
        X = _columns(frame, union).to_numpy()
        C = pd.DataFrame(kendall_matrix(X), index=union, columns=union)
    else:
        C = _columns(frame, union).corr(
            method=cast(Literal["pearson", "spearman"], method), min_periods=2
        )
    out = C.loc[codes, with_codes]
    if pval:
        out = out.where(correlation_pvalues(frame, codes, with_codes, method=method) <= pval)
    return out


def correlation_pvalues(
    frame: pd.DataFrame,
    codes: Sequence[str] | None = None,
    with_codes: Sequence[str] | None = None,
    *,
    method: str = "pearson",
) -> pd.DataFrame:
    """Two-sided p-values of the pairwise correlations (R ``cor.test`` on each pair).

    ``t = r·√((n − 2)/(1 − r²))`` with ``n − 2`` degrees of freedom, ``n`` the pair's complete
    units: exactly R's Pearson test. For Spearman this is R's large-sample approximation (R uses an
    exact test for n < 1290 without ties). The diagonal is 0, as in COINr's ``get_pvals``.
    """
    codes = list(frame.columns) if codes is None else list(codes)
    with_codes = codes if with_codes is None else list(with_codes)
    r = correlation_matrix(frame, codes, with_codes, method=method).to_numpy()
    a = (~np.isnan(_columns(frame, codes).to_numpy())).astype(float)
    b = (~np.isnan(_columns(frame, with_codes).to_numpy())).astype(float)
    n = a.T @ b
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "kendall":  # normal approximation (R is exact below 50 untied units)
            z = 3 * r * np.sqrt(n * (n - 1)) / np.sqrt(2 * (2 * n + 5))
            p = np.vectorize(math.erfc)(np.abs(z) / math.sqrt(2))
        else:
            t = r * np.sqrt((n - 2) / (1 - r * r))
            p = 2 * t_sf(np.abs(t), n - 2)
    p[np.abs(r) == 1] = 0.0
    p[n < 3] = np.nan
    same = np.equal.outer(np.array(codes, dtype=object), np.array(with_codes, dtype=object))
    p[same] = 0.0
    return pd.DataFrame(p, index=codes, columns=with_codes)


def level_correlations(
    source: Source,
    level: int = 1,
    with_level: int | None = None,
    *,
    method: str = "pearson",
    within: int | None = None,
    pval: float | None = None,
    stage: str | None = None,
    framework: Framework | None = None,
) -> pd.DataFrame:
    """Correlations between the codes of one level and those of another (default the same).

    With ``within=L``, pairs whose ancestors at level ``L`` differ are blanked (NaN), which shows
    the correlations inside each group only (e.g. ``within=2``: indicators of the same pillar).
    """
    fw = source_framework(source, framework)
    frame = source_frame(source, stage)
    rows, cols = fw.codes_at(level), fw.codes_at(level if with_level is None else with_level)
    C = correlation_matrix(frame, rows, cols, method=method, pval=pval)
    if within is not None:
        group = {c: _ancestor_at(fw, c, within) for c in {*rows, *cols}}
        same = np.array([[group[r] == group[c] for c in cols] for r in rows])
        C = C.where(same)
    return C


def _ancestor_at(fw: Framework, code: str, level: int) -> str | None:
    if fw[code].level == level:
        return code
    return next((a for a in fw.ancestors(code) if fw[a].level == level), None)


def parent_correlations(
    source: Source,
    *,
    method: str = "pearson",
    stage: str | None = None,
    framework: Framework | None = None,
) -> pd.DataFrame:
    """Each indicator and aggregate against its parent and against the index.

    A low or negative correlation with the parent flags an indicator that pulls against its
    group (COINr ``get_corr(withparent = ...)``). Needs a data set holding all levels (the
    aggregated stage).
    """
    fw = source_framework(source, framework)
    frame = source_frame(source, stage)
    root = fw.roots[0]
    codes = [c for c in fw.indicators + fw.aggregates if fw[c].parent is not None]
    C = correlation_matrix(frame, codes, list(dict.fromkeys([*fw.aggregates])), method=method)
    return pd.DataFrame(
        {
            "level": [fw[c].level for c in codes],
            "parent": [fw[c].parent for c in codes],
            "r_parent": [C.at[c, fw[c].parent] for c in codes],
            "r_index": [C.at[c, root] for c in codes],
        },
        index=pd.Index(codes, name="code"),
    )


def t_sf(t: np.ndarray, df: np.ndarray) -> np.ndarray:
    """Survival function of Student's t (``pt(t, df, lower.tail = FALSE)`` in R).

    scipy is imported here, not at module level: ``import nengji.index`` must stay scipy-free.
    """
    from scipy.special import stdtr

    return np.asarray(stdtr(df, -np.asarray(t, dtype=float)), dtype=float)


def correlation_flags(
    source: Source,
    *,
    threshold: float = 0.9,
    kind: str = "high",
    group_level: int = 2,
    method: str = "pearson",
    stage: str | None = None,
    framework: Framework | None = None,
) -> pd.DataFrame:
    """Pairs of indicators in the same group whose correlation is above (or below) a threshold.

    COINr ``get_corr_flags``: ``kind="high"`` lists pairs with ``r > threshold`` (collinear,
    double counting), ``kind="low"`` pairs with ``r < threshold`` (e.g. ``threshold=-0.4``:
    indicators pulling against each other). Only pairs under the same level-``group_level``
    aggregate count; each pair is listed once. Columns: ``group, code_1, code_2, r`` (not
    rounded: COINr rounds to 3 digits).
    """
    if kind not in ("high", "low"):
        raise SpecError(f"kind must be 'high' or 'low', got {kind!r}")
    if not -1 <= threshold <= 1:
        raise SpecError(f"a correlation threshold must lie in [-1, 1], got {threshold!r}")
    fw = source_framework(source, framework)
    frame = source_frame(source, stage)
    if group_level not in fw.levels[1:]:
        raise SpecError(f"group_level {group_level} is not an aggregate level {fw.levels[1:]}")
    inds = fw.indicators
    C = correlation_matrix(frame, inds, method=method)
    group = {c: _ancestor_at(fw, c, group_level) for c in inds}
    rows = []
    for i, a in enumerate(inds):
        for b in inds[i + 1 :]:
            r = float(cast(float, C.at[a, b]))
            if group[a] != group[b] or np.isnan(r):
                continue
            if (kind == "high" and r > threshold) or (kind == "low" and r < threshold):
                rows.append({"group": group[a], "code_1": a, "code_2": b, "r": r})
    return pd.DataFrame(rows, columns=["group", "code_1", "code_2", "r"])


def denominator_correlations(
    source: Source,
    *,
    threshold: float = 0.6,
    method: str = "pearson",
    stage: str | None = None,
) -> pd.DataFrame:
    """Indicators correlated with a denominator (COINr ``get_denom_corr``).

    A strong correlation with population or GDP (``|r| > threshold``) suggests the indicator
    measures size and may need denominating. Uses the denominator columns of the data (an
    :class:`~nengji.index.IndexResults` or :class:`~nengji.index.IndexData`), on the rows of
    ``stage`` (default ``raw``). Columns: ``code, denominator, r``, sorted by code.
    """
    if isinstance(source, IndexResults):
        frame = source_frame(source, stage or "raw")
        dens = source.data.denominators
    elif isinstance(source, IndexData):
        frame, dens = source.values, source.denominators
    else:
        raise SpecError("denominator correlations need IndexResults or IndexData")
    if not len(dens.columns):
        raise DataError("no denominator columns in the data")
    fw = source.framework
    inds = fw.indicators if fw is not None else list(frame.columns)
    joined = pd.concat([frame[inds], dens.reindex(frame.index)], axis=1)
    C = correlation_matrix(joined, inds, list(dens.columns), method=method)
    long = C.stack(future_stack=True).reset_index()
    long.columns = pd.Index(["code", "denominator", "r"])
    long = long[long["r"].abs() > threshold]
    return long.sort_values(["code", "denominator"], kind="stable").reset_index(drop=True)
