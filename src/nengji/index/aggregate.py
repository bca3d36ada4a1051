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

#: The weighted means, computed unit by unit and vectorised over stacks of weight vectors.
VECTORISED_METHODS = ("arithmetic", "geometric", "harmonic", "mazziotta_pareto", "genmean")
#: Built-in method names (registered group aggregators such as ``copeland`` come on top).
AGGREGATION_METHODS = (*VECTORISED_METHODS, "copeland", "topsis", "bod")
#: Group aggregators that need values >= 0 (checked before they run, naming code and unit).
NON_NEGATIVE_METHODS = ("bod",)


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


def aggregation_methods() -> list[str]:
    """Every method name ``Aggregate`` accepts: the built-in means and registered aggregators."""
    from nengji.index.aggregators import GROUP_AGGREGATORS

    return [*VECTORISED_METHODS, *GROUP_AGGREGATORS]


def node_methods(
    plan: AggregationPlan,
    method: str | Sequence[str],
    methods: Mapping[str, str] | None = None,
) -> list[str]:
    """The method of each aggregate (``plan.aggregate_codes`` order).

    ``method`` is one name or one per aggregate level (ascending); ``methods`` (aggregate code
    → name) overrides single aggregates, so one level can mix methods (COINr's open issue #35).
    """
    levels = plan.levels
    if isinstance(method, str):
        per_level = [method] * len(levels)
    else:
        per_level = list(method)
        if len(per_level) != len(levels):
            raise SpecError(
                f"aggregate: {len(per_level)} methods given for {len(levels)} aggregate levels "
                f"{levels}; give one method, or one per level"
            )
    by_level = dict(zip(levels, per_level, strict=True))
    out = [by_level[lv] for lv in plan.aggregate_levels]
    codes = plan.aggregate_codes
    for code, m in (methods or {}).items():
        if code not in codes:
            raise SpecError(f"aggregate: methods names {code!r}, which is not an aggregate")
        out[codes.index(code)] = m
    known = aggregation_methods()
    for m in out:
        if not isinstance(m, str) or m not in known:
            raise SpecError(f"unknown aggregation method {m!r}; choose from {known}")
    return out


def _check_positive(
    C: np.ndarray,
    method: str,
    codes: Sequence[str],
    row_label: Callable[[int], str] | None,
    *,
    allow_zero: bool = False,
) -> None:
    bad = C < 0 if allow_zero else C <= 0  # NaN compares False
    if bad.any():
        idx = np.argwhere(bad)[0]
        i, j = int(idx[-2]), int(idx[-1])
        where = row_label(i) if row_label is not None else f"row {i}"
        need = "values >= 0" if allow_zero else "positive values"
        what = f"{method} mean" if method in VECTORISED_METHODS else f"aggregation method {method}"
        raise DataError(f"{what} needs {need}: {codes[j]!r} is {float(C[tuple(idx)])!r} at {where}")


def _transformed(C: np.ndarray, present: np.ndarray, method: str, p: float) -> list[np.ndarray]:
    """The per-child terms whose weighted sums the mean needs (missing → 0)."""
    safe = np.where(present, C, 1.0)
    if method == "arithmetic":
        return [np.where(present, C, 0.0)]
    if method == "geometric":
        return [np.where(present, np.log(safe), 0.0)]
    if method == "harmonic":
        return [np.where(present, 1.0 / safe, 0.0)]
    if method == "genmean":
        return [np.where(present, safe**p, 0.0)]
    return [np.where(present, C, 0.0), np.where(present, C * C, 0.0)]  # mazziotta_pareto


def _check_p(method: str, p: float | None) -> float:
    if method != "genmean":
        return 1.0
    if p is None or isinstance(p, bool) or not np.isfinite(p) or p == 0:
        raise SpecError(
            f"the generalised mean needs a power p != 0 (p = 0 is the geometric mean), got {p!r}"
        )
    return float(p)


