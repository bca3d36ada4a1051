"""Weights: hand-checked entropy, CRITIC, PCA and AHP, and effective weights."""

from __future__ import annotations

import numpy as np
import pytest
from toy import FRAMEWORK, toy_data

from nengji.index import (
    AHPWeights,
    CriticWeights,
    EntropyWeights,
    EqualWeights,
    ManualWeights,
    MinMax,
    PCAWeights,
    Pipeline,
    SpecError,
    ahp_weights,
    describe_weights,
)
from nengji.index.aggregate import Aggregate


def normalised():
    data = toy_data(panel=False, with_nan=False)
    return data.with_values(MinMax().fit_transform(data))


def test_entropy_formula():
    data = normalised()
    step = EntropyWeights().fit(data)
    Z = data.values[["a", "b", "c"]].to_numpy()  # noqa: N806  matrix
    P = Z / Z.sum(axis=0)  # noqa: N806  matrix
    with np.errstate(divide="ignore", invalid="ignore"):
        e = -np.nansum(np.where(P > 0, P * np.log(P), 0), axis=0) / np.log(len(Z))
    d = 1 - e
    exp = d / d.sum()
    assert [step.weights_[c] for c in "abc"] == pytest.approx(exp.tolist())
    assert step.framework_["a"].weight == pytest.approx(exp[0])


def test_critic_formula():
    data = normalised()
    step = CriticWeights().fit(data)
    Z = data.values[["d", "e"]].to_numpy()  # noqa: N806  matrix
    sd = Z.std(axis=0, ddof=1)
    r = np.corrcoef(Z, rowvar=False)
    c = sd * (1 - r).sum(axis=0)
    assert [step.weights_["d"], step.weights_["e"]] == pytest.approx((c / c.sum()).tolist())


def test_pca_weights_sum_to_one_per_group():
    step = PCAWeights().fit(normalised())
    assert sum(step.weights_[c] for c in "abc") == pytest.approx(1.0)


def test_ahp_saaty_example_and_consistency():
    w, cr = ahp_weights([[1, 1 / 3, 1 / 5], [3, 1, 1 / 3], [5, 3, 1]])
    assert w.tolist() == pytest.approx([0.1047, 0.2583, 0.6370], abs=1e-3)
    assert cr == pytest.approx(0.0332, abs=2e-3)
    bad = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    with pytest.raises(SpecError, match="inconsistent"):
        AHPWeights(codes=["a", "b", "c"], matrix=bad).fit(normalised())
    with pytest.raises(SpecError, match="reciprocal"):
        ahp_weights([[1, 2], [2, 1]])


def test_weights_flow_into_aggregation():
    data = toy_data(panel=False, with_nan=False)
    pipe = Pipeline(
        [
            ("normalise", MinMax()),
            ("weight", ManualWeights(weights={"D1": 1, "D2": 3})),
            ("aggregate", Aggregate()),
        ]
    )
    res = pipe.run(data)
    s = res.scores
    assert np.allclose(s["Index"], 0.25 * s["D1"] + 0.75 * s["D2"])
    eq = (
        Pipeline([("normalise", MinMax()), ("weight", EqualWeights()), ("aggregate", Aggregate())])
        .run(data)
        .scores
    )
    assert np.allclose(eq["Index"], 0.5 * eq["D1"] + 0.5 * eq["D2"])


def test_describe_weights():
    table = describe_weights(FRAMEWORK)
    assert table.loc["b", "relative"] == pytest.approx(0.5)
    assert table.loc["b", "effective"] == pytest.approx(2 / 3 * 0.5)
    assert table.loc[FRAMEWORK.indicators, "effective"].sum() == pytest.approx(1.0)
