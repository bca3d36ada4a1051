"""nengji.index: the composite-index engine (a COINr-compatible library in numpy/pandas).

Imports nothing from Django or the rest of nengji; needs only numpy, pandas and scipy.

Public API (stable)
-------------------
Framework and data
    ``Framework`` (tree of indicators and aggregates, validated), ``Node``,
    ``read_framework(path | DataFrame | records)`` (nengji format or COINr iMeta),
    ``IndexData`` (values + framework + groups + denominators), ``build_data(frame, framework)``,
    ``read_data(path, framework)`` (nengji format or COINr iData).
Steps (scikit-learn contract: keyword-only params, ``fit(data) -> self``, ``transform(data) ->
DataFrame``, ``get_params`` / ``set_params``, ``clone``, ``NotFittedError``)
    normalise: ``MinMax, ZScore, Rank, PercentileRank, Borda, DistToMax, DistToRef,
    DistToTarget, FracMax, Goalposts, BaseYear``; aggregate: ``Aggregate`` (arithmetic,
    geometric, harmonic, mazziotta_pareto; per level; ``min_share``; ``weights``).
    Registries for stored specs: ``NORMALISERS`` ...
Pipeline and results
    ``Pipeline([(name, step), ...])`` with ``run(data) -> IndexResults`` (fit + every stage),
    ``apply(data)`` (already fitted), ``set_params(normalise__lower=1)``, ``to_spec()``.
    ``IndexResults``: ``stages``, ``scores``, ``ranks``, ``drill(unit, code)``, ``change()``,
    ``to_frame()``; ``rank_scores``, ``cagr``.
Kernels for Monte Carlo
    ``AggregationPlan.from_framework(fw)`` and ``aggregate_array(X, plan, method=...,
    weights=(n_draws, n_nodes))`` aggregate a stack of weight vectors in one call.
"""

from nengji.index.aggregate import (
    AGGREGATION_METHODS,
    Aggregate,
    AggregationPlan,
    aggregate_array,
)
from nengji.index.base import Step, clone
from nengji.index.data import IndexData, as_index_data, build_data, read_data, read_table
from nengji.index.errors import (
    DataError,
    FrameworkError,
    IndexInputError,
    NotFittedError,
    SpecError,
)
from nengji.index.framework import Framework, Node, read_framework
from nengji.index.normalise import (
    NORMALISERS,
    BaseYear,
    Borda,
    DistToMax,
    DistToRef,
    DistToTarget,
    FracMax,
    Goalposts,
    MinMax,
    Normaliser,
    PercentileRank,
    Rank,
    ZScore,
)
from nengji.index.pipeline import Pipeline
from nengji.index.results import IndexResults, cagr, rank_scores

__all__ = [
    "AGGREGATION_METHODS",
    "NORMALISERS",
    "Aggregate",
    "AggregationPlan",
    "BaseYear",
    "Borda",
    "DataError",
    "DistToMax",
    "DistToRef",
    "DistToTarget",
    "FracMax",
    "Framework",
    "FrameworkError",
    "Goalposts",
    "IndexData",
    "IndexInputError",
    "IndexResults",
    "MinMax",
    "Node",
    "Normaliser",
    "NotFittedError",
    "PercentileRank",
    "Pipeline",
    "Rank",
    "SpecError",
    "Step",
    "ZScore",
    "aggregate_array",
    "as_index_data",
    "build_data",
    "cagr",
    "clone",
    "rank_scores",
    "read_data",
    "read_framework",
    "read_table",
]
