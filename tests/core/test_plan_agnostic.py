"""No Python module of the platform hard-codes a plan (issue 9): Yangpu lives in data only.

Every string literal in src/nengji (docstrings aside) is checked against what is specific to
the bundled plan: its code, its district's code, the unit and codes of its index, the codes of
its indicators and departments. The engine's own bundled example (`nengji.index.examples`, the
analyst's one-liner) is the one exception: it is an example of the engine, not of the platform.
"""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

from tests.conftest import ROOT

SRC = ROOT / "src" / "nengji"
PACKAGE = ROOT / "data" / "plans" / "yangpu-2021"
EXEMPT = {SRC / "index" / "examples.py"}


def _plan_tokens() -> set[str]:
    meta = yaml.safe_load((PACKAGE / "plan.yaml").read_text(encoding="utf-8"))
    indicators = yaml.safe_load((PACKAGE / "indicators.yaml").read_text(encoding="utf-8"))
    framework = (PACKAGE / "index" / "framework.csv").read_text(encoding="utf-8").splitlines()
    departments = (PACKAGE / "departments.csv").read_text(encoding="utf-8").splitlines()
    tokens = {meta["code"], meta["district"]["code"], meta["index"]["unit"]}
    tokens |= {i["code"] for i in indicators}
    tokens |= {line.split(",")[0] for line in framework[1:]}
    tokens |= {line.split(",")[0] for line in departments[1:]}
    return tokens


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def test_no_module_names_the_bundled_plan():
    tokens = _plan_tokens()
    long_tokens = {t for t in tokens if len(t) > 4}  # codes like "STC" only as whole strings
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path in EXEMPT or "migrations" in path.parts:
            continue
        for line, value in _literals(path):
            words = set(value.replace("/", " ").replace(".", " ").split())
            if value in tokens or words & tokens or any(t in value for t in long_tokens):
                found.append(f"{path.relative_to(ROOT)}:{line}: {value[:60]!r}")
    assert not found, "plan-specific strings in Python code:\n" + "\n".join(found)


def test_the_scan_would_catch_one():
    """The check above is not vacuous: the tokens include the codes pages used to hard-code."""
    tokens = _plan_tokens()
    assert {"yangpu-2021", "YANGPU", "SHUANGCHUANG_INDEX", "HIGH_TECH_ENTERPRISES", "STC"} <= tokens
