"""Analysis of indicators and aggregates: statistics, correlations, Cronbach's alpha, PCA, trends.

Every function takes a *source*: an :class:`~nengji.index.IndexResults` (with ``stage`` naming
the data set, default the aggregated one, which holds indicators and aggregates), an
:class:`~nengji.index.IndexData`, or a plain DataFrame (units × codes). Where COINr has the same
tool the numbers are COINr's: skew and kurtosis are the sample-adjusted forms COINr's treatment
uses (e1071 type 2, Excel's ``SKEW``/``KURT``), correlations are ``stats::cor(use =
"pairwise.complete.obs")``, Cronbach's alpha is ``get_cronbach`` and PCA is ``get_PCA``
(``prcomp`` on the complete rows, centred and scaled). What-if comparison and strengths and
weaknesses of a unit are in :mod:`nengji.index.profiles`, re-exported here.

A package of small modules re-exporting their public names, so ``from nengji.index.analysis
import X`` keeps working as the toolbox grows.
"""

from __future__ import annotations

from nengji.index.analysis._source import Source, source_frame, source_framework
from nengji.index.analysis.consistency import PCAResult, cronbach, cronbach_by_group, pca
from nengji.index.analysis.correlations import (
    CORRELATION_METHODS,
    correlation_flags,
    correlation_matrix,
    correlation_pvalues,
    denominator_correlations,
    kendall_matrix,
    level_correlations,
    parent_correlations,
)
from nengji.index.analysis.elements import RemovedElements, remove_elements
from nengji.index.analysis.stats import data_availability, indicator_stats, skew_kurt
from nengji.index.analysis.trends import TRENDS, trend_cagr, trend_percent, trends
from nengji.index.profiles import StrengthsWeaknesses, compare, strengths_weaknesses, what_if

__all__ = [
    "CORRELATION_METHODS",
    "TRENDS",
    "PCAResult",
    "RemovedElements",
    "Source",
    "StrengthsWeaknesses",
    "compare",
    "correlation_flags",
    "correlation_matrix",
    "correlation_pvalues",
    "cronbach",
    "cronbach_by_group",
    "data_availability",
    "denominator_correlations",
    "indicator_stats",
    "kendall_matrix",
    "level_correlations",
    "parent_correlations",
    "pca",
    "remove_elements",
    "skew_kurt",
    "source_frame",
    "source_framework",
    "strengths_weaknesses",
    "trend_cagr",
    "trend_percent",
    "trends",
    "what_if",
]
