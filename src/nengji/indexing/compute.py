"""From a stored snapshot to results: `nengji.index` does the arithmetic, this module only
shapes its inputs and outputs as JSON. Used for runs and for what-ifs on a stored run."""

from __future__ import annotations

import copy
import math
from typing import Any, cast

import pandas as pd

from nengji.index import Framework, IndexResults, build_data, pipeline_from_spec, read_framework
from nengji.index.decompose import decompose

# Stages kept for the drill-down (raw → normalised → aggregated).
KEPT_STAGES = ("raw", "imputed", "normalised", "aggregated")


def _num(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else round(x, 6)


def _by_code(frame: pd.DataFrame, codes: list[str]) -> dict[str, dict[str, float | None]]:
    years = [int(t) for t in frame.index.get_level_values(1)]
    return {
        code: {str(y): _num(v) for y, v in zip(years, frame[code].tolist(), strict=True)}
        for code in codes
        if code in frame.columns
    }


# A year enters the index only when at least this share of its indicators has a value: a new
# year with one early report must not stand for the whole index.
MIN_COVERAGE = 0.5


def index_years(framework: Framework, snapshot: list[dict[str, Any]]) -> list[int]:
    n = len(framework.indicators)
    counts: dict[int, int] = {}
    for v in snapshot:
        if v["code"] in framework.indicators:
            counts[int(v["year"])] = counts.get(int(v["year"]), 0) + 1
    return sorted(y for y, c in counts.items() if c >= MIN_COVERAGE * n)


def panel_frame(framework: Framework, snapshot: list[dict[str, Any]], unit: str) -> pd.DataFrame:
    years = index_years(framework, snapshot)
    frame = pd.DataFrame({"uCode": [unit] * len(years), "Time": years})
    for code in framework.indicators:
        frame[code] = float("nan")
    pos = {y: i for i, y in enumerate(years)}
    for v in snapshot:
        if int(v["year"]) in pos and v["code"] in framework.indicators:
            frame.loc[pos[int(v["year"])], v["code"]] = float(v["value"])
    return frame


def results_for(
    *,
    framework: list[dict[str, Any]] | Framework,
    spec: dict[str, Any],
    snapshot: list[dict[str, Any]],
    unit: str,
    weights: dict[str, float] | None = None,
) -> IndexResults:
    """The engine's full results for a stored run's inputs (reports and what-ifs start here)."""
    fw = framework if isinstance(framework, Framework) else read_framework(framework)
    if weights:
        fw = fw.with_weights(weights)
    pipeline = pipeline_from_spec(copy.deepcopy(spec))
    return pipeline.run(build_data(panel_frame(fw, snapshot, unit), fw))


def compute(
    *,
    framework: list[dict[str, Any]] | Framework,
    spec: dict[str, Any],
    snapshot: list[dict[str, Any]],
    unit: str,
    weights: dict[str, float] | None = None,
) -> dict[str, Any]:
    """Run the pipeline on the snapshot; ``weights`` (code → weight) override the framework's."""
    res = results_for(framework=framework, spec=spec, snapshot=snapshot, unit=unit, weights=weights)
    fw = res.framework
    aggregates = res.aggregate_codes
    root = fw.roots[0]
    scores = res.stages["aggregated"]
    years = sorted(int(t) for t in scores.index.get_level_values(1))
    stages = {
        name: _by_code(frame, fw.indicators if name != "aggregated" else list(frame.columns))
        for name, frame in res.stages.items()
        if name in KEPT_STAGES
    }
    dec = decompose(res, root=root)
    contributions = []
    for key, total in dec.total.iterrows():
        _, year = cast(tuple[str, int], key)
        row = cast("pd.Series[float]", dec.indicators.loc[(unit, year)])
        agg = cast("pd.Series[float]", dec.aggregates.loc[(unit, year)])
        contributions.append(
            {
                "year": int(year),
                "previous": int(total["previous"]),
                "start": _num(total["start"]),
                "end": _num(total["end"]),
                "change": _num(total["change"]),
                "indicators": {c: _num(v) for c, v in row.items()},
                "aggregates": {c: _num(v) for c, v in agg.items()},
            }
        )
    return {
        "root": root,
        "unit": unit,
        "years": years,
        "aggregates": aggregates,
        "indicators": fw.indicators,
        "scores": _by_code(scores, aggregates),
        "stages": stages,
        "weights": {c: _num(v) for c, v in fw.weights().items()},
        "effective_weights": {c: _num(v) for c, v in fw.effective_weights().items()},
        "contributions": contributions,
        "decomposition_gap": _num(dec.check()),
        "years_left_out": sorted({int(v["year"]) for v in snapshot} - set(years)),
    }
