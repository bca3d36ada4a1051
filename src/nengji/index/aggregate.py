# ruff: noqa: N803, N806  matrices keep their mathematical capitals (X, W, S, ...)
"""Aggregation: combine children into their parent, level by level.

Missing children are handled as COINr does: they are dropped together with their weights, and
the remaining weights are renormalised (so a unit is not punished for a gap, but see
``min_share``: with ``min_share = t`` a parent is missing when fewer than a share ``t`` of its
children are available). A missing aggregate counts as a missing child one level up.

The kernel works on a matrix of scores and a child→parent weight matrix, so one matrix product
aggregates a whole level for all units; it also accepts a *stack* of weight vectors, which is what
a Monte Carlo over weights needs (:func:`aggregate_array`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from nengji.index.base import Step
from nengji.index.data import IndexData
from nengji.index.errors import DataError, SpecError
from nengji.index.framework import Framework

AGGREGATION_METHODS = ("arithmetic", "geometric", "harmonic", "mazziotta_pareto")


@dataclass(frozen=True)
class AggregationPlan:
    """The framework compiled to arrays: node order, membership matrix, levels, weights.

    ``codes`` lists indicators first, then aggregates by level. ``member[i, a]`` is True when node
    ``i`` is a child of aggregate ``a``. ``weights`` are the raw node weights in ``codes`` order.
    """

    codes: tuple[str, ...]
    n_indicators: int
    aggregate_levels: tuple[int, ...]
    member: np.ndarray
    weights: np.ndarray

    @classmethod
    def from_framework(
        cls, framework: Framework, weights: Mapping[str, float] | None = None
    ) -> AggregationPlan:
        """Compile ``framework``; ``weights`` (code → weight) override the framework's."""
        inds, aggs = framework.indicators, framework.aggregates
        codes = tuple(inds + aggs)
        pos = {c: i for i, c in enumerate(codes)}
        member = np.zeros((len(codes), len(aggs)), dtype=bool)
        for code in codes:
            parent = framework[code].parent
            if parent is not None:
                member[pos[code], pos[parent] - len(inds)] = True
        w = np.array(framework.weights().reindex(codes).to_numpy(dtype=float))
        for code, value in (weights or {}).items():
            if code not in pos:
                raise DataError(f"weight given for unknown code {code!r}")
            w[pos[code]] = float(value)
        return cls(
            codes=codes,
            n_indicators=len(inds),
            aggregate_levels=tuple(framework[a].level for a in aggs),
            member=member,
            weights=w,
        )

    @property
    def aggregate_codes(self) -> tuple[str, ...]:
        """Aggregate codes in computation order."""
        return self.codes[self.n_indicators :]

    @property
    def levels(self) -> list[int]:
        """Distinct aggregate levels, ascending."""
        return sorted(set(self.aggregate_levels))


def _methods_by_level(method: str | Sequence[str], levels: list[int]) -> dict[int, str]:
    if isinstance(method, str):
        methods = [method] * len(levels)
    else:
        methods = list(method)
        if len(methods) != len(levels):
            raise SpecError(
                f"aggregate: {len(methods)} methods given for {len(levels)} aggregate levels "
                f"{levels}; give one method, or one per level"
            )
    for m in methods:
        if m not in AGGREGATION_METHODS:
            raise SpecError(
                f"unknown aggregation method {m!r}; choose from {list(AGGREGATION_METHODS)}"
            )
    return dict(zip(levels, methods, strict=True))


def _check_positive(
    C: np.ndarray, method: str, codes: Sequence[str], row_label: Callable[[int], str] | None
) -> None:
    bad = C <= 0  # NaN compares False
    if bad.any():
        idx = np.argwhere(bad)[0]
        i, j = int(idx[-2]), int(idx[-1])
        where = row_label(i) if row_label is not None else f"row {i}"
        raise DataError(
            f"{method} mean needs positive values: {codes[j]!r} is {float(C[tuple(idx)])!r} "
            f"at {where}"
        )


def _transformed(C: np.ndarray, present: np.ndarray, method: str) -> list[np.ndarray]:
    """The per-child terms whose weighted sums the mean needs (missing → 0)."""
    safe = np.where(present, C, 1.0)
    if method == "arithmetic":
        return [np.where(present, C, 0.0)]
    if method == "geometric":
        return [np.where(present, np.log(safe), 0.0)]
    if method == "harmonic":
        return [np.where(present, 1.0 / safe, 0.0)]
    return [np.where(present, C, 0.0), np.where(present, C * C, 0.0)]  # mazziotta_pareto


