"""Docs that run: the tutorial's Python block is executed as written."""

from __future__ import annotations

import re
from pathlib import Path

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
