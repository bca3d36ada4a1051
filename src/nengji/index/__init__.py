"""nengji.index: the composite-index engine (a COINr-compatible library in numpy/pandas).

Imports nothing from Django, click, yaml or the rest of nengji; needs only numpy, pandas, scipy.
Numbers match COINr 1.1.14 to 1e-9 where a method exists in both (tests/index/test_coinr_golden.py).

Public API (stable; other modules build on it)
---------------------------------------------
Framework and data
    ``Framework`` (validated tree; ``indicators``, ``aggregates``, ``children(code)``,
    ``ancestors(code)``, ``effective_weights()``, ``with_weights({code: w})``, ``direction()``),
    ``Node``, ``read_framework(path | DataFrame | records)`` (nengji format or COINr iMeta).
    ``IndexData`` (``values`` indexed by unit or (unit, time); ``groups``, ``denominators``,
    ``meta``, ``framework``; ``is_panel``, ``periods()``, ``with_values(df)``, ``matrix()``),
    ``build_data(frame, framework)``, ``read_data(path, framework)`` (nengji format or COINr iData).
Steps (scikit-learn contract: keyword-only params stored verbatim, validation in ``fit(data) ->
self``, state in ``*_`` attributes, ``transform(data) -> new DataFrame``, ``get_params`` /
``set_params``, ``clone``, ``NotFittedError``); each has ``kind`` / ``method`` / ``stage``:
    denominate ``Denominate(denominators, scale, function)`` (``add_denominators``,
    ``register_denominator``); screen ``Screen(by, min_share, min_nonzero, include, exclude)``;
    impute ``MeanImputer, MedianImputer`` (``by="row"``, ``group_level``),
    ``GroupMeanImputer(group), GroupMedianImputer(group), Interpolate, LOCF, ConstantImputer,
    LinearConstantImputer``; treat ``Winsorise(skew, kurtosis, max_points, log_fallback,
    fallback, boxcox_lambda, force, specs, pooled)`` (``report_``); normalise ``MinMax,
    ZScore, Rank, PercentileRank, Borda, DistToMax, DistToRef, DistToTarget, FracMax(zero),
    Goalposts, BaseYear`` (``pooled=True`` for panels); weight ``EqualWeights, ManualWeights,
    EntropyWeights, CriticWeights, PCAWeights(convention), AHPWeights``,
    ``optimised`` (``optimise_weights``) (``weights_``, ``framework_``); aggregate
    ``Aggregate(method, methods, p, min_share, weights)`` (``register_aggregator``,
    ``outranking_matrix``; methods ``topsis`` and ``bod`` with ``pie_shares``).
Pipeline, specs, results
    ``Pipeline([(name, step), ...])``: ``run(data) -> IndexResults`` (fit + every stage),
    ``apply(data)`` (already fitted), ``fit``, ``transform``, ``set_params(normalise__lower=1)``,
    ``set_params(normalise=ZScore())``, ``to_spec()``. ``pipeline_from_spec({"steps": [...]})``,
    ``REGISTRY`` / ``NORMALISERS`` / ``IMPUTERS`` / ``TREATERS`` / ``WEIGHTERS``,
    ``register(kind, method, cls)``.
    ``IndexResults``: ``stages``, ``scores``, ``ranks``, ``spec``, ``reports``, ``framework``,
    ``drill(unit, code, period)``, ``change(code)``, ``decompose()``, ``to_frame()``;
    ``rank_scores``, ``cagr``; ``nengji.index.decompose.decompose`` / ``Decomposition``.
    ``chain_link(panel, [Segment(start, pipeline, framework), ...], link="ratio")`` chains an
    aggregated index across framework changes (annual overlap); ``rebase(scores, period)``.
    ``import_coin_tool(path | bytes)`` reads a JRC COIN Tool input workbook (bounded before
    parsing; openpyxl imported only then) into ``framework``, ``data``, ``goalposts``, ``notes``.
Kernels for Monte Carlo and sensitivity analysis
    ``AggregationPlan.from_framework(fw, weights)`` compiles the tree once;
    ``aggregate_array(X, plan, method=..., min_share=..., weights=W)`` aggregates a
    ``(n_draws, n_nodes)`` stack of weight vectors in one call (``aggregates_only=True`` to skip
    copying indicators). Steps can be run one by one on ``IndexData.with_values(...)`` to cache
    early stages (e.g. treat once per ``max_points``, then vary only what comes after).
Examples and COINr
    ``nengji.index.examples.build_example_index(up_to=None)`` (the Yangpu index on demo data,
    演示数据), ``yangpu_framework()``, ``yangpu_pipeline()``, ``yangpu_demo_data()``;
    ``nengji.index.coinr.read_coinr(imeta, idata)``, ``example_coin_pipeline()``,
    ``example_purse_pipeline()``.
"""

