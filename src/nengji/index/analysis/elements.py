# ruff: noqa: N806  matrices keep their mathematical capitals (X, W, S, ...)
"""Leave one element out: how much does each component move the ranks? (COINr
``remove_elements``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nengji.index.aggregate import AggregationPlan, aggregate_array
from nengji.index.errors import DataError, SpecError
from nengji.index.results import IndexResults, rank_scores


@dataclass
class RemovedElements:
    """Scores and ranks of ``target`` with each element removed in turn.

    ``scores`` and ``ranks`` have one column ``nominal`` and one per removed code;
    ``rank_change`` is ``nominal rank − rank`` (COINr's sign: positive = moved up),
    ``mean_abs_rank_change`` the mean over units of its absolute value per removed code: the
    component's influence on the ranks.
    """

    scores: pd.DataFrame
    ranks: pd.DataFrame
    rank_change: pd.DataFrame
    mean_abs_rank_change: pd.Series


def _aggregate_settings(results: IndexResults) -> dict[str, Any]:
    agg = [s for s in results.spec.get("steps", []) if s.get("step") == "aggregate"]
    if not agg or "aggregated" not in results.stages:
        raise DataError("removing elements needs results of a pipeline with an aggregate step")
    keys = ("method", "methods", "p", "min_share", "pie_shares", "weights")
    return {k: agg[-1][k] for k in keys if k in agg[-1]}


def remove_elements(
    results: IndexResults, level: int, *, target: str | None = None
) -> RemovedElements:
    """Remove each element of ``level`` in turn (its weight set to 0) and re-aggregate.

    As COINr: only the aggregation is repeated (the normalised indicators stay as they are);
    all removals are computed in one vectorised call with a stack of weight vectors. ``level``
    1 removes indicators, 2 pillars, …; it must be below the top level. For a panel, ranks are
    taken within each period and the mean runs over all unit-periods.
    """
    fw = results.framework
    if level not in fw.levels[:-1]:
        raise SpecError(f"level must be one of {fw.levels[:-1]} (below the top), got {level!r}")
    target = target or fw.roots[0]
    if target not in fw.aggregates:
        raise SpecError(f"target {target!r} is not an aggregate")
    settings = _aggregate_settings(results)
    plan = AggregationPlan.from_framework(fw, settings.pop("weights", None))
    codes = fw.codes_at(level)
    W = np.tile(plan.weights, (len(codes), 1))
    for i, code in enumerate(codes):
        W[i, plan.codes.index(code)] = 0.0
    frame = results.stages["aggregated"]
    X = frame[list(plan.codes[: plan.n_indicators])].to_numpy(dtype=float)
    groups = frame.index.get_level_values(1).to_numpy() if results.data.is_panel else None
    S = aggregate_array(X, plan, weights=W, row_groups=groups, aggregates_only=True, **settings)
    t = plan.aggregate_codes.index(target)
    scores = pd.DataFrame(S[:, :, t].T, index=frame.index, columns=codes)
    scores.insert(0, "nominal", frame[target].to_numpy())
    ranks = rank_scores(scores)
    change = ranks.rsub(ranks["nominal"], axis=0)[codes]
    mean_abs = change.abs().mean().rename("mean_abs_rank_change")
    return RemovedElements(scores, ranks, change, mean_abs)
