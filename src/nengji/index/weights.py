"""Weighting: learn sibling weights from data or from expert judgement.

A weight step sits between ``normalise`` and ``aggregate``. ``fit`` computes, for every parent at
the chosen level, a weight for each of its children and stores a framework with those weights in
``framework_`` (the pipeline passes it on to the aggregate step); ``transform`` returns the values
unchanged. ``weights_`` holds the learned weights (code → weight, summing to 1 among siblings).

Data-driven weights use only complete rows of each sibling group, on normalised values:

* ``entropy`` (熵权法): ``p_ij = z_ij / Σ_i z_ij``, ``e_j = −Σ_i p_ij ln p_ij / ln n``,
  ``w_j ∝ 1 − e_j`` (needs non-negative values, e.g. after min-max);
* ``critic``: ``w_j ∝ σ_j Σ_k (1 − r_jk)`` (contrast × conflict);
* ``pca``: ``w_j ∝ (loading of j on the first principal component of the correlation matrix)²``
  (the OECD/JRC Handbook's squared-loading rule with one component);
* ``ahp``: principal eigenvector of a pairwise comparison matrix, with Saaty's consistency ratio.
"""

# ruff: noqa: N803, N806  matrices keep their mathematical capitals
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from nengji.index.base import Step
from nengji.index.data import IndexData
from nengji.index.errors import DataError, SpecError
from nengji.index.framework import Framework

#: Saaty's random consistency index by matrix size.
RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}


class Weighter(Step):
    """Base class: ``_group_weights(Z, codes)`` returns weights for one sibling group."""

    kind: ClassVar[str] = "weight"
    stage: ClassVar[str] = "normalised"

    level: int

    def _group_weights(self, Z: np.ndarray, codes: list[str]) -> np.ndarray:
        raise NotImplementedError

    def _normalise(self, w: np.ndarray) -> np.ndarray:
        """Sibling weights summing to 1 (PCA loadings in COINr's convention stay as they are)."""
        return np.asarray(w / w.sum(), dtype=float)

    def _fit(self, data: IndexData) -> None:
        fw = data.framework
        if fw is None:
            raise DataError("weighting needs a framework")
        if self.level != 1:
            raise SpecError(
                f"{type(self).__name__}: data-driven weights are learned for indicators "
                "(level 1) only"
            )
        learned: dict[str, float] = {}
        for parent in fw.codes_at(2):
            kids = fw.children(parent)
            Z = data.values[kids].to_numpy(dtype=float)
            Z = Z[~np.isnan(Z).any(axis=1)]
            if len(Z) < 2:
                raise DataError(f"too few complete rows to weight the children of {parent!r}")
            w = self._normalise(self._group_weights(Z, kids))
            learned.update(dict(zip(kids, w.tolist(), strict=True)))
        self.weights_ = learned
        self.framework_ = fw.with_weights(learned)

    def _transform(self, data: IndexData) -> pd.DataFrame:
        return data.values.copy()


class EntropyWeights(Weighter):
    """Entropy weight method (熵权法): more dispersed indicators get more weight."""

    constraints: ClassVar[dict[str, str]] = {"level": "int>=1"}

    method = "entropy"

    def __init__(self, *, level: int = 1) -> None:
        self.level = level

    def _group_weights(self, Z: np.ndarray, codes: list[str]) -> np.ndarray:
        if (Z < 0).any():
            j = int(np.argwhere(Z < 0)[0][1])
            raise DataError(
                f"entropy weights need non-negative values; {codes[j]!r} has negatives "
                "(normalise with minmax first)"
            )
        total = Z.sum(axis=0)
        if (total == 0).any():
            raise DataError(f"entropy weights: {codes[int(np.argmax(total == 0))]!r} is all zero")
        P = Z / total
        with np.errstate(divide="ignore", invalid="ignore"):
            plogp = np.where(P > 0, P * np.log(P), 0.0)
        e = -plogp.sum(axis=0) / np.log(len(Z))
        d = 1.0 - e
        if d.sum() <= 0:
            return np.ones(len(codes))
        return np.asarray(d, dtype=float)


