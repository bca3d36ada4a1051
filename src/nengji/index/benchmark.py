"""A multi-unit benchmark index in one call: scores, ranks, unit profiles, rank intervals, SA.

The platform's benchmark of partner regions (several units reporting the same indicators over
several years) needs, for one period: every unit's scores and ranks at every level, each unit's
profile (strengths and weaknesses), how robust each rank is to the method (uncertainty
analysis: rank intervals) and which methodological choice moves the ranks most (Sobol'
sensitivity). :func:`benchmark_index` runs all of it on one pipeline so the cockpit and the
portal read one object.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from nengji.index.data import IndexData
from nengji.index.errors import DataError
from nengji.index.pipeline import Pipeline
from nengji.index.profiles import StrengthsWeaknesses, strengths_weaknesses
from nengji.index.results import IndexResults
from nengji.index.sensitivity import SensitivityResults, run_sensitivity
from nengji.index.uncertainty import UncertaintyResults, run_uncertainty


@dataclass
class BenchmarkIndex:
    """Everything a multi-unit index page shows for one ``period`` (``None`` for one period).

    ``results`` holds every stage of every period; ``scores`` and ``ranks`` are the period's
    aggregate tables; ``profiles`` each unit's strengths and weaknesses; ``uncertainty`` the
    rank intervals (``.summary()``: nominal, mean, median, 5 % and 95 % rank) and
    ``sensitivity`` the Sobol' indices, when uncertain inputs were given.
    """

    results: IndexResults
    period: Any
    scores: pd.DataFrame
    ranks: pd.DataFrame
    profiles: dict[str, StrengthsWeaknesses]
    uncertainty: UncertaintyResults | None
    sensitivity: SensitivityResults | None


def benchmark_index(
    data: IndexData,
    pipeline: Pipeline,
    inputs: Mapping[str, Any] | None = None,
    *,
    period: Any = None,
    n_runs: int = 1000,
    n_sobol: int | None = None,
    seed: int | None = None,
    n_top: int = 3,
) -> BenchmarkIndex:
    """Run ``pipeline`` on ``data`` and analyse one period of it.

    ``period`` defaults to the latest of a panel. With ``inputs`` (the ``U.yaml`` dict) an
    uncertainty analysis of ``n_runs`` runs gives rank intervals, and with ``n_sobol`` a Sobol'
    analysis of ``n_sobol·(k + 2)`` runs says which input matters; both rank the index of
    ``period`` while the pipeline runs on the whole panel.
    """
    if data.is_panel and period is None:
        period = data.periods()[-1]
    elif not data.is_panel and period is not None:
        raise DataError("period= applies to panel data only")
    results = pipeline.run(data)
    scores, ranks = results.scores, results.ranks
    if data.is_panel:
        if period not in set(scores.index.get_level_values(1)):
            raise DataError(f"no period {period!r} in the results")
        scores = pd.DataFrame(scores.xs(period, level=1))
        ranks = pd.DataFrame(ranks.xs(period, level=1))
    profiles = {
        str(unit): strengths_weaknesses(
            results, str(unit), n_top=n_top, n_bottom=n_top, period=period
        )
        for unit in scores.index
    }
    ua = sa = None
    if inputs is not None:
        ua = run_uncertainty(data, pipeline, inputs, n_runs=n_runs, seed=seed, period=period)
        if n_sobol is not None:
            sa = run_sensitivity(data, pipeline, inputs, n=n_sobol, seed=seed, period=period)
    return BenchmarkIndex(results, period, scores, ranks, profiles, ua, sa)
