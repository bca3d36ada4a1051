"""`nengji index run` accepts the TOPSIS and benefit-of-the-doubt aggregators in the pipeline YAML
(issue 17's interface: ``{step: aggregate, method: …}``) and a JRC COIN Tool workbook as
``--data`` (framework included); it refuses bad restrictions and oversized workbooks by name."""

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
from test_cointool import make_workbook

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


MINMAX = "steps:\n  - {step: normalise, method: minmax}\n  - {step: aggregate}\n"


def run_tool(tmp_path, *extra, workbook=None):
    tool = tmp_path / "tool.xlsm"
    tool.write_bytes(make_workbook() if workbook is None else workbook)
    (tmp_path / "P.yaml").write_text(MINMAX, encoding="utf-8")
    args = ["run", "--data", tool, "--pipeline", tmp_path / "P.yaml", "--out", tmp_path / "o.csv"]
    return CliRunner().invoke(index, [str(a) for a in [*args, *extra]])


def test_run_reads_a_coin_tool_workbook(tmp_path):
    res = run_tool(tmp_path)
    assert res.exit_code == 0, res.output
    assert "note: unit 'EEE'" in res.output  # the dropped empty unit is said
    table = pd.read_csv(tmp_path / "o.csv")
    assert list(table.columns) == ["uCode", "Index", "p.01", "p.02"]
    assert table["uCode"].tolist() == ["AAA", "BBB", "GGG", "DDD"]
    spec = json.loads((tmp_path / "o.spec.json").read_text(encoding="utf-8"))
    assert set(spec["inputs"]) == {"data", "pipeline"}


def test_run_refuses_a_framework_beside_a_workbook_and_a_csv_without_one(tmp_path):
    res = run_tool(tmp_path, "--framework", coinr_file("input_ASEM_iMeta.csv"))
    assert res.exit_code == 2 and "holds its own framework" in res.output
    (tmp_path / "P.yaml").write_text(MINMAX, encoding="utf-8")
    args = ["run", "--data", coinr_file("input_ASEM_iData.csv"), "--pipeline",
            tmp_path / "P.yaml", "--out", tmp_path / "o.csv"]  # fmt: skip
    res = CliRunner().invoke(index, [str(a) for a in args])
    assert res.exit_code == 2 and "--framework" in res.output


def test_run_refuses_a_zip_bomb_named_xlsx(tmp_path):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (9 * 1024 * 1024))
    res = run_tool(tmp_path, workbook=buf.getvalue())
    assert res.exit_code == 1 and "times its packed size" in res.output
