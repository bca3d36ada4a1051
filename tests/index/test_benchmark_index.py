"""A multi-unit panel index in one call (the platform's partner-region benchmark), on COINr's
ASEM panel: ranks of the latest year, unit profiles, UA rank intervals and Sobol' indices."""

from __future__ import annotations

import numpy as np
import pytest

from nengji.index import Aggregate, DataError, MinMax, Pipeline, rank_scores
from nengji.index.benchmark import benchmark_index

U = {
    "inputs": [
        {"name": "norm", "param": "normalise",
         "values": [{"method": "minmax", "pooled": True},
                    {"method": "zscore", "pooled": True, "mean": 10, "sd": 2}]},
        {"name": "weights", "param": "weights", "noise": 0.25, "levels": [2, 3], "pool": 50},
    ]
}  # fmt: skip


def pipeline():
    return Pipeline([("normalise", MinMax(pooled=True)), ("aggregate", Aggregate())])


def test_benchmark_index_on_the_asem_panel(asem_panel):
    got = benchmark_index(asem_panel, pipeline(), U, n_runs=100, n_sobol=32, seed=4)
    assert got.period == 2022
    res = pipeline().run(asem_panel)
    latest = res.scores.xs(2022, level=1)
    np.testing.assert_allclose(got.scores.to_numpy(), latest.to_numpy())
    np.testing.assert_array_equal(got.ranks.to_numpy(), rank_scores(latest).to_numpy())
    assert set(got.profiles) == set(latest.index)
    deu = got.profiles["DEU"]
    assert len(deu.strengths) == 3 and (deu.strengths["rank"] <= deu.weaknesses["rank"].min()).all()
    summary = got.uncertainty.summary()
    assert (summary["q05_rank"] <= summary["q95_rank"]).all()
    np.testing.assert_array_equal(summary["nominal_rank"].to_numpy(),
                                  got.ranks["Index"].reindex(summary.index).to_numpy())  # fmt: skip
    assert list(got.sensitivity.indices.index) == ["norm", "weights"]


def test_benchmark_index_without_inputs_and_errors(asem, asem_panel):
    one = benchmark_index(asem, pipeline())
    assert one.period is None and one.uncertainty is None and one.sensitivity is None
    with pytest.raises(DataError, match=r"no period 1999"):
        benchmark_index(asem_panel, pipeline(), period=1999)
    with pytest.raises(DataError, match=r"period= applies to panel data only"):
        benchmark_index(asem, pipeline(), period=2018)