def _vector_mean(
    X: np.ndarray,
    A: np.ndarray,
    Wm: np.ndarray,
    B: np.ndarray,
    n_ind: int,
    m: str,
    p: float,
    codes: Sequence[str],
    row_label: Callable[[int], str] | None,
) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """One level's weighted means for the parents in ``B`` (nodes × parents), every draw."""
    rows = np.flatnonzero(B.any(axis=1))
    parts = []  # (terms, present, weight matrix, membership) for indicator / aggregate kids
    for kids, is_ind in ((rows[rows < n_ind], True), (rows[rows >= n_ind], False)):
        if not len(kids):
            continue
        C = X[:, kids] if is_ind else A[:, :, kids - n_ind]
        present = ~np.isnan(C)
        if m in ("geometric", "harmonic") or (m == "genmean" and p < 0):
            _check_positive(C, m, [codes[i] for i in kids], row_label)
        elif m == "genmean":
            _check_positive(C, m, [codes[i] for i in kids], row_label, allow_zero=True)
        Bk = B[kids].astype(float)
        P = Wm[:, kids, None] * Bk[None]  # draws × children × parents
        parts.append((_transformed(C, present, m, p), present, P, Bk))

    def den_part(present: np.ndarray, P: np.ndarray) -> np.ndarray:
        if present.all():  # no gaps: the weight total of each parent, same for every unit
            return np.asarray(P.sum(axis=1)[:, None, :])
        return np.asarray(np.matmul(present.astype(float), P))

    den = sum(den_part(pr, P) for _, pr, P, _ in parts)
    sums = [sum(np.matmul(t[i], P) for t, _, P, _ in parts) for i in range(len(parts[0][0]))]
    with np.errstate(divide="ignore", invalid="ignore"):
        if m == "arithmetic":
            out = sums[0] / den
        elif m == "geometric":
            out = np.exp(sums[0] / den)
        elif m == "harmonic":
            out = den / sums[0]
        elif m == "genmean":
            out = (sums[0] / den) ** (1.0 / p)
        else:  # mazziotta_pareto: mean − sd·cv (penalises unbalanced profiles)
            mean = sums[0] / den
            sd = np.sqrt(np.maximum(sums[1] / den - mean * mean, 0.0))
            out = mean - sd * (sd / mean)
    out = np.where(den > 0, out, np.nan)
    return out, [(pr, Bk) for _, pr, _, Bk in parts]


def _group_mean(
    X: np.ndarray,
    A: np.ndarray,
    Wm: np.ndarray,
    B: np.ndarray,
    n_ind: int,
    m: str,
    row_groups: np.ndarray | None,
    options: Mapping[str, Any] | None = None,
    codes: Sequence[str] = (),
    row_label: Callable[[int], str] | None = None,
) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """A registered group aggregator, parent by parent, draw by draw, period by period."""
    from nengji.index.aggregators import apply_group_aggregator

    n_draws, n_units = Wm.shape[0], X.shape[0]
    out = np.full((n_draws, n_units, B.shape[1]), np.nan)
    blocks = (
        [np.arange(n_units)]
        if row_groups is None
        else [np.flatnonzero(row_groups == g) for g in dict.fromkeys(row_groups.tolist())]
    )
    presence = []
    for a in range(B.shape[1]):
        kids = np.flatnonzero(B[:, a])
        if m in NON_NEGATIVE_METHODS:  # name the code and unit here: the aggregator cannot
            ind_kids = kids[kids < n_ind]
            _check_positive(
                X[:, ind_kids], m, [codes[i] for i in ind_kids], row_label, allow_zero=True
            )
            agg_kids = kids[kids >= n_ind]
            _check_positive(
                A[:, :, agg_kids - n_ind],
                m,
                [codes[i] for i in agg_kids],
                row_label,
                allow_zero=True,
            )
        for d in range(n_draws):
            C = np.concatenate(
                [X[:, kids[kids < n_ind]], A[d][:, kids[kids >= n_ind] - n_ind]], axis=1
            )
            for rows in blocks:
                out[d, rows, a] = apply_group_aggregator(m, C[rows], Wm[d, kids], options)
    rows_all = np.flatnonzero(B.any(axis=1))
    for kids, is_ind in ((rows_all[rows_all < n_ind], True), (rows_all[rows_all >= n_ind], False)):
        if len(kids):
            C = X[:, kids] if is_ind else A[:, :, kids - n_ind]
            presence.append((~np.isnan(C), B[kids].astype(float)))
    return out, presence