class CriticWeights(Weighter):
    """CRITIC: weight ∝ standard deviation × Σ (1 − correlation) with the siblings."""

    constraints: ClassVar[dict[str, str]] = {"level": "int>=1"}

    method = "critic"

    def __init__(self, *, level: int = 1) -> None:
        self.level = level

    def _group_weights(self, Z: np.ndarray, codes: list[str]) -> np.ndarray:
        sd = Z.std(axis=0, ddof=1)
        if (sd == 0).any():
            raise DataError(f"CRITIC weights: {codes[int(np.argmax(sd == 0))]!r} is constant")
        if len(codes) == 1:
            return np.ones(1)
        R = np.corrcoef(Z, rowvar=False)
        return np.asarray(sd * (1.0 - R).sum(axis=0), dtype=float)


class PCAWeights(Weighter):
    """Weights from the first principal component of each sibling group.

    ``convention="squared"`` (default, OECD/JRC Handbook): ``w ∝ loading²``, always positive.
    ``convention="loadings"`` (COINr ``get_PCA(weights_to = ...)``): the PC1 loadings themselves
    (the eigenvector of the correlation matrix of the complete rows, ``prcomp(center = TRUE,
    scale = TRUE)``), oriented so they sum to ≥ 0 since a PCA fixes them only up to sign; a
    component loading negatively then gets a negative weight, as in COINr.
    """

    constraints: ClassVar[dict[str, str]] = {"level": "int>=1", "convention": "str+"}

    method = "pca"

    def __init__(self, *, level: int = 1, convention: str = "squared") -> None:
        self.level = level
        self.convention = convention

    def _group_weights(self, Z: np.ndarray, codes: list[str]) -> np.ndarray:
        if self.convention not in ("squared", "loadings"):
            raise SpecError(
                f"PCAWeights.convention must be 'squared' or 'loadings', got {self.convention!r}"
            )
        if len(codes) == 1:
            return np.ones(1)
        w = pca_weights(Z, self.convention, codes)
        if (w < 0).any():
            code = codes[int(np.argmin(w))]
            raise DataError(
                f"PCA loading of {code!r} is negative ({float(w.min()):.3g}): a negative weight "
                "would reward lower values; use convention 'squared' or drop the indicator"
            )
        return w

    def _normalise(self, w: np.ndarray) -> np.ndarray:
        # loadings sum to ≥ 0 but may not be comparable to 1 per group: keep them as COINr does
        return w if self.convention == "loadings" else w / w.sum()


def pca_weights(Z: np.ndarray, convention: str, codes: Sequence[str] = ()) -> np.ndarray:
    """First-component weights of the columns of ``Z`` (complete rows).

    ``"loadings"``: the PC1 eigenvector of the correlation matrix (COINr ``get_PCA``:
    ``prcomp(center = TRUE, scale = TRUE)$rotation[, 1]``), oriented to sum ≥ 0;
    ``"squared"``: its squares (summing to 1).
    """
    R = np.corrcoef(Z, rowvar=False)
    if np.isnan(R).any():
        raise DataError(f"PCA weights: constant indicator among {list(codes)}")
    _, vecs = np.linalg.eigh(R)
    v = vecs[:, -1]
    if convention == "loadings":
        return np.asarray(v if v.sum() >= 0 else -v)
    return np.asarray(v * v)


def ahp_weights(matrix: Sequence[Sequence[float]]) -> tuple[np.ndarray, float]:
    """Principal-eigenvector weights of a pairwise comparison matrix and its consistency ratio.

    >>> w, cr = ahp_weights([[1, 3], [1/3, 1]])
    >>> [round(float(v), 3) for v in w], cr
    ([0.75, 0.25], 0.0)
    """
    A = np.asarray(matrix, dtype=float)
    n = A.shape[0]
    if A.shape != (n, n) or (A <= 0).any():
        raise SpecError("an AHP matrix must be square with positive entries")
    if not np.allclose(A * A.T, 1.0):
        raise SpecError("an AHP matrix must be reciprocal: a_ji = 1 / a_ij")
    vals, vecs = np.linalg.eig(A)
    k = int(np.argmax(vals.real))
    w = np.abs(vecs[:, k].real)
    w = w / w.sum()
    lam = float(vals[k].real)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX.get(n, 1.49)
    cr = ci / ri if ri > 0 else 0.0
    return w, max(cr, 0.0) if abs(cr) > 1e-12 else 0.0


