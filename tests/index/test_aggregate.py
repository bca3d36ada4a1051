"""Aggregation: COINr's means, missing children, thresholds, per-level methods, weight stacks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nengji.index import (
    Aggregate,
    AggregationPlan,
    DataError,
    Framework,
    SpecError,
    aggregate_array,
    build_data,
)

FW = Framework.from_records(
    [
        {"code": "I"},
        {"code": "A", "parent": "I", "weight": 3},
        {"code": "B", "parent": "I", "weight": 1},
        {"code": "x", "parent": "A", "weight": 1},
        {"code": "y", "parent": "A", "weight": 2},
        {"code": "z", "parent": "B"},
    ]
)


def scores(values, method="arithmetic", **kw):
    frame = pd.DataFrame({"uCode": ["u"], **{k: [v] for k, v in values.items()}})
    return Aggregate(method=method, **kw).fit_transform(build_data(frame, FW)).iloc[0]


def test_arithmetic():
    s = scores({"x": 10.0, "y": 40.0, "z": 70.0})
    assert s["A"] == pytest.approx((10 + 2 * 40) / 3)
    assert s["I"] == pytest.approx(0.75 * s["A"] + 0.25 * 70)


def test_missing_child_drops_with_its_weight():
    s = scores({"x": np.nan, "y": 40.0, "z": 70.0})
    assert s["A"] == pytest.approx(40.0)
    s = scores({"x": 1.0, "y": 2.0, "z": np.nan})
    assert np.isnan(s["B"]) and s["I"] == pytest.approx(s["A"])


def test_min_share():
    s = scores({"x": np.nan, "y": 40.0, "z": 70.0}, min_share=0.6)
    assert np.isnan(s["A"])  # 1 of 2 children
    assert np.isnan(s["I"])  # the threshold applies at every level: A missing, 1 of 2 again
    s = scores({"x": np.nan, "y": 40.0, "z": 70.0}, min_share=0.5)
    assert s["A"] == pytest.approx(40.0)


def test_geometric_and_harmonic():
    s = scores({"x": 10.0, "y": 40.0, "z": 70.0}, method="geometric")
    assert s["A"] == pytest.approx(np.exp((np.log(10) + 2 * np.log(40)) / 3))
    s = scores({"x": 10.0, "y": 40.0, "z": 70.0}, method="harmonic")
    assert s["A"] == pytest.approx(3 / (1 / 10 + 2 / 40))


def test_mazziotta_pareto_penalises_imbalance():
    s = scores({"x": 10.0, "y": 40.0, "z": 70.0}, method="mazziotta_pareto")
    w = np.array([1, 2]) / 3
    v = np.array([10.0, 40.0])
    m = w @ v
    sd = np.sqrt(w @ (v - m) ** 2)
    assert s["A"] == pytest.approx(m - sd * sd / m)
    assert s["B"] == pytest.approx(70.0)


def test_one_method_per_level():
    s = scores({"x": 10.0, "y": 40.0, "z": 70.0}, method=["geometric", "arithmetic"])
    assert s["I"] == pytest.approx(0.75 * s["A"] + 0.25 * 70)
    with pytest.raises(SpecError, match="one per level"):
        scores({"x": 1.0, "y": 1.0, "z": 1.0}, method=["arithmetic"] * 3)


@pytest.mark.parametrize("method", ["geometric", "harmonic"])
def test_non_positive_value_names_unit_and_code(method):
    with pytest.raises(DataError, match=r"'y'.*uCode='u'"):
        scores({"x": 10.0, "y": 0.0, "z": 70.0}, method=method)


def test_unknown_method():
    with pytest.raises(SpecError, match="median"):
        scores({"x": 1.0, "y": 1.0, "z": 1.0}, method="median")


def test_weight_stack_matches_one_by_one():
    rng = np.random.default_rng(0)
    x = rng.uniform(1, 100, size=(20, 3))
    x[3, 1] = np.nan
    plan = AggregationPlan.from_framework(FW)
    w = rng.uniform(0.5, 1.5, size=(7, len(plan.codes)))
    stacked = aggregate_array(x, plan, weights=w)
    for k in range(7):
        np.testing.assert_allclose(stacked[k], aggregate_array(x, plan, weights=w[k]))


def test_weights_override():
    s = scores({"x": 10.0, "y": 40.0, "z": 70.0}, weights={"A": 1})
    assert s["I"] == pytest.approx(0.5 * s["A"] + 0.5 * 70)


def test_weight_stack_with_gaps_and_threshold_matches_one_by_one():
    rng = np.random.default_rng(1)
    x = rng.uniform(1, 100, size=(30, 3))
    x[[2, 5], [0, 2]] = np.nan
    plan = AggregationPlan.from_framework(FW)
    w = rng.uniform(0.5, 1.5, size=(5, len(plan.codes)))
    for method in ("arithmetic", "geometric", "harmonic", "mazziotta_pareto"):
        stacked = aggregate_array(x, plan, weights=w, method=method, min_share=0.5)
        only = aggregate_array(
            x, plan, weights=w, method=method, min_share=0.5, aggregates_only=True
        )
        np.testing.assert_array_equal(stacked[..., plan.n_indicators :], only)
        for k in range(5):
            one = aggregate_array(x, plan, weights=w[k], method=method, min_share=0.5)
            np.testing.assert_allclose(stacked[k], one, rtol=1e-13)


def test_unbalanced_tree_of_any_depth():
    fw = Framework.from_records(
        [
            {"code": "I"},
            {"code": "A", "parent": "I"},
            {"code": "A1", "parent": "A"},
            {"code": "a", "parent": "A1"},
            {"code": "b", "parent": "A1"},
            {"code": "c", "parent": "A"},  # an indicator one level higher up
            {"code": "d", "parent": "I", "weight": 2},  # and one directly under the index
        ]
    )
    assert fw["I"].level == 4 and fw["A"].level == 3 and fw["c"].level == 1
    frame = pd.DataFrame({"uCode": ["u"], "a": [10.0], "b": [20.0], "c": [40.0], "d": [70.0]})
    s = Aggregate().fit_transform(build_data(frame, fw)).iloc[0]
    assert s["A1"] == pytest.approx(15.0)
    assert s["A"] == pytest.approx((15.0 + 40.0) / 2)
    assert s["I"] == pytest.approx((s["A"] + 2 * 70.0) / 3)
    eff = fw.effective_weights()
    assert sum(eff[c] * frame[c].iloc[0] for c in "abcd") == pytest.approx(s["I"])
