"""From a stored snapshot to the benchmark's results: `nengji.index.benchmark_index` does the
arithmetic (scores, ranks, profiles, rank intervals, Sobol' indices); this module only shapes
its inputs and outputs as JSON. No database: a run can be recomputed from what it stored."""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from nengji.index import IndexInputError, build_data, pipeline_from_spec, read_framework
from nengji.index.benchmark import benchmark_index
from nengji.index.errors import DataError

#: fewer ranked bases than this make no ranking (package.MIN_BASES says the same for the
#: bases a package lists)
MIN_RANKED = 3


class TooFewBasesError(DataError):
    """Fewer than `MIN_RANKED` bases have enough values to be ranked."""


def _num(x: Any, digits: int = 4) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else round(x, digits)


def _profile_rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {"code": str(r["code"]), "group": str(r["group"]), "rank": int(r["rank"])}
        for r in table.to_dict(orient="records")
    ]


def benchmark_compute(
    *,
    framework: Sequence[Mapping[str, Any]],
    spec: Mapping[str, Any],
    uncertainty: Mapping[str, Any],
    bases: Sequence[str],
    snapshot: Sequence[Mapping[str, Any]],
    year: int,
) -> dict[str, Any]:
    """The benchmark of ``year`` for ``bases`` (codes, in display order) from ``snapshot``
    (base, code, value rows). Raises `TooFewBasesError` when fewer than three bases can be ranked,
    and the engine's `IndexInputError` for anything else it refuses."""
    fw = read_framework([dict(r) for r in framework])
    indicators = list(fw.indicators)
    frame = pd.DataFrame({"uCode": list(bases)})
    for code in indicators:
        frame[code] = float("nan")
    pos = {b: i for i, b in enumerate(bases)}
    for v in snapshot:
        if v["base"] in pos and v["code"] in indicators:
            frame.loc[pos[v["base"]], v["code"]] = float(v["value"])
    coverage = {str(b): int(frame.loc[pos[b], indicators].notna().to_numpy().sum()) for b in bases}
    data = build_data(frame, fw)
    pipeline = pipeline_from_spec(dict(spec))
    try:
        probe = pipeline_from_spec(dict(spec)).run(data)
    except DataError as exc:
        if "removes every unit" in str(exc):
            raise TooFewBasesError(f"no base has enough values for {year}") from exc
        raise
    root = fw.roots[0]
    ranked = [str(u) for u, s in probe.scores[root].items() if not pd.isna(s)]
    if len(ranked) < MIN_RANKED:
        raise TooFewBasesError(
            f"{len(ranked)} base(s) have enough values for {year}; at least {MIN_RANKED} are "
            "needed to rank"
        )
    runs, sobol = int(uncertainty["runs"]), int(uncertainty.get("sobol") or 0)
    seed = int(uncertainty.get("seed", 0))
    with warnings.catch_warnings():
        # a screened-out base has no rank in any run: its interval is empty, not an error
        warnings.filterwarnings("ignore", "All-NaN slice", RuntimeWarning)
        result = benchmark_index(
            data,
            pipeline,
            {"inputs": uncertainty["inputs"]},
            n_runs=runs,
            n_sobol=sobol or None,
            seed=seed,
            n_top=3,
        )
        ua = result.uncertainty.summary() if result.uncertainty is not None else None
    scores, ranks = result.scores, result.ranks
    aggregates = [root, *[c for c in scores.columns if c != root]]
    normalised = result.results.stages.get("normalised")
    rows = []
    for b in bases:
        is_ranked = b in ranked
        row: dict[str, Any] = {
            "base": b,
            "coverage": coverage[b],
            "ranked": is_ranked,
            "values": {c: _num(frame.loc[pos[b], c], 6) for c in indicators},
            "scores": {},
            "ranks": {},
            "normalised": {},
            "interval": None,
            "strengths": [],
            "weaknesses": [],
        }
        if is_ranked:
            row["scores"] = {c: _num(scores.loc[b, c]) for c in aggregates}
            row["ranks"] = {c: _num(ranks.loc[b, c], 0) for c in aggregates}
            if normalised is not None and b in normalised.index:
                row["normalised"] = {
                    c: _num(normalised.loc[b, c]) for c in indicators if c in normalised.columns
                }
            if ua is not None and b in ua.index:
                u = ua.loc[b]
                row["interval"] = {
                    "median": _num(u["median_rank"], 2),
                    "mean": _num(u["mean_rank"], 2),
                    "q05": _num(u["q05_rank"], 2),
                    "q95": _num(u["q95_rank"], 2),
                }
            profile = result.profiles.get(b)
            if profile is not None:
                row["strengths"] = _profile_rows(profile.strengths)
                row["weaknesses"] = _profile_rows(profile.weaknesses)
        rows.append(row)
    sensitivity = []
    if result.sensitivity is not None:
        for name, r in result.sensitivity.indices.iterrows():
            sensitivity.append(
                {"input": str(name), "S1": _num(r.get("S1")), "ST": _num(r.get("ST"))}
            )
    return {
        "year": year,
        "root": root,
        "aggregates": aggregates,
        "indicators": indicators,
        "bases": rows,
        "ranked": ranked,
        "uncertainty": {
            "runs": runs,
            "sobol": sobol,
            "seed": seed,
            "failures": len(result.uncertainty.failures) if result.uncertainty else 0,
        },
        "sensitivity": sensitivity,
    }


__all__ = ["MIN_RANKED", "IndexInputError", "TooFewBasesError", "benchmark_compute"]
