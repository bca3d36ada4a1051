"""`nengji index run` accepts the TOPSIS and benefit-of-the-doubt aggregators in the pipeline YAML
(issue 17's interface: ``{step: aggregate, method: …}``), and refuses bad restrictions by name."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from conftest import coinr_file

pytest.importorskip("click")
pytest.importorskip("yaml")
pytest.importorskip("nengji.cli.index")  # the CLI may pull in the web stack: skip without it
from click.testing import CliRunner

from nengji.cli.index import index

BOD = """steps:
  - {step: normalise, method: minmax, lower: 1, upper: 100}
  - {step: aggregate, method: [bod, topsis, arithmetic], pie_shares: [0.5, 2]}
"""


def run(tmp_path, pipeline):
    (tmp_path / "P.yaml").write_text(pipeline, encoding="utf-8")
    args = [
        "run", "--framework", coinr_file("input_ASEM_iMeta.csv"),
        "--data", coinr_file("input_ASEM_iData.csv"), "--pipeline", tmp_path / "P.yaml",
        "--out", tmp_path / "out.csv",
    ]  # fmt: skip
    return CliRunner().invoke(index, [str(a) for a in args])


def test_run_with_bod_and_topsis_writes_scores_and_spec(tmp_path):
    res = run(tmp_path, BOD)
    assert res.exit_code == 0, res.output
    table = pd.read_csv(tmp_path / "out.csv")
    assert len(table) == 51
    pillars = table[["Physical", "ConEcFin", "Political", "Instit"]].to_numpy()
    assert np.nanmin(pillars) >= 0 and np.nanmax(pillars) == pytest.approx(1.0)
    spec = json.loads((tmp_path / "out.spec.json").read_text(encoding="utf-8"))
    step = spec["pipeline"]["steps"][1]
    assert step["method"] == ["bod", "topsis", "arithmetic"] and step["pie_shares"] == [0.5, 2]


def test_run_refuses_bad_pie_shares_naming_them(tmp_path):
    res = run(tmp_path, BOD.replace("[0.5, 2]", "[3, 2]"))
    assert res.exit_code != 0 and "pie_shares" in res.output
    res = run(tmp_path, BOD.replace("minmax, lower: 1, upper: 100", "zscore"))
    assert (
        res.exit_code != 0 and "bod needs values >= 0: '" in res.output and "uCode=" in res.output
    )
