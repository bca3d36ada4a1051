"""`nengji index run` through click's CliRunner, on COINr's tables unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import coinr_file, reference

click = pytest.importorskip("click")
pytest.importorskip("yaml")
# nengji.cli may pull in the web stack once merged; without it, skip rather than fail
index = pytest.importorskip("nengji.cli.index").index
from click.testing import CliRunner  # noqa: E402  after the importorskip guards

PIPELINES = Path(__file__).resolve().parents[2] / "docs" / "index" / "pipelines"


def invoke(*args):
    result = CliRunner().invoke(index, [str(a) for a in args])
    return result


def test_run_reproduces_coinr_pipeline_a(tmp_path):
    out = tmp_path / "results.csv"
    res = invoke(
        "run",
        "--framework",
        coinr_file("input_ASEM_iMeta.csv"),
        "--data",
        coinr_file("input_ASEM_iData.csv"),
        "--pipeline",
        PIPELINES / "asem-a.yaml",
        "--out",
        out,
    )
    assert res.exit_code == 0, res.output
    got = pd.read_csv(out)
    assert list(got.columns[:2]) == ["uCode", "Index"]
    ref = reference("A_scores.csv")
    got = got.set_index("uCode").loc[ref.index, ref.columns]
    assert np.nanmax(np.abs(got.to_numpy() - ref.to_numpy())) < 1e-9
    prov = json.loads((tmp_path / "results.spec.json").read_text(encoding="utf-8"))
    assert prov["pipeline"]["steps"][0]["method"] == "minmax"
    assert len(prov["inputs"]["data"]["sha256"]) == 64


def test_run_panel_writes_time_column(tmp_path):
    out = tmp_path / "panel.csv"
    res = invoke(
        "run",
        "--framework",
        coinr_file("input_ASEM_iMeta.csv"),
        "--data",
        coinr_file("input_ASEM_iData_p.csv"),
        "--pipeline",
        PIPELINES / "asem-purse.yaml",
        "--out",
        out,
        "--ranks",
    )
    assert res.exit_code == 0, res.output
    got = pd.read_csv(out)
    assert list(got.columns[:3]) == ["uCode", "Time", "Index"]
    assert got["Time"].nunique() == 5


def test_bad_input_is_a_clean_error(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("steps:\n  - {step: normalise, method: sigmoid}\n", encoding="utf-8")
    res = invoke(
        "run",
        "--framework",
        coinr_file("input_ASEM_iMeta.csv"),
        "--data",
        coinr_file("input_ASEM_iData.csv"),
        "--pipeline",
        bad,
        "--out",
        tmp_path / "o.csv",
    )
    assert res.exit_code != 0 and "sigmoid" in res.output


def test_run_nengji_format_yangpu(tmp_path):
    repo = Path(__file__).resolve().parents[2]
    fw = repo / "data" / "plans" / "yangpu-2021" / "index" / "framework.csv"
    data = repo / "data" / "demo" / "yangpu-2021" / "index_panel.csv"
    pipe = repo / "data" / "plans" / "yangpu-2021" / "index" / "pipeline.yaml"
    out = tmp_path / "yangpu.csv"
    res = invoke("run", "--framework", fw, "--data", data, "--pipeline", pipe, "--out", out)
    assert res.exit_code == 0, res.output
    got = pd.read_csv(out)
    assert list(got.columns[:3]) == ["unit", "Time", "SHUANGCHUANG_INDEX"]
    assert got.loc[got["Time"] == 2013, "SHUANGCHUANG_INDEX"].item() == 100.0


def test_run_stage_option(tmp_path):
    out = tmp_path / "norm.csv"
    res = invoke(
        "run",
        "--framework",
        coinr_file("input_ASEM_iMeta.csv"),
        "--data",
        coinr_file("input_ASEM_iData.csv"),
        "--pipeline",
        PIPELINES / "asem-a.yaml",
        "--out",
        out,
        "--stage",
        "normalised",
    )
    assert res.exit_code == 0, res.output
    got = pd.read_csv(out).set_index("uCode")
    ref = reference("A_Normalised.csv")
    diff = np.abs(got.loc[ref.index, ref.columns].to_numpy() - ref.to_numpy())
    assert np.nanmax(diff) < 1e-9
    res = invoke(
        "run",
        "--framework",
        coinr_file("input_ASEM_iMeta.csv"),
        "--data",
        coinr_file("input_ASEM_iData.csv"),
        "--pipeline",
        PIPELINES / "asem-a.yaml",
        "--out",
        out,
        "--stage",
        "treated",
    )
    assert res.exit_code != 0 and "treated" in res.output


def test_framework_yaml(tmp_path):
    import yaml

    repo = Path(__file__).resolve().parents[2]
    fw_csv = repo / "data" / "plans" / "yangpu-2021" / "index" / "framework.csv"
    nodes = pd.read_csv(fw_csv).astype(object).where(lambda f: f.notna(), None)
    fw_yaml = tmp_path / "framework.yaml"
    fw_yaml.write_text(
        yaml.safe_dump({"nodes": nodes.to_dict("records")}, allow_unicode=True), encoding="utf-8"
    )
    data = repo / "data" / "demo" / "yangpu-2021" / "index_panel.csv"
    pipe = repo / "data" / "plans" / "yangpu-2021" / "index" / "pipeline.yaml"
    out = tmp_path / "y.csv"
    res = invoke("run", "--framework", fw_yaml, "--data", data, "--pipeline", pipe, "--out", out)
    assert res.exit_code == 0, res.output
    assert pd.read_csv(out)["SHUANGCHUANG_INDEX"].iloc[0] == 100.0
