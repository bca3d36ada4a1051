"""The Yangpu example: 2013 = 100, dimension breakdown, exact contributions, packaged copies."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nengji.index import cagr
from nengji.index.decompose import decompose
from nengji.index.examples import (
    build_example_index,
    example_data_dir,
    yangpu_demo_data,
    yangpu_framework,
    yangpu_pipeline,
)

REPO = Path(__file__).resolve().parents[2]
DIMENSIONS = ["DIM_ELEMENTS", "DIM_ENVIRONMENT", "DIM_OUTCOMES", "DIM_INFLUENCE"]


def test_framework_four_dimensions_with_reasons():
    fw = yangpu_framework()
    assert fw.roots == ["SHUANGCHUANG_INDEX"]
    assert fw.children("SHUANGCHUANG_INDEX") == DIMENSIONS
    assert 12 <= len(fw.indicators) <= 20
    for code in fw.indicators:
        node = fw[code]
        assert node.extra["rationale_zh"] and node.extra["rationale_en"], code
        assert node.name_zh and node.name_en


def test_framework_codes_are_plan_indicator_codes():
    yaml = pytest.importorskip("yaml")
    catalogue = REPO / "data" / "plans" / "yangpu-2021" / "indicators.yaml"
    if not catalogue.exists():
        pytest.skip("the plan's indicator catalogue is not on this branch")
    codes = {e["code"] for e in yaml.safe_load(catalogue.read_text(encoding="utf-8"))}
    assert set(yangpu_framework().indicators) <= codes


def test_demo_panel_is_flagged():
    data = yangpu_demo_data()
    assert data.is_panel and data.periods() == list(range(2013, 2025))
    assert (data.meta["demo"] == "演示数据 demo").all()


def test_index_2013_is_100_and_breakdown_adds_up():
    res = build_example_index()
    scores = res.scores.xs("YANGPU")
    assert (scores.loc[2013] == 100.0).all()  # exactly, every level
    assert np.allclose(scores["SHUANGCHUANG_INDEX"], scores[DIMENSIONS].mean(axis=1), rtol=1e-13)
    dec = decompose(res)
    assert dec.check() < 1e-9
    gap = (dec.aggregates[DIMENSIONS].sum(axis=1) - dec.total["change"]).abs().max()
    assert gap < 1e-9
    assert len(dec.total) == 11
    growth = cagr(scores.loc[2013, "SHUANGCHUANG_INDEX"], scores.loc[2019, "SHUANGCHUANG_INDEX"], 6)
    assert 0 < growth < 1


def test_base_year_fitted_once_new_year_does_not_rescale_old():
    data = yangpu_demo_data()
    pipe = yangpu_pipeline()
    early = data.with_values(data.values[data.period_labels() <= 2019])
    before = pipe.run(early).scores
    after = pipe.run(data).scores
    assert np.allclose(after.loc[before.index], before, rtol=1e-13)


def test_up_to():
    res = build_example_index(up_to="normalise")
    assert list(res.stages) == ["raw", "imputed", "normalised"]
    with pytest.raises(ValueError, match="up_to"):
        build_example_index(up_to="bake")


def test_packaged_copies_match_repository_files():
    pkg = example_data_dir()
    pairs = [
        (
            REPO / "data" / "plans" / "yangpu-2021" / "index" / "framework.csv",
            pkg / "framework.csv",
        ),
        (REPO / "data" / "demo" / "yangpu-2021" / "index_panel.csv", pkg / "index_panel.csv"),
    ]
    for repo_file, pkg_file in pairs:
        if repo_file.exists():
            assert repo_file.read_bytes() == pkg_file.read_bytes(), repo_file.name
    yaml = pytest.importorskip("yaml")
    pipeline_yaml = REPO / "data" / "plans" / "yangpu-2021" / "index" / "pipeline.yaml"
    if pipeline_yaml.exists():
        assert yaml.safe_load(pipeline_yaml.read_text(encoding="utf-8")) == json.loads(
            (pkg / "pipeline.json").read_text(encoding="utf-8")
        )


def test_demo_generator_is_deterministic():
    script = REPO / "data" / "demo" / "yangpu-2021" / "make_index_panel.py"
    if not script.exists():
        pytest.skip("generator not present")
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_index_panel", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    frame = module.make_panel()
    import pandas as pd

    shipped = pd.read_csv(REPO / "data" / "demo" / "yangpu-2021" / "index_panel.csv")
    pd.testing.assert_frame_equal(frame.reset_index(drop=True), shipped, check_dtype=False)
