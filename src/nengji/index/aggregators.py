# ruff: noqa: N803, N806  matrices keep their mathematical capitals (X, W, ...)
"""Aggregators that see the whole group at once: Copeland and custom, registered methods.

The means in :mod:`nengji.index.aggregate` work unit by unit and are vectorised over weight
stacks. Some methods compare units with each other (Copeland's pairwise majority, COINr
``a_copeland`` with ``by_df = TRUE``) or are simply a user's own function; they take the scores
of one group's children for all units of one period and the children's weights, and return one
score per unit. :func:`register_aggregator` adds one under a name, so a pipeline YAML can say
``{step: aggregate, method: my_method}`` (COINr lets ``f_ag`` name any R function).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nengji.index.errors import SpecError

#: ``func(X, w) -> scores``: X is (units × children) with NaN for missing, w the children's
#: weights (not normalised); the result has one value per unit.
GroupAggregator = Callable[[np.ndarray, np.ndarray], np.ndarray]

#: Group aggregators by name (built-in: ``copeland``).
GROUP_AGGREGATORS: dict[str, GroupAggregator] = {}


@dataclass(frozen=True)
class Outranking:
    """COINr ``outrankMatrix``: ``matrix[i, j]`` is the weight share of indicators on which unit
    ``i`` beats unit ``j`` (ties count half); ``n_dominant`` counts the pairs where one unit is
    at least as good on every indicator it can be compared on (an entry of exactly 1), and
    ``share_dominant`` divides by the number of pairs ``n(n − 1)/2``."""

    matrix: np.ndarray
    n_dominant: int
    share_dominant: float


def outranking_matrix(X: np.ndarray, w: np.ndarray | None = None) -> Outranking:
    """The outranking matrix of units (rows of ``X``) over indicators (columns).

    As COINr: weights are divided by their sum over all indicators; a comparison with a missing
    value counts for neither unit; the upper triangle is computed and the lower one is
    ``1 − upper`` (so with missing values ``matrix[j, i]`` also absorbs the missing share).

    >>> outranking_matrix(np.array([[1.0, 2.0], [0.0, 2.0]])).matrix.tolist()
    [[0.0, 0.75], [0.25, 0.0]]
    """
    X = np.asarray(X, dtype=float)
    n, k = X.shape
    w = np.ones(k) if w is None else np.asarray(w, dtype=float)
    w = w / np.nansum(w)
    A, B = X[:, None, :], X[None, :, :]
    upper = (A > B).astype(float) @ w + (A == B).astype(float) @ w / 2.0  # NaN compares False
    iu = np.triu_indices(n, 1)
    M = np.zeros((n, n))
    M[iu] = upper[iu]
    M.T[iu] = 1.0 - upper[iu]
    n_dom = int((M == 1).sum())
    pairs = (n * n - n) / 2
    return Outranking(M, n_dom, n_dom / pairs if pairs else float("nan"))


def copeland(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Copeland scores (COINr ``a_copeland``): each pairwise majority won +1, lost −1, tied 0.

    Units with no value at all score NaN (COINr scores them from the absorbed missing shares).

    >>> copeland(np.array([[3.0, 3.0], [2.0, 2.0], [1.0, 1.0]]), np.ones(2)).tolist()
    [2.0, 0.0, -2.0]
    """
    M = outranking_matrix(X, w).matrix
    S = np.sign(M - 0.5)
    np.fill_diagonal(S, 0.0)
    scores = S.sum(axis=1)
    scores[np.isnan(X).all(axis=1)] = np.nan
    return np.asarray(scores)


def register_aggregator(name: str, func: GroupAggregator) -> None:
    """Register ``func(X, w) -> scores`` as aggregation method ``name``.

    It receives, for each aggregate and period, the children's scores for all units (units ×
    children, NaN = missing) and their weights, and returns one score per unit. ``min_share``
    still applies afterwards. Built-in mean names cannot be replaced.
    """
    from nengji.index.aggregate import VECTORISED_METHODS

    if name in VECTORISED_METHODS:
        raise SpecError(f"{name!r} is a built-in mean and cannot be re-registered")
    GROUP_AGGREGATORS[name] = func


def apply_group_aggregator(name: str, X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Call a registered aggregator and check that it returned one number per unit."""
    out = np.asarray(GROUP_AGGREGATORS[name](X, w), dtype=float)
    if out.shape != (X.shape[0],):
        raise SpecError(f"aggregator {name!r} returned shape {out.shape}; expected ({X.shape[0]},)")
    return out


GROUP_AGGREGATORS["copeland"] = copeland
