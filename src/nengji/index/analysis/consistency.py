# ruff: noqa: N806  matrices keep their mathematical capitals (X, Z, C, ...)
"""Internal consistency: Cronbach's alpha (COINr ``get_cronbach``) and PCA (``get_PCA``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nengji.index.analysis._source import Source, _columns, source_frame, source_framework
from nengji.index.errors import DataError
from nengji.index.framework import Framework


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
