# ruff: noqa: N806  matrices keep their mathematical capitals (X, Z, C, ...)
"""Correlations: Pearson, Spearman, Kendall on pairwise-complete units (COINr ``get_corr``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from nengji.index.analysis._source import Source, _columns, source_frame, source_framework
from nengji.index.errors import SpecError
from nengji.index.framework import Framework


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
    units afresh for each pair, as R does. Rows ``codes``, columns ``with_codes`` (default the
    same). With ``pval`` (COINr ``get_corr`` uses 0.05), correlations whose two-sided p-value
    exceeds it are blanked (NaN), see :func:`correlation_pvalues`.
    """
    if method not in ("pearson", "spearman"):
        raise SpecError(f"correlation method must be 'pearson' or 'spearman', got {method!r}")
    codes = list(frame.columns) if codes is None else list(codes)
    with_codes = codes if with_codes is None else list(with_codes)
    union = list(dict.fromkeys([*codes, *with_codes]))
    C = _columns(frame, union).corr(method=method, min_periods=2)
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
