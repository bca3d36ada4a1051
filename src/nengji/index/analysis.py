# ruff: noqa: N803, N806  matrices keep their mathematical capitals (X, Z, C, ...)
"""Analysis of indicators and aggregates: statistics, correlations, Cronbach's alpha, PCA.

Every function takes a *source*: an :class:`~nengji.index.IndexResults` (with ``stage`` naming
the data set, default the aggregated one, which holds indicators and aggregates), an
:class:`~nengji.index.IndexData`, or a plain DataFrame (units × codes). Where COINr has the same
tool the numbers are COINr's: skew and kurtosis are the sample-adjusted forms COINr's treatment
uses (e1071 type 2, Excel's ``SKEW``/``KURT``), correlations are ``stats::cor(use =
"pairwise.complete.obs")``, Cronbach's alpha is ``get_cronbach`` and PCA is ``get_PCA``
(``prcomp`` on the complete rows, centred and scaled). What-if comparison and strengths and
weaknesses of a unit are in :mod:`nengji.index.profiles`, re-exported here.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from nengji.index.data import IndexData
from nengji.index.errors import DataError, SpecError
from nengji.index.framework import Framework
from nengji.index.profiles import StrengthsWeaknesses, compare, strengths_weaknesses, what_if
from nengji.index.results import IndexResults

__all__ = [
    "PCAResult",
    "StrengthsWeaknesses",
    "compare",
    "correlation_matrix",
    "correlation_pvalues",
    "cronbach",
    "cronbach_by_group",
    "indicator_stats",
    "level_correlations",
    "parent_correlations",
    "pca",
    "skew_kurt",
    "strengths_weaknesses",
    "what_if",
]

Source = IndexResults | IndexData | pd.DataFrame


def source_frame(source: Source, stage: str | None = None) -> pd.DataFrame:
    """The DataFrame (units × codes) an analysis works on."""
    if isinstance(source, IndexResults):
        if stage is None:
            stage = "aggregated" if "aggregated" in source.stages else list(source.stages)[-1]
        if stage not in source.stages:
            raise DataError(f"no stage {stage!r}; stages: {list(source.stages)}")
        return source.stages[stage]
    if stage is not None:
        raise SpecError("'stage' applies to IndexResults only")
    if isinstance(source, IndexData):
        return source.values
    if isinstance(source, pd.DataFrame):
        return source
    raise TypeError(f"expected IndexResults, IndexData or DataFrame, got {type(source).__name__}")


def source_framework(source: Source, framework: Framework | None = None) -> Framework:
    """The framework of ``source`` (or the one given)."""
    if framework is not None:
        return framework
    fw = getattr(source, "framework", None) if not isinstance(source, pd.DataFrame) else None
    if fw is None:
        raise DataError("this analysis needs a framework: pass framework=...")
    return fw


def _columns(frame: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    missing = [c for c in codes if c not in frame.columns]
    if missing:
        raise DataError(f"code {missing[0]!r} is not in the data set")
    return frame[list(codes)].astype(float)


# -- statistics ----------------------------------------------------------------------------------
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


# -- correlations --------------------------------------------------------------------------------
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
        p = 2 * scipy_stats.t.sf(np.abs(t), n - 2)
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


# -- Cronbach's alpha ----------------------------------------------------------------------------
def cronbach(frame: pd.DataFrame, codes: Sequence[str] | None = None) -> float:
    """Cronbach's alpha of ``codes`` (COINr ``get_cronbach``).

    ``α = k²·mean(off-diagonal covariances) / sum(all covariances)``, the covariance matrix on
    pairwise-complete observations, with no direction adjustment (as COINr: use normalised data
    when directions differ).

    >>> cronbach(pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 3, 3, 5], "c": [1.0, 1, 2, 3]}))
    0.9642857142857142
    """
    codes = list(frame.columns) if codes is None else list(codes)
    k = len(codes)
    if k < 2:
        raise DataError(f"Cronbach's alpha needs at least 2 columns, got {k}")
    cov = _columns(frame, codes).cov(min_periods=2).to_numpy()
    total = np.nansum(cov)
    off = (total - np.nansum(np.diag(cov))) / (k * (k - 1))
    return float(k**2 * off / total)


def cronbach_by_group(
    source: Source,
    level: int = 2,
    *,
    stage: str | None = None,
    framework: Framework | None = None,
) -> pd.Series:
    """Cronbach's alpha of the children of each aggregate at ``level`` (e.g. each pillar)."""
    fw = source_framework(source, framework)
    frame = source_frame(source, stage)
    out = {}
    for agg in fw.codes_at(level):
        kids = fw.children(agg)
        out[agg] = cronbach(frame, kids) if len(kids) >= 2 else np.nan
    return pd.Series(out, name="alpha", dtype=float).rename_axis("code")


