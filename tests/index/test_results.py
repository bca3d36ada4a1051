"""Results: stages, drill-down, year-on-year change, CAGR and the exact decomposition."""

from __future__ import annotations

import numpy as np
import pytest
from toy import FRAMEWORK, toy_data

from nengji.index import (
    Aggregate,
    BaseYear,
    DataError,
    GroupMeanImputer,
    MinMax,
    Pipeline,
    cagr,
)
from nengji.index.coinr import example_coin_pipeline, example_purse_pipeline
from nengji.index.decompose import decompose


def test_cagr_published_fact():
    assert round(cagr(100, 261.4, 2019 - 2013) * 100, 1) == 17.4
    with pytest.raises(ValueError, match="years"):
        cagr(100, 120, 0)


def test_every_stage_kept_and_spec_stored(asem):
    res = example_coin_pipeline().run(asem)
    assert list(res.stages) == [
        "raw",
        "denominated",
        "imputed",
        "screened",
        "treated",
        "normalised",
        "aggregated",
    ]
    assert res.spec == example_coin_pipeline().to_spec()
    assert res.stages["imputed"].isna().sum().sum() == 0
    assert "treat" in res.reports


def test_drill_down_from_index_to_raw(asem):
    res = example_coin_pipeline().run(asem)
    top = res.drill("DEU")
    assert list(top.index) == ["Conn", "Sust"]
    assert top["weight"].sum() == pytest.approx(1.0)
    assert (top["weight"] * top["aggregated"]).sum() == pytest.approx(
        res.scores.loc["DEU", "Index"]
    )
    leaf = res.drill("DEU", "Physical")
    assert leaf.loc["Flights", "raw"] == asem.values.loc["DEU", "Flights"]
    assert leaf.loc["Flights", "denominated"] == pytest.approx(
        asem.values.loc["DEU", "Flights"] / asem.denominators.loc["DEU", "Population"]
    )
    assert (leaf["weight"] * leaf["normalised"]).sum() == pytest.approx(
        res.scores.loc["DEU", "Physical"]
    )


def test_decomposition_adds_up_arithmetic_with_gaps(asem_panel):
    res = example_purse_pipeline().run(asem_panel)
    dec = decompose(res)
    assert dec.check() < 1e-9
    children = res.framework.children("Index")
    gap = (dec.aggregates[children].sum(axis=1) - dec.total["change"]).abs().max()
    assert gap < 1e-9
    assert not dec.total["change"].isna().any()


def test_decomposition_geometric_and_long_span(asem_panel):
    pipe = example_purse_pipeline().set_params(aggregate__method="geometric", normalise__lower=1)
    res = pipe.run(asem_panel)
    dec = decompose(res, start=2018, end=2022)
    assert dec.method == "geometric" and dec.check() < 1e-9


def test_decomposition_is_weight_times_change_without_gaps():
    data = toy_data(panel=True, with_nan=False)
    res = Pipeline([("normalise", BaseYear(year=2013)), ("aggregate", Aggregate())]).run(data)
    dec = decompose(res)
    eff = FRAMEWORK.effective_weights()
    z = res.stages["normalised"]
    for code in FRAMEWORK.indicators:
        exp = eff[code] * (z.loc[("U1", 2014), code] - z.loc[("U1", 2013), code])
        assert dec.indicators.loc[("U1", 2014), code] == pytest.approx(exp, abs=1e-12)
    assert np.allclose(res.scores.xs(2013, level=1)["Index"], 100.0)


def test_decomposition_refuses_harmonic():
    data = toy_data(panel=True, with_nan=False)
    res = Pipeline(
        [("normalise", BaseYear(year=2013)), ("aggregate", Aggregate(method="harmonic"))]
    ).run(data)
    with pytest.raises(DataError, match="arithmetic or geometric"):
        decompose(res)


def test_change_table():
    data = toy_data(panel=True)
    pipe = Pipeline(
        [
            ("impute", GroupMeanImputer(group="region")),
            ("normalise", MinMax(pooled=True)),
            ("aggregate", Aggregate()),
        ]
    )
    res = pipe.run(data)
    ch = res.change()
    row = ch[(ch["code"] == "U2") & (ch["year"] == 2015)].iloc[0]
    s = res.scores["Index"]
    assert row["change"] == pytest.approx(s.loc[("U2", 2015)] - s.loc[("U2", 2014)])
