# ruff: noqa: N806  matrices keep their mathematical capitals (X, W, S, ...)
"""Weights optimised so that components correlate with the index as intended.

A nominal weight is not the influence a component ends up having: correlated components and
different spreads distort it. COINr's ``get_opt_weights`` searches the weights of one level so
that each component's correlation with the index matches target importances (``balance``), or
so that the components' correlations with the index are as large as possible in sum
(``infomax``). The search is Nelder–Mead, as R's ``optim``; scipy is imported only when it runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from nengji.index.aggregate import AggregationPlan, aggregate_array
from nengji.index.analysis.correlations import correlation_matrix
from nengji.index.data import IndexData
from nengji.index.errors import DataError, SpecError
from nengji.index.framework import Framework
from nengji.index.weights import Weighter


@dataclass
class OptimisedWeights:
    """Result of :func:`optimise_weights`: the level's weights (summing to 1 over the level),
    the correlations of its components with the index they give (normalised to sum 1 for
    ``balance``), the targets, the objective and whether the search converged."""

    weights: pd.Series
    correlations: pd.Series
    targets: pd.Series | None
    objective: float
    converged: bool


def optimise_weights(
    data: IndexData,
    level: int,
    *,
    kind: str = "balance",
    targets: str | Sequence[float] | Mapping[str, float] = "equal",
    method: str = "pearson",
    aggregate: Mapping[str, Any] | None = None,
    tol: float = 1e-6,
    max_iter: int = 500,
) -> OptimisedWeights:
    """Optimise the weights of the components at ``level`` (COINr ``get_opt_weights``).

    ``data`` holds normalised indicators (the input of the aggregate step) and its framework.
    ``balance`` minimises ``log(mean((t − r/Σr)²))`` (+1e-300, so an exact fit stays
    finite), ``t`` the targets normalised to sum 1 and ``r`` the components' correlations with
    the index; ``infomax`` maximises ``Σ r``.
    ``aggregate`` holds the aggregate step's settings (``method``, ``p``, …; default
    arithmetic). Weights are kept positive (COINr's search does not restrict them).
    """
    from scipy.optimize import minimize  # only here: importing scipy costs seconds

    fw = data.framework
    if fw is None:
        raise DataError("optimising weights needs a framework")
    if kind not in ("balance", "infomax"):
        raise SpecError(f"kind must be 'balance' or 'infomax', got {kind!r}")
    if level not in fw.levels[:-1]:
        raise SpecError(f"level must be one of {fw.levels[:-1]}, got {level!r}")
    codes = fw.codes_at(level)
    root = fw.roots[0]
    t = _targets(targets, codes) if kind == "balance" else None
    plan = AggregationPlan.from_framework(fw)
    pos = [plan.codes.index(c) for c in codes]
    X = data.matrix(list(plan.codes[: plan.n_indicators]))
    settings = dict(aggregate or {})
    settings.pop("weights", None)

    def correlations(w: np.ndarray) -> np.ndarray:
        W = plan.weights.copy()
        W[pos] = w / w.sum()
        S = aggregate_array(X, plan, weights=W, **settings)
        frame = pd.DataFrame(S, columns=list(plan.codes))
        return correlation_matrix(frame, codes, [root], method=method).to_numpy()[:, 0]

    def objective(w: np.ndarray) -> float:
        r = correlations(np.abs(w))
        if t is None:
            return float(-np.sum(r))
        mse = np.sum((t - r / r.sum()) ** 2) / len(r)
        return float(np.log(mse + 1e-300))  # an exact fit would be log(0) = −inf

    start = t.copy() if t is not None else plan.weights[pos] / plan.weights[pos].sum()
    res = minimize(
        objective,
        start,
        method="Nelder-Mead",
        options={"fatol": tol, "xatol": tol, "maxiter": max_iter},
    )
    w = np.abs(res.x) / np.abs(res.x).sum()
    r = correlations(w)
    return OptimisedWeights(
        weights=pd.Series(w, index=codes, name="weight"),
        correlations=pd.Series(r / r.sum() if t is not None else r, index=codes, name="r"),
        targets=None if t is None else pd.Series(t, index=codes, name="target"),
        objective=float(res.fun),
        converged=bool(res.success),
    )


def _targets(targets: str | Sequence[float] | Mapping[str, float], codes: list[str]) -> np.ndarray:
    if isinstance(targets, str):
        if targets != "equal":
            raise SpecError(f"targets must be 'equal', a list or a mapping, got {targets!r}")
        t = np.ones(len(codes))
    elif isinstance(targets, Mapping):
        missing = [c for c in codes if c not in targets]
        if missing:
            raise SpecError(f"no target importance for {missing[0]!r}")
        t = np.array([float(targets[c]) for c in codes])
    else:
        t = np.asarray(targets, dtype=float)
        if t.shape != (len(codes),):
            raise SpecError(f"{len(t)} targets given for the {len(codes)} codes of the level")
    if not (np.all(np.isfinite(t)) and np.all(t >= 0) and t.sum() > 0):
        raise SpecError("target importances must be non-negative numbers, not all zero")
    return np.asarray(t / t.sum(), dtype=float)


class OptimisedWeightsStep(Weighter):
    """A weight step learning optimised weights in ``fit`` (see :func:`optimise_weights`).

    ``{step: weight, method: optimised, level: 2, objective: balance, targets: equal}``; the
    weights of ``level`` are replaced, the others kept (``objective`` is ``optimise_weights``'s
    ``kind``: a step's ``kind`` is its pipeline stage).
    """

    constraints: ClassVar[dict[str, str]] = {
        "level": "int>=1",
        "objective": "str+",
        "targets": "required",
        "correlation": "str+",
    }

    method = "optimised"

    def __init__(
        self,
        *,
        level: int = 2,
        objective: str = "balance",
        targets: Any = "equal",
        correlation: str = "pearson",
    ) -> None:
        self.level = level
        self.objective = objective
        self.targets = targets
        self.correlation = correlation

    def _fit(self, data: IndexData) -> None:
        opt = optimise_weights(
            data, self.level, kind=self.objective, targets=self.targets, method=self.correlation
        )
        fw: Framework = data.framework  # type: ignore[assignment]  # checked in optimise
        self.weights_ = {str(k): float(v) for k, v in opt.weights.items()}
        self.result_ = opt
        self.framework_ = fw.with_weights(self.weights_)