# -- PCA -----------------------------------------------------------------------------------------
@dataclass
class PCAResult:
    """Principal components of a set of columns (COINr ``get_PCA`` / R ``prcomp``).

    ``loadings`` (codes × PC1…) are the eigenvectors of the correlation matrix, each oriented so
    its loadings sum to ≥ 0 (PCA fixes them only up to sign); ``variance`` the component
    variances (``sdev²``), ``explained`` their shares; ``n_used`` the complete rows used;
    ``scores`` the units' component scores.
    """

    loadings: pd.DataFrame
    variance: pd.Series
    explained: pd.Series
    scores: pd.DataFrame
    n_used: int


def _pca(frame: pd.DataFrame, codes: Sequence[str]) -> PCAResult:
    data = _columns(frame, codes).dropna()  # prcomp on na.omit(...): complete rows only
    if len(data) < 2:
        raise DataError(f"PCA of {list(codes)} needs at least 2 complete rows, got {len(data)}")
    X = data.to_numpy()
    sd = X.std(axis=0, ddof=1)
    if np.any(sd == 0):
        raise DataError(f"PCA: {codes[int(np.argmax(sd == 0))]!r} is constant on complete rows")
    Z = (X - X.mean(axis=0)) / sd
    _, s, Vt = np.linalg.svd(Z, full_matrices=False)
    signs = np.where(Vt.sum(axis=1) < 0, -1.0, 1.0)
    Vt = Vt * signs[:, None]
    pcs = [f"PC{i + 1}" for i in range(len(s))]
    var = s**2 / (len(X) - 1)
    return PCAResult(
        loadings=pd.DataFrame(Vt.T, index=pd.Index(list(codes), name="code"), columns=pcs),
        variance=pd.Series(var, index=pcs, name="variance"),
        explained=pd.Series(var / var.sum(), index=pcs, name="explained"),
        scores=pd.DataFrame(Z @ Vt.T, index=data.index, columns=pcs),
        n_used=len(X),
    )


def pca(
    source: Source,
    codes: Sequence[str] | None = None,
    *,
    level: int = 1,
    by_group: bool = False,
    stage: str | None = None,
    framework: Framework | None = None,
) -> PCAResult | dict[str, PCAResult]:
    """PCA of ``codes`` (default: all codes at ``level``), or of each group at that level.

    With ``by_group=True`` one PCA per parent (e.g. the indicators of each pillar), returned as
    ``{parent: PCAResult}``: a first component that explains most of a group's variance supports
    aggregating that group into one number.
    """
    frame = source_frame(source, stage)
    if not by_group:
        if codes is None:
            codes = source_framework(source, framework).codes_at(level)
        return _pca(frame, codes)
    fw = source_framework(source, framework)
    members = codes if codes is not None else fw.codes_at(level)
    groups: dict[str, list[str]] = {}
    for c in members:
        parent = fw[c].parent
        if parent is not None:
            groups.setdefault(parent, []).append(c)
    return {p: _pca(frame, cs) for p, cs in groups.items()}