from nengji.index.aggregate import (
    AGGREGATION_METHODS,
    Aggregate,
    AggregationPlan,
    aggregate_array,
)
from nengji.index.aggregators import outranking_matrix, register_aggregator
from nengji.index.analysis import (
    PCAResult,
    StrengthsWeaknesses,
    compare,
    correlation_matrix,
    correlation_pvalues,
    cronbach,
    cronbach_by_group,
    indicator_stats,
    level_correlations,
    parent_correlations,
    pca,
    skew_kurt,
    strengths_weaknesses,
    what_if,
)
from nengji.index.base import Step, clone
from nengji.index.chain import ChainResult, Segment, chain_link, rebase
from nengji.index.cointool import CoinToolImport, check_workbook_bytes, import_coin_tool
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
    ConstantImputer,
    GroupMeanImputer,
    GroupMedianImputer,
    Imputer,
    Interpolate,
    LinearConstantImputer,
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
from nengji.index.optimise import OptimisedWeights, optimise_weights
from nengji.index.pipeline import Pipeline
from nengji.index.prepare import Denominate, Screen, add_denominators, register_denominator
from nengji.index.results import IndexResults, cagr, rank_scores
from nengji.index.sensitivity import (
    SensitivityResults,
    run_sensitivity,
    saltelli_sample,
    sobol_analyse,
    sobol_indices,
)
from nengji.index.spec import REGISTRY, pipeline_from_spec, register, step_from_spec
from nengji.index.treat import TREATERS, Winsorise, kurt, skew
from nengji.index.uncertainty import (
    UncertainInput,
    UncertaintyResults,
    parse_inputs,
    rank_rows,
    rank_summary,
    run_uncertainty,
)
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
    "ChainResult",
    "CoinToolImport",
    "ConstantImputer",
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
    "LinearConstantImputer",
    "ManualWeights",
    "MeanImputer",
    "MedianImputer",
    "MinMax",
    "Node",
    "Normaliser",
    "NotFittedError",
    "OptimisedWeights",
    "PCAResult",
    "PCAWeights",
    "PercentileRank",
    "Pipeline",
    "Rank",
    "Screen",
    "Segment",
    "SensitivityResults",
    "SpecError",
    "Step",
    "StrengthsWeaknesses",
    "UncertainInput",
    "UncertaintyResults",
    "Weighter",
    "Winsorise",
    "ZScore",
    "add_denominators",
    "aggregate_array",
    "ahp_weights",
    "as_index_data",
    "build_data",
    "cagr",
    "chain_link",
    "check_workbook_bytes",
    "clone",
    "compare",
    "correlation_matrix",
    "correlation_pvalues",
    "cronbach",
    "cronbach_by_group",
    "describe_weights",
    "import_coin_tool",
    "indicator_stats",
    "kurt",
    "level_correlations",
    "optimise_weights",
    "outranking_matrix",
    "parent_correlations",
    "parse_inputs",
    "pca",
    "pipeline_from_spec",
    "rank_rows",
    "rank_scores",
    "rank_summary",
    "read_data",
    "read_framework",
    "read_table",
    "rebase",
    "register",
    "register_aggregator",
    "register_denominator",
    "run_sensitivity",
    "run_uncertainty",
    "saltelli_sample",
    "skew",
    "skew_kurt",
    "sobol_analyse",
    "sobol_indices",
    "step_from_spec",
    "strengths_weaknesses",
    "what_if",
]
