"""Issue 17 on the command line: ``nengji index analyse --what …`` (one CSV per item) and
``nengji index run`` with the new methods in the pipeline YAML; hostile input gives a clear
error naming the item."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import coinr_file

pytest.importorskip("click")
pytest.importorskip("yaml")
pytest.importorskip("nengji.cli.index")  # the CLI may pull in the web stack: skip without it
from click.testing import CliRunner

from nengji.cli.index import index
from nengji.cli.index_uncertainty import ANALYSES, analyse

MINMAX = "steps:\n  - {step: normalise, method: minmax}\n  - {step: aggregate}\n"


def write(tmp_path, text, name="P.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_analyse(tmp_path, *extra, data="input_ASEM_iData.csv", pipeline=MINMAX):
    args = [
        "--framework", coinr_file("input_ASEM_iMeta.csv"), "--data", coinr_file(data),
        "--pipeline", write(tmp_path, pipeline), "--out-dir", tmp_path / "out", *extra,
    ]  # fmt: skip
    return CliRunner().invoke(analyse, [str(a) for a in args])


def test_every_analysis_writes_its_csv(tmp_path):
    extra = [a for w in ANALYSES for a in ("--what", w)]
    res = run_analyse(tmp_path, *extra, "--method", "kendall", data="input_ASEM_iData_p.csv")
    assert res.exit_code == 0, res.output
    out = tmp_path / "out"
    assert sorted(p.stem for p in out.iterdir()) == sorted(ANALYSES)
    corr = pd.read_csv(out / "correlations.csv", index_col=0)
    assert corr.shape == (49, 49) and np.allclose(np.diag(corr), 1.0)
    removed = pd.read_csv(out / "remove-elements.csv", index_col=0)
    assert list(removed.index) == ["Physical", "ConEcFin", "Political", "Instit", "P2P",
                                   "Environ", "Social", "SusEcFin"]  # fmt: skip
    assert (removed["mean_abs_rank_change"] > 0).all()
    trends = pd.read_csv(out / "trends.csv")
    assert len(trends) == 51 * 49 and {"trend", "availability"} <= set(trends.columns)
    pca = pd.read_csv(out / "pca.csv")
    assert set(pca["group"]) == {"Physical", "ConEcFin", "Political", "Instit", "P2P",
                                 "Environ", "Social", "SusEcFin"}  # fmt: skip
    avail = pd.read_csv(out / "availability.csv")
    assert len(avail) == 255


def test_trends_need_a_panel(tmp_path):
    res = run_analyse(tmp_path, "--what", "trends")
    assert res.exit_code != 0 and "trends need a panel" in res.output


def test_unknown_analysis_is_refused(tmp_path):
    res = run_analyse(tmp_path, "--what", "skewness")
    assert res.exit_code != 0 and "skewness" in res.output


def run_pipeline(tmp_path, text, out):
    args = ["run", "--framework", coinr_file("input_ASEM_iMeta.csv"),
            "--data", coinr_file("input_ASEM_iData.csv"),
            "--pipeline", write(tmp_path, text), "--out", out]  # fmt: skip
    return CliRunner().invoke(index, [str(a) for a in args])


def test_run_screen_by_zeros_and_na(tmp_path):
    out = tmp_path / "r.csv"
    text = "steps: [{step: screen, by: na_and_zeros, min_share: 0.9, min_nonzero: 0.95},\n"
    text += "        {step: normalise, method: minmax}, {step: aggregate}]\n"
    res = run_pipeline(tmp_path, text, out)
    assert res.exit_code == 0, res.output
    assert 20 < len(pd.read_csv(out)) < 51


def test_run_fracmax_with_coinr_infinities_warns(tmp_path):
    out = tmp_path / "r.csv"
    res = run_pipeline(
        tmp_path, "steps: [{step: normalise, method: fracmax, zero: inf}, {step: aggregate}]", out
    )
    assert res.exit_code == 0, res.output
    assert "warning: FracMax: reference value 0 for ['CostImpEx'" in res.output
    assert np.isinf(pd.read_csv(out)["Index"]).any()


@pytest.mark.parametrize(
    "agg", ["{step: aggregate, method: genmean, p: 2}", "{step: aggregate, method: copeland}"]
)
def test_run_accepts_the_new_aggregations(tmp_path, agg):
    out = tmp_path / "r.csv"
    res = run_pipeline(tmp_path, f"steps: [{{step: normalise, method: minmax}}, {agg}]", out)
    assert res.exit_code == 0, res.output
    assert len(pd.read_csv(out)) == 51


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("steps: [{step: normalise, method: fracmax}]", "'CostImpEx'"),
        ("steps: [{step: aggregate, method: genmean}]", "power p != 0"),
        ("steps: [{step: aggregate, method: median}]", "unknown aggregation method 'median'"),
        ("steps: [{step: screen, by: zero}]", "Screen.by must be one of"),
        ("steps: [{step: normalise, method: fracmax, zero: maybe}]", "FracMax.zero"),
        ("steps: [{step: normalise", "not valid YAML"),
    ],
)
def test_run_names_the_bad_item(tmp_path, text, message):
    args = ["run", "--framework", coinr_file("input_ASEM_iMeta.csv"),
            "--data", coinr_file("input_ASEM_iData.csv"), "--pipeline", write(tmp_path, text),
            "--out", tmp_path / "r.csv"]  # fmt: skip
    res = CliRunner().invoke(index, [str(a) for a in args])
    assert res.exit_code != 0
    assert message in res.output
    assert not (tmp_path / "r.csv").exists()
