"""Docs that run: the tutorial's Python block is executed as written."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

DOCS = Path(__file__).resolve().parents[2] / "docs" / "index"


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def test_tutorial_runs(capsys):
    blocks = python_blocks(DOCS / "tutorial.md")
    assert blocks, "the tutorial has no python block"
    code = blocks[0]
    assert len([line for line in code.splitlines() if line.strip()]) <= 12
    exec(compile(code, "tutorial.md", "exec"), {})  # noqa: S102  running our own docs is the test
    assert "100.0" in capsys.readouterr().out


def test_extending_example_registers_a_working_method():
    from toy import toy_data

    from nengji.index import REGISTRY, pipeline_from_spec

    namespace: dict = {}
    exec(compile(python_blocks(DOCS / "extending.md")[0], "extending.md", "exec"), namespace)  # noqa: S102
    try:
        spec = {
            "steps": [
                {"step": "normalise", "method": "power_minmax", "upper": 10},
                {"step": "aggregate"},
            ]
        }
        res = pipeline_from_spec(spec).run(toy_data(panel=False, with_nan=False))
        norm = res.stages["normalised"]
        assert np.isclose(norm.max().max(), 10.0) and np.isclose(norm.min().min(), 0.0)
        assert res.scores["Index"].notna().all()
    finally:
        REGISTRY["normalise"].pop("power_minmax", None)


def test_yangpu_page_lists_every_framework_indicator():
    from nengji.index.examples import yangpu_framework

    page = (DOCS / "yangpu.md").read_text(encoding="utf-8")
    fw = yangpu_framework()
    for code in fw.indicators:
        assert f"`{code}`" in page and fw[code].extra["rationale_zh"] in page, code
