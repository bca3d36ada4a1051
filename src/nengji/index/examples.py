"""Example indexes: the Yangpu 杨浦双创综合指数 on flagged demo data (演示数据).

``build_example_index()`` is the one-liner for analysts, a docs example and a test fixture:

>>> res = build_example_index()
>>> float(res.scores.loc[("YANGPU", 2013), "SHUANGCHUANG_INDEX"])
100.0

Where the files come from
-------------------------
The framework (``framework.csv``), the pipeline and the demo panel are kept in the plan package at
the repository root (``data/plans/yangpu-2021/index/``, ``data/demo/yangpu-2021/``). ``data/`` is
outside ``src/``, so an installed nengji cannot see it; copies therefore ship inside the package
(``nengji/index/_data/yangpu_2021/``, the pipeline as JSON because this library does not depend on
YAML) and a test keeps them byte-identical to the repository files. :func:`example_data_dir` is the
one place that resolves the folder: ``$NENGJI_INDEX_EXAMPLE_DATA`` if set (to try other files),
else the packaged copies.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from nengji.index.data import IndexData, read_data
from nengji.index.framework import Framework, read_framework
from nengji.index.pipeline import Pipeline
from nengji.index.results import IndexResults
from nengji.index.spec import pipeline_from_spec

#: Environment variable that points the examples at another folder with the same three files.
ENV_VAR = "NENGJI_INDEX_EXAMPLE_DATA"


def example_data_dir() -> Path:
    """Folder holding ``framework.csv``, ``pipeline.json`` and ``index_panel.csv``."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    return Path(__file__).resolve().parent / "_data" / "yangpu_2021"


def yangpu_framework() -> Framework:
    """The Yangpu index framework: 18 plan indicators under the annex's four dimensions."""
    return read_framework(example_data_dir() / "framework.csv")


def yangpu_pipeline() -> Pipeline:
    """The Yangpu method: interpolate gaps, base year 2013 = 100, arithmetic means."""
    spec: dict[str, Any] = json.loads(
        (example_data_dir() / "pipeline.json").read_text(encoding="utf-8")
    )
    return pipeline_from_spec(spec)


def yangpu_demo_data() -> IndexData:
    """The flagged demo panel 2013–2024 (every row has ``demo = 演示数据 demo``)."""
    return read_data(example_data_dir() / "index_panel.csv", yangpu_framework())


def build_example_index(up_to: str | None = None) -> IndexResults:
    """Compute the Yangpu demo index (演示数据), optionally stopping after step ``up_to``.

    Parameters
    ----------
    up_to : str, optional
        A step name of the pipeline (``"impute"``, ``"normalise"``, ``"aggregate"``); the run
        stops after it, like COINr's ``build_example_coin(up_to = ...)``.
    """
    pipe = yangpu_pipeline()
    if up_to is not None:
        names = [n for n, _ in pipe.steps]
        if up_to not in names:
            raise ValueError(f"up_to must be one of {names}, got {up_to!r}")
        pipe = Pipeline(pipe.steps[: names.index(up_to) + 1])
    return pipe.run(yangpu_demo_data())
