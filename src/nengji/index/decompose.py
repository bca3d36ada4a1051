"""Exact decomposition of a change in the index into contributions of indicators and dimensions.

Arithmetic aggregation (all levels)
    With the *realised* effective weight ``W_jt`` of indicator ``j`` in year ``t`` (the product
    down the tree of the sibling weights renormalised over the children present that year), the
    index is exactly ``I_t = Σ_j W_jt z_jt``. The contribution of ``j`` to ``I_t − I_s`` is
    ``W_jt z_jt − W_js z_js``; with no gaps in the data this is ``W_j (z_jt − z_js)``, effective
    weight × change in normalised score. The contributions add up to the change exactly.
Geometric aggregation (all levels)
    ``log I_t = Σ_j W_jt log z_jt``. The change is split with the logarithmic mean
    ``L = (I_t − I_s)/(log I_t − log I_s)`` (``L = I_t`` when equal), a Sato–Vartia style split:
    contribution ``L · (W_jt log z_jt − W_js log z_js)``, which again adds up exactly.

The contribution of a dimension (any aggregate) is the sum of its indicators' contributions, and
equals the change of its own weighted score in the parent. Other means (harmonic,
Mazziotta–Pareto, mixed methods) have no exact additive split here and raise an error.
"""

# ruff: noqa: N806  matrices keep their mathematical capitals
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from nengji.index.errors import DataError
from nengji.index.framework import Framework
from nengji.index.results import IndexResults


def realised_weights(
    scores: pd.DataFrame, framework: Framework, weights: dict[str, float] | None = None
) -> pd.DataFrame:
    """Per row, the weight of every node in its root after dropping missing children.

    ``scores`` holds indicator and aggregate scores (the ``aggregated`` stage). A node whose score
    is missing gets weight 0 and its siblings share its weight, exactly as the aggregation did.
    """
    raw = framework.weights()
    for code, w in (weights or {}).items():
        raw[code] = float(w)
    n = len(scores)
    W: dict[str, np.ndarray] = {}
    for code in sorted(framework.nodes, key=lambda c: -framework[c].level):
        node = framework[code]
        if node.parent is None:
            W[code] = np.where(scores[code].notna().to_numpy(), 1.0, 0.0)
        kids = framework.children(code)
        if not kids:
            continue
        present = scores[kids].notna().to_numpy()
        w = raw[kids].to_numpy(dtype=float) * present
        total = w.sum(axis=1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(total > 0, w / total, 0.0)
        for k, kid in enumerate(kids):
            W[kid] = W[code] * share[:, k]
    return (
        pd.DataFrame(W, index=scores.index).reindex(columns=list(framework.nodes)).fillna(0.0)
        if n
        else pd.DataFrame(columns=list(framework.nodes))
    )


@dataclass
class Decomposition:
    """Contributions to the change of ``root`` between pairs of periods.

    Attributes
    ----------
    total : DataFrame
        Rows ``(unit, period)``: ``previous`` period, ``start`` and ``end`` value, ``change``.
    indicators : DataFrame
        Same rows; one column per indicator: its contribution. Rows sum to ``change``.
    aggregates : DataFrame
        Same rows; one column per aggregate below the root: its contribution (the sum of its
        indicators). The root's children sum to ``change``.
    method : str
        ``"arithmetic"`` or ``"geometric"``.
    """

    total: pd.DataFrame
    indicators: pd.DataFrame
    aggregates: pd.DataFrame
    method: str

    def check(self, tol: float = 1e-9) -> float:
        """Largest gap between the summed contributions and the change (should be ~1e-13)."""
        gap = (self.indicators.sum(axis=1) - self.total["change"]).abs()
        return float(gap.max()) if len(gap) else 0.0


def _aggregate_settings(results: IndexResults) -> tuple[str, dict[str, float] | None]:
    agg = [s for s in results.spec.get("steps", []) if s.get("step") == "aggregate"]
    if not agg:
        raise DataError("the results have no aggregate step to decompose")
    method = agg[-1].get("method", "arithmetic")
    methods = {method} if isinstance(method, str) else set(method)
    methods |= set((agg[-1].get("methods") or {}).values())  # per-aggregate overrides
    if len(methods) != 1 or not methods <= {"arithmetic", "geometric"}:
        raise DataError(
            f"exact decomposition is implemented for arithmetic or geometric aggregation at all "
            f"levels, not {method!r}"
        )
    return methods.pop(), agg[-1].get("weights")


def decompose(
    results: IndexResults,
    *,
    root: str | None = None,
    start: Any = None,
    end: Any = None,
) -> Decomposition:
    """Split each unit's change of ``root`` into exact indicator and aggregate contributions.

    By default every pair of consecutive periods is decomposed; give ``start`` and ``end`` to
    decompose one longer change (e.g. 2013 → 2019).
    """
    if not results.data.is_panel:
        raise DataError("a decomposition of changes needs a panel")
    fw = results.framework
    root = root or fw.roots[0]
    method, weights = _aggregate_settings(results)
    scores = results.stages["aggregated"]
    W = realised_weights(scores, fw, weights)
    under = _indicators_under(fw)
    inds = [c for c in fw.indicators if root in fw.ancestors(c)]
    Z = scores[inds]
    if method == "arithmetic":
        term = (W[inds] * Z.fillna(0.0)).to_numpy()
    else:
        with np.errstate(divide="ignore"):
            term = (W[inds] * cast(pd.DataFrame, np.log(Z)).fillna(0.0)).to_numpy()
    term_df = pd.DataFrame(term, index=scores.index, columns=inds)
    periods = sorted(results.data.periods())
    if start is not None or end is not None:
        pairs = [
            (start if start is not None else periods[0], end if end is not None else periods[-1])
        ]
    else:
        pairs = list(itertools.pairwise(periods))
    unit_col = results.data.unit_col
    time_col = results.data.time_col or "Time"
    totals, contrib = [], []
    for prev, cur in pairs:
        a = term_df.xs(prev, level=1)
        b = term_df.xs(cur, level=1)
        ia = scores[root].xs(prev, level=1)
        ib = scores[root].xs(cur, level=1)
        units = ia.index.intersection(ib.index)
        d = b.loc[units] - a.loc[units]
        s0, s1 = ia.loc[units], ib.loc[units]
        if method == "geometric":
            with np.errstate(divide="ignore", invalid="ignore"):
                lm = (s1 - s0) / (np.log(s1) - np.log(s0))
            lm = lm.where(s1 != s0, s1)
            d = d.mul(lm, axis=0)
        idx = pd.MultiIndex.from_arrays(
            [units, np.full(len(units), cur)], names=[unit_col, time_col]
        )
        d.index = idx
        contrib.append(d)
        totals.append(
            pd.DataFrame(
                {
                    "previous": prev,
                    "start": s0.to_numpy(),
                    "end": s1.to_numpy(),
                    "change": (s1 - s0).to_numpy(),
                },
                index=idx,
            )
        )
    indicators = pd.concat(contrib)
    aggs = [c for c in fw.aggregates if root in fw.ancestors(c)]
    aggregates = pd.DataFrame(
        {a: indicators[[c for c in under[a] if c in inds]].sum(axis=1) for a in aggs},
        index=indicators.index,
    )
    return Decomposition(
        total=pd.concat(totals), indicators=indicators, aggregates=aggregates, method=method
    )


def _indicators_under(fw: Framework) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {a: [] for a in fw.aggregates}
    for ind in fw.indicators:
        for anc in fw.ancestors(ind):
            out[anc].append(ind)
    return out
