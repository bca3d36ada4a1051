"""A small index run (the index engine's toy panel, base year 2013 = 100) for report tests."""

from __future__ import annotations

from typing import Any


def toy_results() -> Any:
    from nengji.index import Aggregate, BaseYear, Pipeline
    from tests.index.toy import toy_data

    pipeline = Pipeline([("normalise", BaseYear(year=2013)), ("aggregate", Aggregate())])
    return pipeline.run(toy_data(with_nan=False))