def aggregate_array(
    X: np.ndarray,
    plan: AggregationPlan,
    *,
    method: str | Sequence[str] = "arithmetic",
    methods: Mapping[str, str] | None = None,
    p: float | None = None,
    min_share: float | None = None,
    pie_shares: Sequence[float] | None = None,
    weights: np.ndarray | None = None,
    row_label: Callable[[int], str] | None = None,
    row_groups: np.ndarray | None = None,
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
    methods : mapping aggregate code → method, optional
        Overrides for single aggregates (different methods within one level).
    p : float, optional
        The power of ``genmean`` (``(Σ w x^p / Σ w)^(1/p)``).
    min_share : float, optional
        A parent is NaN when the share of non-missing children is below this.
    pie_shares : [lower, upper], optional
        Weight restrictions of ``bod`` (see :func:`~nengji.index.aggregators.bod_steps`).
    weights : array (n_nodes,) or (n_draws, n_nodes), optional
        Node weights replacing ``plan.weights``; a 2-D stack computes every draw at once
        (indicator terms are computed once and shared by all draws).
    row_label : callable, optional
        Row number → label, only used in error messages.
    row_groups : array (n_units,), optional
        Rows compared together by cross-unit methods such as Copeland (the periods of a panel).
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
    per_node = np.asarray(node_methods(plan, method, methods), dtype=object)
    agg_levels = np.asarray(plan.aggregate_levels)
    for level in plan.levels:
        for m in dict.fromkeys(per_node[agg_levels == level].tolist()):
            a_idx = np.flatnonzero((agg_levels == level) & (per_node == m))
            B = plan.member[:, a_idx]  # nodes × parents
            if m in VECTORISED_METHODS:
                out, presence = _vector_mean(
                    X, A, Wm, B, n_ind, m, _check_p(m, p), plan.codes, row_label
                )
            else:
                out, presence = _group_mean(
                    X,
                    A,
                    Wm,
                    B,
                    n_ind,
                    m,
                    row_groups,
                    {"pie_shares": pie_shares},
                    plan.codes,
                    row_label,
                )
            out = np.broadcast_to(out, (n_draws, n_units, len(a_idx)))
            if min_share is not None:
                count = sum(pr.astype(float) @ Bk for pr, Bk in presence)
                n_kids = B[B.any(axis=1)].sum(axis=0)
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
        (``a_hmean``), ``genmean`` (``a_genmean``, power ``p``), ``mazziotta_pareto``,
        ``copeland`` (``a_copeland``), ``topsis`` (closeness to the ideal unit), ``bod``
        (benefit of the doubt, DEA; see :mod:`nengji.index.aggregators`) or any name given to
        :func:`~nengji.index.aggregators.register_aggregator`; or a list with one method per
        aggregate level.
    methods : mapping aggregate code → method, optional
        Overrides for single aggregates, so one level can mix methods (COINr issue #35).
    p : float, optional
        Power of the generalised mean (``p = 1`` arithmetic, ``p = −1`` harmonic, ``p → 0``
        geometric); required by ``genmean``.
    min_share : float, optional
        Data-availability threshold (COINr ``dat_thresh``).
    pie_shares : [lower, upper], optional
        ``bod`` only: each child's share of a unit's score lies within ``[lower, upper]`` times
        its nominal weight share (``0 <= lower <= 1 <= upper``). Other methods ignore it, so an
        uncertainty analysis can swap ``bod`` for another method with the restriction set.
    weights : mapping code → weight, optional
        Overrides framework weights (relative among siblings).
    """

    constraints: ClassVar[dict[str, str]] = {
        "method": "str|list",
        "methods": "mapping?",
        "p": "number?",
        "min_share": "share?",
        "pie_shares": "list?",
        "weights": "mapping?",
    }

    kind: ClassVar[str] = "aggregate"
    stage: ClassVar[str] = "aggregated"

    def __init__(
        self,
        *,
        method: str | list[str] = "arithmetic",
        methods: Mapping[str, str] | None = None,
        p: float | None = None,
        min_share: float | None = None,
        pie_shares: list[float] | None = None,
        weights: Mapping[str, float] | None = None,
    ) -> None:
        self.method = method  # type: ignore[misc,assignment]  # the parameter shadows the ClassVar
        self.methods = methods
        self.p = p
        self.min_share = min_share
        self.pie_shares = pie_shares
        self.weights = weights

    def to_spec(self) -> dict[str, Any]:
        """``{"step": "aggregate", "method": ..., ...}``."""
        out: dict[str, Any] = {"step": self.kind}
        out.update(self.get_params())
        if (
            out["pie_shares"] is None
        ):  # added later: stored specs (and their hashes) stay as they were
            del out["pie_shares"]
        return out

    def kernel_kwargs(self) -> dict[str, Any]:
        """The keyword arguments :func:`aggregate_array` takes from this step."""
        return {
            "method": self.method,
            "methods": self.methods,
            "p": self.p,
            "min_share": self.min_share,
            "pie_shares": self.pie_shares,
        }

    def _fit(self, data: IndexData) -> None:
        if data.framework is None:
            raise DataError("aggregation needs a framework (the tree to aggregate along)")
        if self.weights is not None:
            neg = [c for c, w in self.weights.items() if not float(w) >= 0]
            if neg:
                raise SpecError(f"weight of {neg[0]!r} must be >= 0")
        self.plan_ = AggregationPlan.from_framework(data.framework, self.weights)
        used = node_methods(self.plan_, self.method, self.methods)
        if "genmean" in used:
            _check_p("genmean", self.p)
        if self.pie_shares is not None:  # ignored by other methods, so a UA can swap methods
            from nengji.index.aggregators import check_pie_shares

            check_pie_shares(self.pie_shares)

    def _transform(self, data: IndexData) -> pd.DataFrame:
        plan = self.plan_
        inds = list(plan.codes[: plan.n_indicators])
        X = data.matrix(inds)
        S = aggregate_array(
            X,
            plan,
            **self.kernel_kwargs(),
            row_label=data.row_label,
            row_groups=data.period_labels() if data.is_panel else None,
        )
        return pd.DataFrame(S, index=data.values.index, columns=list(plan.codes))