def aggregate_array(
    X: np.ndarray,
    plan: AggregationPlan,
    *,
    method: str | Sequence[str] = "arithmetic",
    min_share: float | None = None,
    weights: np.ndarray | None = None,
    row_label: Callable[[int], str] | None = None,
    aggregates_only: bool = False,
) -> np.ndarray:
    """Aggregate indicator scores up the whole tree.

    Parameters
    ----------
    X : array (n_units, n_indicators)
        Normalised indicator scores in ``plan.codes`` order; NaN = missing.
    plan : AggregationPlan
    method : str or list of str
        One method for all levels, or one per aggregate level (ascending).
    min_share : float, optional
        A parent is NaN when the share of non-missing children is below this.
    weights : array (n_nodes,) or (n_draws, n_nodes), optional
        Node weights replacing ``plan.weights``; a 2-D stack computes every draw at once
        (indicator terms are computed once and shared by all draws).
    row_label : callable, optional
        Row number → label, only used in error messages.
    aggregates_only : bool
        Return only the aggregate columns (saves copying the indicators into every draw).

    Returns
    -------
    array (n_units, n_nodes) or (n_draws, n_units, n_nodes)
        Scores of every node (indicators first, then aggregates), in ``plan.codes`` order; with
        ``aggregates_only`` the last axis holds ``plan.aggregate_codes`` only.
    """
    W = plan.weights if weights is None else np.asarray(weights, dtype=float)
    stacked = W.ndim == 2
    Wm = W if stacked else W[None, :]
    X = np.asarray(X, dtype=float)
    n_ind, n_draws, n_units = plan.n_indicators, Wm.shape[0], X.shape[0]
    A = np.full((n_draws, n_units, len(plan.codes) - n_ind), np.nan)
    by_level = _methods_by_level(method, plan.levels)
    agg_levels = np.asarray(plan.aggregate_levels)
    x_present = ~np.isnan(X)
    for level in plan.levels:
        a_idx = np.flatnonzero(agg_levels == level)
        B = plan.member[:, a_idx]  # nodes × parents
        rows = np.flatnonzero(B.any(axis=1))
        m = by_level[level]
        parts = []  # (terms, present, weight matrix, membership) for indicator / aggregate kids
        for kids, is_ind in ((rows[rows < n_ind], True), (rows[rows >= n_ind], False)):
            if not len(kids):
                continue
            C = X[:, kids] if is_ind else A[:, :, kids - n_ind]
            present = x_present[:, kids] if is_ind else ~np.isnan(C)
            if m in ("geometric", "harmonic"):
                _check_positive(C, m, [plan.codes[i] for i in kids], row_label)
            Bk = B[kids].astype(float)
            P = Wm[:, kids, None] * Bk[None]  # draws × children × parents
            parts.append((_transformed(C, present, m), present, P, Bk))

        def den_part(present: np.ndarray, P: np.ndarray) -> np.ndarray:
            if present.all():  # no gaps: the weight total of each parent, same for every unit
                return P.sum(axis=1)[:, None, :]
            return np.matmul(present.astype(float), P)

        den = sum(den_part(pr, P) for _, pr, P, _ in parts)
        sums = [sum(np.matmul(t[i], P) for t, _, P, _ in parts) for i in range(len(parts[0][0]))]
        with np.errstate(divide="ignore", invalid="ignore"):
            if m == "arithmetic":
                out = sums[0] / den
            elif m == "geometric":
                out = np.exp(sums[0] / den)
            elif m == "harmonic":
                out = den / sums[0]
            else:  # mazziotta_pareto: mean − sd·cv (penalises unbalanced profiles)
                mean = sums[0] / den
                sd = np.sqrt(np.maximum(sums[1] / den - mean * mean, 0.0))
                out = mean - sd * (sd / mean)
        out = np.where(den > 0, out, np.nan)
        out = np.broadcast_to(out, (n_draws, n_units, len(a_idx)))
        if min_share is not None:
            count = sum(pr.astype(float) @ Bk for _, pr, _, Bk in parts)
            n_kids = B[rows].sum(axis=0)
            out = np.where(count / n_kids < min_share, np.nan, out)
        A[:, :, a_idx] = out
    if aggregates_only:
        return A if stacked else A[0]
    S = np.empty((n_draws, n_units, len(plan.codes)))
    S[:, :, :n_ind] = X
    S[:, :, n_ind:] = A
    return S if stacked else S[0]


class Aggregate(Step):
    """Aggregate normalised indicators up every level of the framework.

    Parameters
    ----------
    method : str or list of str
        ``arithmetic`` (COINr ``a_amean``), ``geometric`` (``a_gmean``), ``harmonic``
        (``a_hmean``), ``mazziotta_pareto``; or a list with one method per aggregate level.
    min_share : float, optional
        Data-availability threshold (COINr ``dat_thresh``).
    weights : mapping code → weight, optional
        Overrides framework weights (relative among siblings).
    """

    constraints: ClassVar[dict[str, str]] = {
        "method": "str|list",
        "min_share": "share?",
        "weights": "mapping?",
    }

    kind: ClassVar[str] = "aggregate"
    stage: ClassVar[str] = "aggregated"

    def __init__(
        self,
        *,
        method: str | list[str] = "arithmetic",
        min_share: float | None = None,
        weights: Mapping[str, float] | None = None,
    ) -> None:
        self.method = method  # type: ignore[misc]  # instance parameter shadows the ClassVar
        self.min_share = min_share
        self.weights = weights

    def to_spec(self) -> dict[str, Any]:
        """``{"step": "aggregate", "method": ..., ...}``."""
        out: dict[str, Any] = {"step": self.kind}
        out.update(self.get_params())
        return out

    def _fit(self, data: IndexData) -> None:
        if data.framework is None:
            raise DataError("aggregation needs a framework (the tree to aggregate along)")
        if self.weights is not None:
            neg = [c for c, w in self.weights.items() if not float(w) >= 0]
            if neg:
                raise SpecError(f"weight of {neg[0]!r} must be >= 0")
        self.plan_ = AggregationPlan.from_framework(data.framework, self.weights)
        _methods_by_level(self.method, self.plan_.levels)

    def _transform(self, data: IndexData) -> pd.DataFrame:
        plan = self.plan_
        inds = list(plan.codes[: plan.n_indicators])
        X = data.matrix(inds)
        S = aggregate_array(
            X,
            plan,
            method=self.method,
            min_share=self.min_share,
            row_label=data.row_label,
        )
        return pd.DataFrame(S, index=data.values.index, columns=list(plan.codes))
