"""Unit-level analysis: what-if comparison of two runs, and each unit's strengths and weaknesses.

A what-if is ``set_params(...)`` → ``run`` → :func:`compare`::

    base = pipe.run(data)
    alt = pipe.set_params(aggregate__method="geometric").run(data)
    compare(base, alt)          # rank and score shifts per unit and aggregate
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import pandas as pd

from nengji.index.base import clone
from nengji.index.data import IndexData
from nengji.index.errors import DataError
from nengji.index.framework import Framework
from nengji.index.pipeline import Pipeline
from nengji.index.results import IndexResults, rank_scores

__all__ = ["StrengthsWeaknesses", "compare", "strengths_weaknesses", "what_if"]


def compare(
    results_a: IndexResults,
    results_b: IndexResults,
    codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Score and rank shifts from run ``a`` to run ``b``, per unit and aggregate (long table).

    Columns: the unit column (and ``Time`` for panels), ``code``, ``score_a, score_b,
    score_change`` (b − a), ``rank_a, rank_b, rank_change`` (b − a: positive = fell back) and
    ``abs_rank_change`` (COINr ``compare_coins``). Units present in one run only (e.g. screened
    out) get NaN on the other side.

    >>> import pandas as pd
    >>> from nengji.index import Aggregate, MinMax, Pipeline, build_data, read_framework
    >>> fw = read_framework([{"code": "a", "parent": "I", "weight": 1},
    ...                      {"code": "b", "parent": "I", "weight": 1}, {"code": "I"}])
    >>> data = build_data(pd.DataFrame({"uCode": ["X", "Y", "Z"],
    ...                                 "a": [1.0, 2.0, 4.0], "b": [4.0, 1.0, 2.0]}), fw)
    >>> pipe = Pipeline([("normalise", MinMax()), ("aggregate", Aggregate())])
    >>> base = pipe.run(data)
    >>> alt = pipe.set_params(aggregate__weights={"a": 4.0}).run(data)
    >>> compare(base, alt)[["uCode", "rank_a", "rank_b", "rank_change"]].values.tolist()
    [['X', 2.0, 3.0, 1.0], ['Y', 3.0, 2.0, -1.0], ['Z', 1.0, 1.0, 0.0]]
    """
    sa, sb = results_a.scores, results_b.scores
    codes = [c for c in sa.columns if c in sb.columns] if codes is None else list(codes)
    for c in codes:
        if c not in sa.columns or c not in sb.columns:
            raise DataError(f"code {c!r} is not an aggregate of both runs")
    index = sa.index.union(sb.index, sort=False)
    sa, sb = sa[codes].reindex(index), sb[codes].reindex(index)
    ra, rb = rank_scores(sa), rank_scores(sb)
    parts = []
    for c in codes:
        part = pd.DataFrame(
            {
                "code": c,
                "score_a": sa[c],
                "score_b": sb[c],
                "score_change": sb[c] - sa[c],
                "rank_a": ra[c],
                "rank_b": rb[c],
                "rank_change": rb[c] - ra[c],
            },
            index=index,
        )
        parts.append(part)
    out = pd.concat(parts).reset_index()
    out["abs_rank_change"] = out["rank_change"].abs()
    return out


def what_if(
    pipeline: Pipeline,
    data: IndexData,
    codes: Sequence[str] | None = None,
    **params: object,
) -> pd.DataFrame:
    """Run ``pipeline`` as given and with ``set_params(**params)``; :func:`compare` the two.

    The pipeline itself is not changed (the alternative runs on a clone), e.g.
    ``what_if(pipe, data, ["Index"], aggregate__method="geometric", normalise__lower=1)``.
    """
    base = clone(pipeline).run(data)
    alt = clone(pipeline).set_params(**params).run(data)
    return compare(base, alt, codes)


@dataclass
class StrengthsWeaknesses:
    """A unit's best- and worst-ranked indicators (tables: code, names, group, rank, value)."""

    unit: str
    strengths: pd.DataFrame
    weaknesses: pd.DataFrame


def strengths_weaknesses(
    results: IndexResults,
    unit: str,
    *,
    n_top: int = 5,
    n_bottom: int = 5,
    stage: str = "normalised",
    min_unique_share: float | None = None,
    drop_worst: bool = True,
    report_level: int = 2,
    period: object = None,
) -> StrengthsWeaknesses:
    """The indicators on which ``unit`` ranks best and worst (COINr ``get_str_weak``).

    Ranks are taken per indicator at ``stage`` (1 = best, ties share the best rank); on the raw
    stage values are first multiplied by the indicator's direction, so a low value of a
    "lower is better" indicator counts as a strength. Indicators where the unit has no value are
    skipped; with ``min_unique_share`` indicators with few distinct values (e.g. yes/no) too.
    ``drop_worst`` keeps an indicator on which the unit shares the worst rank out of the
    strengths (e.g. half the units at zero all rank "in the middle"); unlike COINr it does not
    hide it from the weaknesses, where it belongs. ``report_level`` names the group (e.g. the
    pillar) of each indicator.
    """
    fw = results.framework
    if stage not in results.stages:
        raise DataError(f"no stage {stage!r}; stages: {list(results.stages)}")
    frame = results.stages[stage]
    if period is not None:
        frame = cast(pd.DataFrame, frame.xs(period, level=1))
    elif isinstance(frame.index, pd.MultiIndex):
        raise DataError("panel results: give period=...")
    if unit not in frame.index:
        raise DataError(f"unit {unit!r} is not in stage {stage!r}")
    codes = [c for c in fw.indicators if c in frame.columns]
    values = frame[codes].astype(float)
    adjusted = values * fw.direction()[codes] if stage == "raw" else values
    ranks = adjusted.rank(ascending=False, method="min", na_option="keep")
    if min_unique_share is not None:
        share = values.nunique() / len(values)
        codes = [c for c in codes if share[c] > min_unique_share]
    mine = cast("pd.Series[float]", ranks.loc[unit, codes]).dropna()
    order = mine.sort_values(kind="stable")

    def table(selected: pd.Index) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "code": list(selected),
                "name_en": [fw[c].name_en for c in selected],
                "name_zh": [fw[c].name_zh for c in selected],
                "group": [_group(fw, c, report_level) for c in selected],
                "rank": order[selected].to_numpy(),
                "value": values.loc[[unit], list(selected)].to_numpy(dtype=float)[0],
            }
        )

    worst = ranks[order.index].max()
    best = order[~(drop_worst & (order == worst)).to_numpy()] if drop_worst else order
    weak = order.iloc[::-1].iloc[:n_bottom].index
    return StrengthsWeaknesses(
        unit=unit,
        strengths=table(best.index[:n_top]),
        weaknesses=table(weak),
    )


def _group(fw: Framework, code: str, level: int) -> str | float:
    for a in fw.ancestors(code):
        if fw[a].level == level:
            return str(a)
    return float("nan")
