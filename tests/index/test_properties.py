"""Property tests (hypothesis): invariants that must hold for any data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402  after the importorskip guard
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra.numpy import arrays  # noqa: E402

from nengji.index import AggregationPlan, Framework, MinMax, Rank, aggregate_array  # noqa: E402

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


def frame(values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {"x": values}, index=pd.Index([f"u{i}" for i in range(len(values))], name="uCode")
    )


@settings(max_examples=200, deadline=None)
@given(
    arrays(float, st.integers(2, 40), elements=finite), st.floats(-100, 100), st.floats(0.1, 100)
)
def test_minmax_lies_in_bounds(x, lower, width):
    if np.ptp(x) == 0 or np.ptp(x) < 1e-9 * max(1.0, np.abs(x).max()):
        return
    upper = lower + width
    out = MinMax(lower=lower, upper=upper).fit_transform(frame(x))["x"].to_numpy()
    tol = 1e-9 * max(1.0, abs(lower), abs(upper))
    assert (out >= lower - tol).all() and (out <= upper + tol).all()
    assert out.min() == pytest.approx(lower, abs=tol) and out.max() == pytest.approx(upper, abs=tol)


@settings(max_examples=200, deadline=None)
@given(arrays(float, st.integers(1, 40), elements=finite))
def test_rank_is_order_preserving(x):
    r = Rank().fit_transform(frame(x))["x"].to_numpy()
    i, j = np.meshgrid(range(len(x)), range(len(x)))
    assert ((x[i] < x[j]) <= (r[i] < r[j])).all()
    assert ((x[i] == x[j]) <= (r[i] == r[j])).all()


FW = Framework.from_records(
    [
        {"code": "I"},
        {"code": "A", "parent": "I"},
        {"code": "B", "parent": "I"},
        {"code": "a1", "parent": "A"},
        {"code": "a2", "parent": "A"},
        {"code": "b1", "parent": "B"},
    ]
)
PLAN = AggregationPlan.from_framework(FW)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(0.01, 1000),
    arrays(float, len(PLAN.codes), elements=st.floats(0.01, 10)),
    st.sampled_from(["arithmetic", "geometric", "harmonic", "mazziotta_pareto"]),
)
def test_equal_scores_aggregate_to_that_score(score, weights, method):
    x = np.full((3, len(FW.indicators)), score)
    out = aggregate_array(x, PLAN, method=method, weights=weights)
    np.testing.assert_allclose(out, score, rtol=1e-12)
