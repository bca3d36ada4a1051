# ruff: noqa: N803, N806  matrices keep their mathematical capitals (U, W, S, ...)
"""Uncertainty analysis: how much do the ranks depend on the choices behind the index?

An uncertainty run re-computes the index many times, each time with another combination of
uncertain inputs, and summarises each unit's rank distribution (nominal, mean, median, 5 % and
95 % quantiles), as COINr's ``get_sensitivity(SA_type = "UA")`` does. The inputs are the dict of
issue 3's ``U.yaml``::

    inputs:
      - {name: winmax, param: treat.max_points, values: [1, 2, 3, 4, 5]}
      - {name: normalisation, param: normalise, values: [{method: minmax}, {method: zscore}]}
      - {name: weights, param: weights, noise: 0.25, levels: [2, 3]}
      - {name: aggregation, param: aggregate.method, values: [arithmetic, geometric]}

Why it is fast: COINr regenerates the whole coin for every run. Here the discrete choices have
few distinct combinations (5 × 2 = 10 normalised matrices above), so each distinct upstream
result is computed once (see :mod:`nengji.index._montecarlo`), and all runs that share it are
aggregated in one vectorised call with a stack of weight vectors.

Sampling follows COINr: each input gets a uniform number ``u`` per run; a discrete input with
``n`` values takes value ``floor(u·n)`` (R's ``cut`` into ``n`` equal bins); weight noise
multiplies each weight at the given framework levels by an independent ``U[1 − noise, 1 + noise]``
(COINr ``get_noisy_weights``: ``w + (2u − 1)·noise·w``).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from nengji.index._montecarlo import Engine, UncertainInput, parse_inputs
from nengji.index.data import IndexData
from nengji.index.errors import SpecError
from nengji.index.pipeline import Pipeline
from nengji.index.spec import pipeline_from_spec

__all__ = [
    "UncertainInput",
    "UncertaintyResults",
    "parse_inputs",
    "rank_rows",
    "rank_summary",
    "run_uncertainty",
]


def rank_rows(scores: np.ndarray) -> np.ndarray:
    """Rank every row of ``scores`` (runs × units): 1 = highest, ties share the lowest rank.

    The same rule as :func:`nengji.index.rank_scores` (COINr's ``rank(-x, ties.method = "min",
    na.last = "keep")``), vectorised over runs: NaN stays NaN.

    >>> rank_rows(np.array([[3.0, 5.0, 3.0, np.nan]]))
    array([[ 2.,  1.,  2., nan]])
    """
    S = np.atleast_2d(np.asarray(scores, dtype=float))
    missing = np.isnan(S)
    # missing scores rank last (+inf) so they never push a present unit down, then become NaN
    R = min_ranks(np.where(missing, np.inf, -S))
    R[missing] = np.nan
    return R


def min_ranks(V: np.ndarray) -> np.ndarray:
    """Ranks along the last axis, ties sharing the lowest rank (R ``ties.method = "min"``).

    numpy only (scipy's ``rankdata`` would cost every ``nengji index`` call a ~3 s import):
    sort each row, mark where a new value starts, carry that start position forward through
    its tie group, and scatter the ranks back to the original order.

    >>> min_ranks(np.array([[2.0, 1.0, 2.0, 0.5]]))
    array([[3., 2., 3., 1.]])
    """
    V = np.asarray(V, dtype=float)
    order = np.argsort(V, axis=-1, kind="stable")
    ordered = np.take_along_axis(V, order, axis=-1)
    n = V.shape[-1]
    start = np.ones(ordered.shape, dtype=bool)
    start[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    pos = np.where(start, np.arange(n), 0)
    first = np.maximum.accumulate(pos, axis=-1)
    R = np.empty(V.shape)
    np.put_along_axis(R, order, first + 1.0, axis=-1)
    return R


def rank_summary(ranks: np.ndarray, nominal: np.ndarray) -> dict[str, np.ndarray]:
    """Per unit (column): nominal, mean, median, 5 % and 95 % rank (R's default quantile type 7)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a unit missing in every run: NaN
        q05, q50, q95 = np.nanquantile(ranks, [0.05, 0.5, 0.95], axis=0)
        mean = np.nanmean(ranks, axis=0)
    return {
        "nominal_rank": np.asarray(nominal, dtype=float),
        "mean_rank": mean,
        "median_rank": q50,
        "q05_rank": q05,
        "q95_rank": q95,
    }


@dataclass
class UncertaintyResults:
    """What an uncertainty run produced.

    Attributes
    ----------
    target : str
        The code whose ranks were analysed (the index by default).
    units : pandas.Index
        Unit codes, named as in the input (e.g. ``uCode``).
    nominal_scores : numpy.ndarray
        Scores of the nominal pipeline (the one given, unperturbed).
    ranks : numpy.ndarray (n_runs, n_units)
        Rank of each unit in each run (NaN where a run failed or a unit was screened out).
    design : pandas.DataFrame
        One row per run, one column per input: the index of the chosen value (for weight noise,
        the index of the noise draw).
    inputs : list of UncertainInput
    scores : numpy.ndarray or None
        Scores of each run, kept only with ``keep_scores=True``.
    failures : list of str
        Runs that failed (e.g. a geometric mean of a non-positive z-score), counted and explained;
        as in COINr they give NaN rather than stopping the whole analysis.
    """

    target: str
    units: pd.Index
    nominal_scores: np.ndarray
    ranks: np.ndarray
    design: pd.DataFrame
    inputs: list[UncertainInput]
    scores: np.ndarray | None = None
    failures: list[str] = field(default_factory=list)

    @property
    def nominal_ranks(self) -> np.ndarray:
        """Ranks of the nominal pipeline."""
        return np.asarray(rank_rows(self.nominal_scores[None, :])[0], dtype=float)

    @property
    def n_runs(self) -> int:
        """Number of runs."""
        return int(self.ranks.shape[0])

    def summary(self) -> pd.DataFrame:
        """One row per unit: ``nominal_rank, mean_rank, median_rank, q05_rank, q95_rank``."""
        stats = rank_summary(self.ranks, self.nominal_ranks)
        return pd.DataFrame(stats, index=self.units)

    def score_summary(self) -> pd.DataFrame:
        """Per unit: ``nominal_score, mean_score, median_score, q05_score, q95_score``.

        The score interval is what matters when there is no ranking to speak of, e.g. one
        district's base-year index over time (needs ``keep_scores=True``).
        """
        if self.scores is None:
            raise SpecError("scores were not kept: run with keep_scores=True")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            q05, q50, q95 = np.nanquantile(self.scores, [0.05, 0.5, 0.95], axis=0)
            mean = np.nanmean(self.scores, axis=0)
        return pd.DataFrame(
            {
                "nominal_score": self.nominal_scores,
                "mean_score": mean,
                "median_score": q50,
                "q05_score": q05,
                "q95_score": q95,
            },
            index=self.units,
        )

    def to_frame(self) -> pd.DataFrame:
        """:meth:`summary` with the unit code as a column (the CLI's CSV)."""
        return self.summary().reset_index()

    def score_frame(self) -> pd.DataFrame:
        """Scores of every run (runs × units); needs ``keep_scores=True``."""
        if self.scores is None:
            raise SpecError("scores were not kept: run with keep_scores=True")
        return pd.DataFrame(self.scores, columns=self.units)


def _as_pipeline(pipeline: Pipeline | Mapping[str, Any]) -> Pipeline:
    if isinstance(pipeline, Pipeline):
        return pipeline
    if isinstance(pipeline, Mapping):
        return pipeline_from_spec(pipeline)
    raise SpecError(f"expected a Pipeline or a pipeline spec dict, got {type(pipeline).__name__}")


def run_uncertainty(
    data: IndexData,
    pipeline: Pipeline | Mapping[str, Any],
    inputs: Mapping[str, Any] | Sequence[Mapping[str, Any] | UncertainInput],
    *,
    n_runs: int = 500,
    seed: int | None = None,
    target: str | None = None,
    period: Any = None,
    keep_scores: bool = False,
) -> UncertaintyResults:
    """Monte Carlo uncertainty analysis of the ranks of ``target``.

    Parameters
    ----------
    data : IndexData
        One period, or a panel with ``period`` naming the period whose ranks are analysed (the
        pipeline runs on the whole panel, so a base-year index keeps its base year).
    pipeline : Pipeline or dict
        The nominal pipeline (or its spec); it must end with an ``aggregate`` step.
    inputs : dict or list
        ``{"inputs": [...]}`` as in ``U.yaml``, or the list itself (see :func:`parse_inputs`).
    n_runs : int
        Number of Monte Carlo runs (COINr's ``N``).
    seed : int, optional
        Seed of :func:`numpy.random.default_rng`: the same seed gives the same runs.
    target : str, optional
        Aggregate whose ranks are analysed; default the top of the tree (the index).
    period : optional
        For panel data: the period to rank (compared as text, so ``2019`` and ``"2019"`` match).
    keep_scores : bool
        Keep every run's scores (``n_runs × n_units`` floats) in the result.

    Returns
    -------
    UncertaintyResults
        ``.summary()`` is the per-unit rank table.

    Examples
    --------
    >>> from nengji.index import Aggregate, MinMax, Pipeline, build_data, read_framework
    >>> fw = read_framework([
    ...     {"code": "a", "parent": "I"}, {"code": "b", "parent": "I"}, {"code": "I"}])
    >>> data = build_data(pd.DataFrame(
    ...     {"uCode": ["X", "Y", "Z"], "a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]}), fw)
    >>> pipe = Pipeline([("normalise", MinMax()), ("aggregate", Aggregate())])
    >>> spec = {"inputs": [{"name": "w", "param": "weights", "noise": 0.5, "levels": [1]}]}
    >>> res = run_uncertainty(data, pipe, spec, n_runs=200, seed=1)
    >>> res.summary()["nominal_rank"].tolist()
    [2.0, 3.0, 1.0]
    """
    if isinstance(n_runs, bool) or not isinstance(n_runs, (int, np.integer)) or n_runs < 1:
        raise SpecError(f"n_runs must be a positive integer, got {n_runs!r}")
    engine = Engine(
        data, _as_pipeline(pipeline), parse_inputs(inputs), target=target, period=period
    )
    rng = np.random.default_rng(seed)
    U = rng.random((int(n_runs), len(engine.inputs)))
    choices = engine.choices_from_uniform(U)
    pools = engine.draw_noise(rng, int(n_runs))
    for j, inp in enumerate(engine.inputs):
        if inp.fresh_noise:
            choices[:, j] = np.arange(n_runs)  # run r uses noise draw r
    scores = engine.evaluate(choices, pools)
    return UncertaintyResults(
        target=engine.target,
        units=engine.units,
        nominal_scores=engine.nominal_scores,
        ranks=rank_rows(scores),
        design=pd.DataFrame(choices, columns=[i.name for i in engine.inputs]),
        inputs=list(engine.inputs),
        scores=scores if keep_scores else None,
        failures=list(engine.failures),
    )
