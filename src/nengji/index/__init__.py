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
    geometric, harmonic, mazziotta_pareto; per level; ``min_share``; ``weights``);
    ``Denominate``, ``Screen(min_share)``; impute: ``MeanImputer, MedianImputer,
    GroupMeanImputer(group), GroupMedianImputer(group), Interpolate, LOCF``; treat:
    ``Winsorise(skew, kurtosis, max_points, log_fallback)`` (``report_``); weight:
    ``EqualWeights, ManualWeights, EntropyWeights, CriticWeights, PCAWeights, AHPWeights``
    (``weights_``, ``framework_``).
Specs
    ``pipeline_from_spec({"steps": [{"step": "normalise", "method": "minmax", ...}]})`` and
    ``Pipeline.to_spec()`` round-trip; registries ``NORMALISERS, IMPUTERS, TREATERS, WEIGHTERS``
    (``REGISTRY`` by step kind; ``register(kind, method, cls)`` adds a method).
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
from nengji.index.impute import (
    IMPUTERS,
    LOCF,
    GroupMeanImputer,
    GroupMedianImputer,
    Imputer,
    Interpolate,
    MeanImputer,
    MedianImputer,
)
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
from nengji.index.prepare import Denominate, Screen
from nengji.index.results import IndexResults, cagr, rank_scores
from nengji.index.spec import REGISTRY, pipeline_from_spec, register, step_from_spec
from nengji.index.treat import TREATERS, Winsorise, kurt, skew
from nengji.index.weights import (
    WEIGHTERS,
    AHPWeights,
    CriticWeights,
    EntropyWeights,
    EqualWeights,
    ManualWeights,
    PCAWeights,
    Weighter,
    ahp_weights,
    describe_weights,
)

__all__ = [
    "AGGREGATION_METHODS",
    "IMPUTERS",
    "LOCF",
    "NORMALISERS",
    "REGISTRY",
    "TREATERS",
    "WEIGHTERS",
    "AHPWeights",
    "Aggregate",
    "AggregationPlan",
    "BaseYear",
    "Borda",
    "CriticWeights",
    "DataError",
    "Denominate",
    "DistToMax",
    "DistToRef",
    "DistToTarget",
    "EntropyWeights",
    "EqualWeights",
    "FracMax",
    "Framework",
    "FrameworkError",
    "Goalposts",
    "GroupMeanImputer",
    "GroupMedianImputer",
    "Imputer",
    "IndexData",
    "IndexInputError",
    "IndexResults",
    "Interpolate",
    "ManualWeights",
    "MeanImputer",
    "MedianImputer",
    "MinMax",
    "Node",
    "Normaliser",
    "NotFittedError",
    "PCAWeights",
    "PercentileRank",
    "Pipeline",
    "Rank",
    "Screen",
    "SpecError",
    "Step",
    "Weighter",
    "Winsorise",
    "ZScore",
    "aggregate_array",
    "ahp_weights",
    "as_index_data",
    "build_data",
    "cagr",
    "clone",
    "describe_weights",
    "kurt",
    "pipeline_from_spec",
    "rank_scores",
    "read_data",
    "read_framework",
    "read_table",
    "register",
    "skew",
    "step_from_spec",
]