class AHPWeights(Weighter):
    """Analytic hierarchy process: weights of ``codes`` (siblings) from a pairwise matrix.

    ``matrix[i][j]`` says how much more important ``codes[i]`` is than ``codes[j]`` (1–9 scale).
    Fitting fails when the consistency ratio exceeds ``max_cr`` (Saaty's 0.1).
    """

    constraints: ClassVar[dict[str, str]] = {
        "codes": "list",
        "matrix": "list",
        "max_cr": "positive",
    }

    method = "ahp"

    def __init__(
        self,
        *,
        codes: Sequence[str] = (),
        matrix: Sequence[Sequence[float]] = (),
        max_cr: float = 0.1,
    ) -> None:
        self.codes = codes
        self.matrix = matrix
        self.max_cr = max_cr

    def _fit(self, data: IndexData) -> None:
        fw: Framework | None = data.framework
        if fw is None:
            raise DataError("weighting needs a framework")
        codes = list(self.codes)
        if len(codes) != len(self.matrix):
            raise SpecError(f"AHP: {len(codes)} codes but a {len(self.matrix)}-row matrix")
        parents = {fw[c].parent for c in codes}
        if len(parents) != 1:
            raise SpecError(f"AHP codes must be siblings (one parent), got parents {parents}")
        w, cr = ahp_weights(self.matrix)
        self.consistency_ratio_ = cr
        if cr > self.max_cr:
            raise SpecError(
                f"AHP matrix for {sorted(str(p) for p in parents)[0]!r} is inconsistent: "
                f"CR = {cr:.3f} > {self.max_cr}"
            )
        self.weights_ = dict(zip(codes, w.tolist(), strict=True))
        self.framework_ = fw.with_weights(self.weights_)


class ManualWeights(Weighter):
    """Weights given by hand (code → weight, relative among siblings)."""

    constraints: ClassVar[dict[str, str]] = {"weights": "mapping?"}

    method = "manual"

    def __init__(self, *, weights: Mapping[str, float] | None = None) -> None:
        self.weights = weights

    def _fit(self, data: IndexData) -> None:
        if data.framework is None:
            raise DataError("weighting needs a framework")
        self.weights_ = dict(self.weights or {})
        self.framework_ = data.framework.with_weights(self.weights_)


class EqualWeights(Weighter):
    """Equal weights among siblings at every level (or at ``levels`` only)."""

    constraints: ClassVar[dict[str, str]] = {"levels": "list?"}

    method = "equal"

    def __init__(self, *, levels: Sequence[int] | None = None) -> None:
        self.levels = levels

    def _fit(self, data: IndexData) -> None:
        fw = data.framework
        if fw is None:
            raise DataError("weighting needs a framework")
        chosen = set(self.levels) if self.levels is not None else set(fw.levels)
        self.weights_ = {
            c: 1.0 for c, n in fw.nodes.items() if n.parent is not None and n.level in chosen
        }
        self.framework_ = fw.with_weights(self.weights_)


WEIGHTERS: dict[str, type[Step]] = {
    cls.method: cls
    for cls in (EqualWeights, ManualWeights, EntropyWeights, CriticWeights, PCAWeights, AHPWeights)
}


def describe_weights(framework: Framework) -> pd.DataFrame:
    """Raw, sibling-normalised and effective weight of every node."""
    w = framework.weights()
    rel: dict[str, Any] = {}
    for code, node in framework.nodes.items():
        sibs = framework.children(node.parent) if node.parent else [code]
        rel[code] = w[code] / w[sibs].sum()
    return pd.DataFrame(
        {"weight": w, "relative": pd.Series(rel), "effective": framework.effective_weights()}
    )
