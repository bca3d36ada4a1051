"""Normalisers: hand-checked formulas following COINr's n_* definitions and SEMANTICS.md."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from toy import FRAMEWORK, toy_data

from nengji.index import (
    BaseYear,
    Borda,
    DataError,
    DistToMax,
    DistToRef,
    DistToTarget,
    FracMax,
    Goalposts,
    MinMax,
    PercentileRank,
    Rank,
    SpecError,
    ZScore,
    build_data,
)

X = np.array([3.0, 1.0, 4.0, 1.0, 5.0, np.nan, 9.0])


def one(values, direction=1, target=None):
    """One-indicator, one-period data under a two-node framework."""
    from nengji.index import Framework

    fw = Framework.from_records(
        [
            {"code": "Index"},
            {"code": "x", "parent": "Index", "direction": direction, "target": target},
        ]
    )
    frame = pd.DataFrame({"uCode": [f"u{i}" for i in range(len(values))], "x": values})
    return build_data(frame, fw)


def run(step, values, **kw):
    return step.fit_transform(one(values, **kw))["x"].to_numpy()


def r_rank(x):
    """R's rank(x, ties.method = "min", na.last = "keep")."""
    return pd.Series(x).rank(method="min", na_option="keep").to_numpy()


@pytest.mark.parametrize("d", [1, -1])
class TestFormulas:
    def test_minmax(self, d):
        y = d * X
        exp = (y - np.nanmin(y)) / (np.nanmax(y) - np.nanmin(y)) * (10 - 1) + 1
        np.testing.assert_allclose(run(MinMax(lower=1, upper=10), X, direction=d), exp)

    def test_zscore_sample_sd(self, d):
        y = d * X
        exp = (y - np.nanmean(y)) / np.nanstd(y, ddof=1) * 2 + 10
        np.testing.assert_allclose(run(ZScore(mean=10, sd=2), X, direction=d), exp)

    def test_rank_borda_prank(self, d):
        r = r_rank(d * X)
        np.testing.assert_array_equal(run(Rank(), X, direction=d), r)
        np.testing.assert_array_equal(run(Borda(), X, direction=d), r - 1)
        np.testing.assert_allclose(run(PercentileRank(), X, direction=d), (r - 1) / (6 - 1))

    def test_dist_to_max(self, d):
        y = d * X
        exp = 1 - (np.nanmax(y) - y) / (np.nanmax(y) - np.nanmin(y))
        np.testing.assert_allclose(run(DistToMax(), X, direction=d), exp)

    def test_frac_max_is_fraction_of_the_best(self, d):
        """Direction +1: x / max (COINr n_fracmax); direction −1: min / x (COINr gives x / min,
        which scores the worst highest: issue 17)."""
        exp = X / np.nanmax(X) if d == 1 else np.nanmin(X) / X
        got = run(FracMax(), X, direction=d)
        np.testing.assert_allclose(got, exp)
        best = np.nanargmin(X) if d == -1 else np.nanargmax(X)
        assert got[best] == 1.0 and np.nanmax(got) == 1.0

    def test_dist_to_ref(self, d):
        y = d * X
        exp = 1 - (y[2] - y) / (y[2] - np.nanmin(y))
        np.testing.assert_allclose(run(DistToRef(unit="u2"), X, direction=d), exp)
        capped = run(DistToRef(unit="u2", cap_max=True), X, direction=d)
        np.testing.assert_allclose(capped, np.where(exp > 1, 1, exp))

    def test_dist_to_target(self, d):
        targ = 8.0 if d == 1 else 2.0
        got = run(DistToTarget(), X, direction=d, target=targ)
        if d == 1:  # COINr n_dist2targ: (x − min)/(targ − min)
            exp = (X - np.nanmin(X)) / (targ - np.nanmin(X))
        else:  # (max − x)/(max − targ)
            exp = (np.nanmax(X) - X) / (np.nanmax(X) - targ)
        np.testing.assert_allclose(got, exp)

    def test_goalposts(self, d):
        got = run(Goalposts(lower=2, upper=6, scale=100), X, direction=d)
        frac = (X - 2) / (6 - 2) if d == 1 else (6 - X) / (6 - 2)
        np.testing.assert_allclose(got, np.clip(frac, 0, 1) * 100)


def test_base_year_fit_once_apply_later():
    data = toy_data(panel=True, with_nan=False)
    step = BaseYear(year=2013).fit(data)
    out = step.transform(data)
    base = data.values.xs(2013, level=1)
    assert np.allclose(out.xs(2013, level=1), 100.0)
    u = "U3"
    for code in FRAMEWORK.indicators:
        v = data.values.loc[(u, 2015), code]
        b = base.loc[u, code]
        exp = v / b * 100 if FRAMEWORK[code].direction == 1 else b / v * 100
        assert out.loc[(u, 2015), code] == pytest.approx(exp, rel=1e-12)


def test_base_year_missing_year_and_bad_values():
    data = toy_data(panel=True, with_nan=False)
    with pytest.raises(DataError, match="2010"):
        BaseYear(year=2010).fit(data)
    vals = data.values.copy()
    vals.loc[("U2", 2013), "b"] = 0.0
    with pytest.raises(DataError, match=r"'b'.*'U2'"):
        BaseYear(year=2013).fit(data.with_values(vals))


def test_pooled_uses_all_periods_and_per_period_does_not():
    data = toy_data(panel=True, with_nan=False)
    pooled = MinMax(pooled=True).fit_transform(data)
    per = MinMax().fit_transform(data)
    a = data.values["a"]
    assert pooled["a"].min() == 0 and pooled["a"].max() == 100
    np.testing.assert_allclose(pooled["a"], (a - a.min()) / (a.max() - a.min()) * 100)
    for t in (2013, 2014, 2015):
        assert per["a"].xs(t, level=1).min() == 0 and per["a"].xs(t, level=1).max() == 100


def test_zscore_one_unit_names_the_column():
    with pytest.raises(DataError, match="'x'"):
        ZScore().fit(one([1.0]))


def test_minmax_constant_column_names_the_column():
    with pytest.raises(DataError, match="'x'"):
        MinMax().fit(one([2.0, 2.0, 2.0]))


def test_bad_params():
    with pytest.raises(SpecError, match="lower must be < upper"):
        MinMax(lower=100, upper=0).fit(one([1.0, 2.0]))
    with pytest.raises(SpecError, match=r"ZScore.sd must be a number > 0, got 0"):
        ZScore(sd=0).fit(one([1.0, 2.0]))


def test_transform_new_period_requires_pooled():
    data = toy_data(panel=True, with_nan=False)
    first = data.with_values(data.values[data.period_labels() != 2015])
    step = MinMax().fit(first)
    with pytest.raises(DataError, match="2015"):
        step.transform(data)
    MinMax(pooled=True).fit(first).transform(data)  # pooled parameters apply to any period
