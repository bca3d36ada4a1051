"""When no uncertainty run moves any rank, the Sobol' indices are 0/0: the page must say the
choices do not move the ranks rather than show a table of blanks."""

from __future__ import annotations

from typing import Any

from nengji.indexing.benchmark.selectors import BenchmarkView


def _view(sensitivity: list[dict[str, Any]]) -> BenchmarkView:
    return BenchmarkView(
        benchmark=None, year=2024, years=[2024], scope="all", sensitivity=sensitivity
    )  # type: ignore[arg-type]


def test_undefined_indices_mean_the_ranks_never_move() -> None:
    view = _view(
        [{"input": "weights", "S1": None, "ST": None}, {"input": "norm", "S1": None, "ST": None}]
    )
    assert view.ranks_never_move


def test_defined_indices_are_shown() -> None:
    view = _view(
        [{"input": "weights", "S1": 0.4, "ST": 0.6}, {"input": "norm", "S1": None, "ST": None}]
    )
    assert not view.ranks_never_move


def test_no_sensitivity_is_not_a_claim_about_ranks() -> None:
    assert not _view([]).ranks_never_move
