# ruff: noqa: N803, N806  matrices keep their mathematical capitals (X, W, ...)
"""Aggregators that see the whole group at once: Copeland, TOPSIS, benefit of the doubt, custom.

The means in :mod:`nengji.index.aggregate` work unit by unit and are vectorised over weight
stacks. Some methods compare units with each other (Copeland's pairwise majority, COINr
``a_copeland`` with ``by_df = TRUE``) or are simply a user's own function; they take the scores
of one group's children for all units of one period and the children's weights, and return one
score per unit. :func:`register_aggregator` adds one under a name, so a pipeline YAML can say
``{step: aggregate, method: my_method}`` (COINr lets ``f_ag`` name any R function).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from nengji.index.errors import DataError, SpecError

#: ``func(X, w) -> scores``: X is (units × children) with NaN for missing, w the children's
#: weights (not normalised); the result has one value per unit.
GroupAggregator = Callable[..., np.ndarray]

#: Group aggregators by name (built-in: ``copeland``, ``topsis``, ``bod``).
GROUP_AGGREGATORS: dict[str, GroupAggregator] = {}
#: Options of the Aggregate step that a group aggregator takes as keyword arguments.
GROUP_AGGREGATOR_OPTIONS: dict[str, tuple[str, ...]] = {"bod": ("pie_shares",)}


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


def apply_group_aggregator(
    name: str, X: np.ndarray, w: np.ndarray, options: Mapping[str, Any] | None = None
) -> np.ndarray:
    """Call a registered aggregator and check that it returned one number per unit.

    ``options`` are the Aggregate step's method options; only those the aggregator declares in
    :data:`GROUP_AGGREGATOR_OPTIONS` are passed (and only when set).
    """
    kwargs = {
        k: v
        for k, v in (options or {}).items()
        if k in GROUP_AGGREGATOR_OPTIONS.get(name, ()) and v is not None
    }
    out = np.asarray(GROUP_AGGREGATORS[name](X, w, **kwargs), dtype=float)
    if out.shape != (X.shape[0],):
        raise SpecError(f"aggregator {name!r} returned shape {out.shape}; expected ({X.shape[0]},)")
    return out


@dataclass(frozen=True)
class TopsisSteps:
    """The steps of TOPSIS (Hwang and Yoon): ``weighted`` is the weighted vector-normalised
    matrix ``v_ij = ω_j x_ij / ‖x_j‖``, ``ideal`` / ``anti_ideal`` its column maxima / minima,
    ``d_plus`` / ``d_minus`` each unit's Euclidean distances to them and ``closeness``
    ``d− / (d+ + d−)``."""

    weighted: np.ndarray
    ideal: np.ndarray
    anti_ideal: np.ndarray
    d_plus: np.ndarray
    d_minus: np.ndarray
    closeness: np.ndarray


def topsis_steps(X: np.ndarray, w: np.ndarray) -> TopsisSteps:
    """TOPSIS on a units × children matrix whose columns are all "higher is better".

    The pipeline's normalisation has already applied each indicator's direction, so every
    column is a benefit criterion: the ideal is the column maximum. Weights are divided by their
    sum. Missing values: a column's norm, maximum and minimum use the units that have it, and a
    unit's distances run over the children it has (both distances alike, so the closeness stays
    a ratio of comparable terms); a unit with no value scores NaN, and so does a unit whose two
    distances are both 0 (every unit equal on every child it has).

    >>> topsis_steps(np.array([[3.0, 4.0], [0.0, 0.0]]), np.ones(2)).closeness.tolist()
    [1.0, 0.0]
    """
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    w = w / np.nansum(w)
    present = ~np.isnan(X)
    norm = np.sqrt(np.nansum(X * X, axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        R = np.where(norm > 0, X / np.where(norm > 0, norm, 1.0), np.where(present, 0.0, np.nan))
    V = R * w
    has = present.any(axis=0)
    ideal = np.where(has, np.nanmax(np.where(present, V, -np.inf), axis=0), np.nan)
    anti = np.where(has, np.nanmin(np.where(present, V, np.inf), axis=0), np.nan)
    d_plus = np.sqrt(np.nansum((V - ideal) ** 2, axis=1))
    d_minus = np.sqrt(np.nansum((V - anti) ** 2, axis=1))
    total = d_plus + d_minus
    with np.errstate(invalid="ignore", divide="ignore"):
        closeness = np.where(total > 0, d_minus / np.where(total > 0, total, 1.0), np.nan)
    none = ~present.any(axis=1)
    d_plus[none] = d_minus[none] = np.nan
    return TopsisSteps(V, ideal, anti, d_plus, d_minus, closeness)


def topsis(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """TOPSIS closeness to the ideal unit, in [0, 1] (see :func:`topsis_steps`).

    >>> topsis(np.array([[1.0, 1.0], [0.5, 0.5], [0.0, 0.0]]), np.ones(2)).tolist()
    [1.0, 0.5, 0.0]
    """
    return topsis_steps(X, w).closeness


@dataclass(frozen=True)
class BodResult:
    """Benefit-of-the-doubt scores and, per unit (row), the weights its linear programme chose
    (``weights[i] @ X[i]`` is its score; NaN for children the unit lacks)."""

    scores: np.ndarray
    weights: np.ndarray


def check_pie_shares(pie_shares: Any) -> tuple[float, float] | None:
    """``[lower, upper]`` as two floats (or None), refused unless ``0 <= lower <= 1 <= upper``."""
    if pie_shares is None:
        return None
    ok = (
        isinstance(pie_shares, list | tuple)
        and len(pie_shares) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in pie_shares)
    )
    if not ok:
        raise SpecError(f"pie_shares must be two numbers [lower, upper], got {pie_shares!r}")
    lower, upper = float(pie_shares[0]), float(pie_shares[1])
    if not (0 <= lower <= 1 <= upper) or not np.isfinite(upper):
        raise SpecError(
            "pie_shares [lower, upper] multiply each child's nominal weight share and need "
            f"0 <= lower <= 1 <= upper < inf (so the nominal weights are feasible), "
            f"got {pie_shares!r}"
        )
    return lower, upper


def bod_steps(X: np.ndarray, w: np.ndarray, *, pie_shares: Any = None) -> BodResult:
    """Benefit of the doubt (DEA with a unit input), one linear programme per unit.

    For unit ``i`` with children values ``y_i`` (≥ 0, higher is better)::

        CI_i = max_v  Σ_j v_j y_ij
               s.t.   Σ_j v_j y_kj <= 1  for every unit k,   v >= 0

    so each unit is scored with the weights most favourable to it, relative to the best any
    unit achieves with those weights (1 = on the frontier). This is the multiplier form; its
    dual is the output-oriented envelopment model ``max φ: Σ_k λ_k y_k >= φ y_i,
    Σ_k λ_k <= 1, λ >= 0`` and ``CI_i = 1/φ``.

    ``pie_shares = [lower, upper]`` restricts each child's share of the unit's own score (the
    "pie share" ``v_j y_ij / Σ_l v_l y_il``, Cherchye et al. 2007) to ``[lower·ω_j,
    upper·ω_j]`` with ``ω_j`` the nominal weights normalised to sum 1: the office's weights stay
    the anchor, and the benefit of the doubt may move them by a declared factor. ``[1, 1]`` fixes
    every share at its nominal weight. Without restrictions a unit that is best on one child
    scores 1 however poor it is elsewhere.

    Missing values: unit ``i`` is judged on the children it has (``ω`` renormalised over them);
    another unit's missing value counts as 0 in its constraint. A unit with no value is NaN.
    Negative values are refused (normalise onto a non-negative scale first).

    >>> bod_steps(np.array([[1.0, 0.0], [0.0, 1.0], [0.4, 0.4]]), np.ones(2)).scores.tolist()
    [1.0, 1.0, 0.8]
    """
    from scipy.optimize import linprog  # only here: importing scipy costs seconds

    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    n, k = X.shape
    bounds = check_pie_shares(pie_shares)
    if (X < 0).any():  # NaN compares False
        i, j = np.argwhere(X < 0)[0]
        raise DataError(
            f"benefit of the doubt needs values >= 0 (higher is better): child {int(j) + 1} of "
            f"row {int(i)} is {float(X[i, j])!r}; normalise onto a non-negative scale first"
        )
    Y = np.nan_to_num(X, nan=0.0)
    scores = np.full(n, np.nan)
    weights = np.full((n, k), np.nan)
    for i in range(n):
        cols = np.flatnonzero(~np.isnan(X[i]))
        if not len(cols):
            continue
        y = Y[i, cols]
        A = [Y[:, cols]]
        b = [np.ones(n)]
        if bounds is not None:
            omega = w[cols] / w[cols].sum()
            lower, upper = bounds
            share_rows = np.diag(y)
            # lower·ω_j·(y·v) − y_j v_j <= 0   and   y_j v_j − upper·ω_j·(y·v) <= 0
            A.append(lower * omega[:, None] * y[None, :] - share_rows)
            A.append(share_rows - upper * omega[:, None] * y[None, :])
            b.append(np.zeros(2 * len(cols)))
        res = linprog(
            -y, A_ub=np.vstack(A), b_ub=np.concatenate(b), bounds=(0, None), method="highs"
        )
        if res.status != 0:  # pragma: no cover - v = 0 is always feasible and the set bounded
            raise DataError(
                f"benefit of the doubt: the linear programme of row {i} failed: {res.message}"
            )
        x = np.maximum(np.asarray(res.x, dtype=float), 0.0)  # the solver may return -0.0
        scores[i] = min(1.0, float(y @ x))  # the solver's tolerance may overshoot 1
        weights[i, cols] = x
    return BodResult(scores, weights)


def bod(X: np.ndarray, w: np.ndarray, *, pie_shares: Any = None) -> np.ndarray:
    """Benefit-of-the-doubt scores in [0, 1] (see :func:`bod_steps`)."""
    return bod_steps(X, w, pie_shares=pie_shares).scores


GROUP_AGGREGATORS["copeland"] = copeland
GROUP_AGGREGATORS["topsis"] = topsis
GROUP_AGGREGATORS["bod"] = bod
