# ruff: noqa: N803, N806  matrices keep their mathematical capitals (X, W, P, V, ...)
"""Aggregate one indicator matrix under a *stack* of weight vectors, without copying it per draw.

Same rules and results as :func:`nengji.index.aggregate.aggregate_array` with a 2-D ``weights``
(missing children dropped with their weights, ``min_share``, positivity checks), but organised for
Monte Carlo: the indicator matrix ``X`` is identical in every draw, so the first aggregation level
is one broadcast matrix product ``(units × children) @ (draws × children × parents)`` with the
masks and transforms (``log x``, ``1/x``) of ``X`` computed once. Only the aggregates are returned
(draws × units × aggregates), which keeps memory at the size of the answer. On the synthetic
2,000 × 60 case this is several times faster than the general kernel, which broadcasts ``X`` into
every draw first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from nengji.index.aggregate import AggregationPlan, _check_positive, _methods_by_level


def _transform(V: np.ndarray, method: str) -> np.ndarray:
    if method == "geometric":
        return np.log(V)
    if method == "harmonic":
        return 1.0 / V
    return V


def aggregate_stack(
    X: np.ndarray,
    plan: AggregationPlan,
    W: np.ndarray,
    *,
    method: str | Sequence[str] = "arithmetic",
    min_share: float | None = None,
    row_label: Callable[[int], str] | None = None,
) -> np.ndarray:
    """Aggregate scores (draws × units × aggregates) of ``X`` (units × indicators) for each row of
    ``W`` (draws × nodes, in ``plan.codes`` order)."""
    W = np.asarray(W, dtype=float)
    n_ind = plan.n_indicators
    n_draws, n_units = W.shape[0], X.shape[0]
    A = np.full((n_draws, n_units, len(plan.aggregate_codes)), np.nan)
    by_level = _methods_by_level(method, plan.levels)
    agg_levels = np.asarray(plan.aggregate_levels)
    for level in plan.levels:
        a_idx = np.flatnonzero(agg_levels == level)
        B = plan.member[:, a_idx]
        child_rows = np.flatnonzero(B.any(axis=1))
        Bc = B[child_rows].astype(float)
        P = W[:, child_rows, None] * Bc[None]  # draws × children × parents
        m = by_level[level]
        codes = [plan.codes[i] for i in child_rows]
        if child_rows.max() < n_ind:  # children are indicators: X is shared by every draw
            V = X[:, child_rows]
            check = V
        else:
            V = np.concatenate(
                [
                    np.broadcast_to(X[:, i], (n_draws, n_units))[..., None]
                    if i < n_ind
                    else A[:, :, i - n_ind, None]
                    for i in child_rows
                ],
                axis=2,
            )
            check = V[0]
        present = ~np.isnan(V)
        if m in ("geometric", "harmonic"):
            _check_positive(check, m, codes, row_label)
        with np.errstate(divide="ignore", invalid="ignore"):
            T = np.where(present, _transform(np.where(present, V, 1.0), m), 0.0)
            den = np.matmul(present.astype(float), P)
            num = np.matmul(T, P)
            if m == "arithmetic":
                out = num / den
            elif m == "geometric":
                out = np.exp(num / den)
            elif m == "harmonic":
                out = den / num
            else:  # mazziotta_pareto: mean − sd·cv
                mean = num / den
                sq = np.matmul(np.where(present, V * V, 0.0), P) / den
                sd = np.sqrt(np.maximum(sq - mean * mean, 0.0))
                out = mean - sd * (sd / mean)
        out[den <= 0] = np.nan
        if min_share is not None:
            share = np.matmul(present.astype(float), Bc) / Bc.sum(axis=0)
            out[np.broadcast_to(share < min_share, out.shape)] = np.nan
        A[:, :, a_idx] = out
    return A
