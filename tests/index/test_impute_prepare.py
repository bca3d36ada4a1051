"""Imputation, denomination and screening, against COINr's rules (SEMANTICS §6–8)."""

from __future__ import annotations

import numpy as np
import pytest
from toy import toy_data

from nengji.index import (
    LOCF,
    DataError,
    Denominate,
    GroupMeanImputer,
    GroupMedianImputer,
    Interpolate,
    MeanImputer,
    MedianImputer,
    Screen,
)


def test_mean_and_median_per_period():
    data = toy_data(panel=True)
    for step, f in ((MeanImputer(), np.nanmean), (MedianImputer(), np.nanmedian)):
        out = step.fit_transform(data)
        col = data.values["a"].xs(2013, level=1)
        assert out.loc[("U4", 2013), "a"] == pytest.approx(f(col.to_numpy()))
        assert not out.isna().any().any()


def test_group_mean_uses_same_group_same_period():
    data = toy_data(panel=True)
    out = GroupMeanImputer(group="region").fit_transform(data)
    g = data.groups["region"]
    rows = (g == g.loc[("U4", 2013)]) & (data.period_labels() == 2013)
    assert out.loc[("U4", 2013), "a"] == pytest.approx(np.nanmean(data.values.loc[rows, "a"]))
    med = GroupMedianImputer(group="region").fit_transform(data)
    assert med.loc[("U4", 2013), "a"] == pytest.approx(np.nanmedian(data.values.loc[rows, "a"]))


def test_group_mean_on_asem_fills_all(asem):
    out = GroupMeanImputer(group="EurAsia_group").fit_transform(asem)
    assert out.isna().sum().sum() == 0
    with pytest.raises(DataError, match="'Nope'"):
        GroupMeanImputer(group="Nope").fit(asem)


def test_interpolate_and_locf():
    data = toy_data(panel=True, with_nan=False)
    vals = data.values.copy()
    vals.loc[("U1", 2014), "a"] = np.nan
    vals.loc[("U2", 2015), "a"] = np.nan
    d = data.with_values(vals)
    out = Interpolate().fit_transform(d)
    exp = (vals.loc[("U1", 2013), "a"] + vals.loc[("U1", 2015), "a"]) / 2
    assert out.loc[("U1", 2014), "a"] == pytest.approx(exp)
    assert np.isnan(out.loc[("U2", 2015), "a"])  # no extrapolation
    out = LOCF().fit_transform(d)
    assert out.loc[("U2", 2015), "a"] == vals.loc[("U2", 2014), "a"]
    with pytest.raises(DataError, match="panel"):
        LOCF().fit(toy_data(panel=False))


def test_denominate_by_framework_and_missing_denominator():
    data = toy_data(panel=False, with_nan=False)
    out = Denominate().fit_transform(data)
    assert out["b"].to_numpy() == pytest.approx(
        (data.values["b"] / data.denominators["pop"]).to_numpy()
    )
    assert (out["a"] == data.values["a"]).all()
    dens = data.denominators.copy()
    dens.iloc[0, 0] = np.nan
    from dataclasses import replace

    out = Denominate().fit_transform(replace(data, denominators=dens))
    assert np.isnan(out["b"].iloc[0])


def test_denominate_asem(asem):
    out = Denominate().fit_transform(asem)
    assert out.loc["AUT", "Flights"] == pytest.approx(
        asem.values.loc["AUT", "Flights"] / asem.denominators.loc["AUT", "Population"]
    )


def test_screen_by_share():
    data = toy_data(panel=False, with_nan=False)
    vals = data.values.copy()
    vals.loc["U1", ["a", "b"]] = np.nan  # 3 of 5 available = 0.6
    d = data.with_values(vals)
    assert "U1" in Screen(min_share=0.6).fit_transform(d).index
    step = Screen(min_share=0.61).fit(d)
    assert "U1" not in step.transform(d).index
    assert step.removed_ == ["U1"]


def test_zero_denominator_names_unit():
    from dataclasses import replace

    data = toy_data(panel=False, with_nan=False)
    dens = data.denominators.copy()
    dens.loc["U3", "pop"] = 0.0
    with pytest.raises(DataError, match=r"'pop'.*'b'.*code='U3'"):
        Denominate().fit_transform(replace(data, denominators=dens))


def test_units_without_group_left_unchanged():
    from dataclasses import replace

    data = toy_data(panel=False)
    groups = data.groups.copy().astype(object)
    groups.loc["U4", "region"] = np.nan  # U4 has the gap in 'a'
    out = GroupMeanImputer(group="region").fit_transform(replace(data, groups=groups))
    assert np.isnan(out.loc["U4", "a"])


def test_locf_max_time():
    data = toy_data(panel=True, with_nan=False)
    vals = data.values.copy()
    vals.loc[("U1", 2014), "a"] = np.nan
    vals.loc[("U1", 2015), "a"] = np.nan
    out = LOCF(max_time=1).fit_transform(data.with_values(vals))
    assert out.loc[("U1", 2014), "a"] == vals.loc[("U1", 2013), "a"]
    assert np.isnan(out.loc[("U1", 2015), "a"])
