"""The composite index for a report, from `nengji.index`.

A report takes the stored index run that the cockpit shows (`reports.evidence._index_for`
re-runs the engine on that run's own snapshot, for the exact decomposition of a change). When no
run is stored yet the report says so; nothing stands in for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

INDEX_SOURCE_NOTE = "由平台根据已发布的指标数据计算"


@dataclass
class IndexFacts:
    years: list[int]
    names: list[str]  # index first, then its dimensions
    values: dict[str, list[float | None]]  # name → one value per year
    year: int  # the year whose change is decomposed (the report's year, or the latest before)
    previous: int | None
    change: float | None
    contributions: dict[str, float]  # dimension name → contribution to `change`
    is_demo: bool
    source: str = INDEX_SOURCE_NOTE
    computed_at: Any = None  # when the run was computed (the "published on" of its values)

    @property
    def index_name(self) -> str:
        return self.names[0]


def facts_from_results(results: Any, *, up_to: int, is_demo: bool) -> IndexFacts | None:
    from nengji.index.decompose import decompose

    fw = results.framework
    root = fw.roots[0]
    dims = fw.children(root)
    scores: pd.DataFrame = results.scores
    unit = scores.index.get_level_values(0)[0]
    frame = scores.xs(unit, level=0)
    frame = frame[[int(p) <= up_to for p in frame.index]]
    if frame.empty:
        return None
    years = [int(p) for p in frame.index]
    names = [fw[root].name_zh or root, *[fw[d].name_zh or d for d in dims]]
    values = {
        name: [None if pd.isna(v) else float(v) for v in frame[code]]
        for name, code in zip(names, [root, *dims], strict=True)
    }
    year = years[-1]
    previous = years[-2] if len(years) > 1 else None
    change = None
    contributions: dict[str, float] = {}
    if previous is not None:
        dec = decompose(results, root=root)
        key = (unit, frame.index[-1])
        change = float(dec.total.loc[key, "change"])
        for name, code in zip(names[1:], dims, strict=True):
            contributions[name] = float(dec.aggregates.loc[key, code])
    return IndexFacts(
        years=years,
        names=names,
        values=values,
        year=year,
        previous=previous,
        change=change,
        contributions=contributions,
        is_demo=is_demo,
    )
