"""Golden tests: nengji reproduces COINr's published outputs for the ASEM example."""

from __future__ import annotations

import numpy as np

from nengji.index import Aggregate, MinMax, Pipeline

from conftest import reference

TOL = 1e-9


def pipeline_a() -> Pipeline:
    return Pipeline([("normalise", MinMax(lower=0, upper=100)), ("aggregate", Aggregate())])


def assert_frame_close(got, ref) -> None:
    got = got.loc[ref.index, ref.columns].to_numpy(dtype=float)
    exp = ref.to_numpy(dtype=float)
    assert (np.isnan(got) == np.isnan(exp)).all()
    assert np.nanmax(np.abs(got - exp)) < TOL


class TestPipelineA:
    def test_normalised(self, asem):
        res = pipeline_a().run(asem)
        assert_frame_close(res.stages["normalised"], reference("A_Normalised.csv"))

    def test_scores(self, asem):
        res = pipeline_a().run(asem)
        assert_frame_close(res.scores, reference("A_scores.csv"))

    def test_ranks(self, asem):
        res = pipeline_a().run(asem)
        assert_frame_close(res.ranks, reference("A_ranks.csv"))

    def test_top_five(self, asem):
        top = pipeline_a().run(asem).scores["Index"].sort_values(ascending=False).head(5)
        assert list(top.index) == ["DEU", "GBR", "FRA", "CHE", "NLD"]
        assert abs(top["DEU"] - 75.227805) < 1e-6
