# ruff: noqa: N803, N806  matrices keep their mathematical capitals
"""Issue 17: FracMax's direction and zero maximum, COINr's screening rules, denominators.

Expected values are written directly from COINr's R code (``n_fracmax``, ``Screen.data.frame``,
``get_data_avail.data.frame``, ``Denominate.data.frame``) in numpy on the ASEM data.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from toy import FRAMEWORK, toy_frame

from nengji.index import DataError, Denominate, FracMax, Screen, SpecError, build_data
from nengji.index.errors import IndexWarning
from nengji.index.prepare import add_denominators, data_availability, register_denominator

ZERO_MAX = ["CostImpEx", "Tariff", "Poverty"]  # direction −1 with a minimum of 0 on ASEM


class TestFracMax:
    def test_direction_minus_one_is_not_inverted(self):
        """The issue's case: [1, 2, 4] lower-is-better gave [1, 2, 4]; now the best scores 1."""
        from test_normalise import one

        got = FracMax().fit_transform(one([1.0, 2.0, 4.0], direction=-1))["x"].tolist()
        assert got == [1.0, 0.5, 0.25]

    def test_zero_reference_refuses_naming_the_indicator(self, asem):
        with pytest.raises(DataError, match=r"'CostImpEx'.*minimum is 0"):
            FracMax().fit(asem)

    def test_zero_reference_inf_follows_coinr_with_a_warning(self, asem):
        with pytest.warns(IndexWarning, match=r"CostImpEx.*Tariff.*Poverty"):
            got = FracMax(zero="inf").fit_transform(asem)
        X, d = asem.matrix(), asem.direction()
        y = X * d
        with np.errstate(divide="ignore", invalid="ignore"):
            coinr = y / np.nanmax(y, axis=0)  # n_fracmax after Normalise's direction step
            ours = np.where(d == 1, X / np.nanmax(X, axis=0), np.nanmin(X, axis=0) / X)
        codes = asem.indicators
        for j, code in enumerate(codes):
            exp = coinr[:, j] if code in ZERO_MAX else ours[:, j]
            np.testing.assert_allclose(got[code].to_numpy(), exp, rtol=0, atol=1e-12)
        assert np.isposinf(got["CostImpEx"]).sum() > 0  # COINr's Inf, kept on request

    def test_negative_maximum_refused(self):
        from test_normalise import one

        with pytest.raises(DataError, match=r"positive maximum"):
            FracMax().fit(one([-4.0, -2.0, -1.0]))

    def test_unknown_zero_option(self, asem):
        with pytest.raises(SpecError, match=r"FracMax.zero"):
            FracMax(zero="nan").fit(asem)


def _coinr_avail(X):
    """get_data_avail.data.frame: Dat_Avail and Non_Zero, in R's words."""
    nabyrow = np.isnan(X).sum(axis=1)
    zerobyrow = np.nansum(X == 0, axis=1)
    return 1 - nabyrow / X.shape[1], 1 - zerobyrow / (X.shape[1] - nabyrow)


class TestScreen:
    def test_default_is_coinr_two_thirds_and_removes_nothing_on_asem(self, asem):
        step = Screen().fit(asem)
        assert step.min_share == 2 / 3
        assert step.removed_ == []
        assert len(step.transform(asem)) == 51

    @pytest.mark.parametrize(
        ("by", "share", "nonzero"),
        [("na", 0.9, 0.05), ("zeros", 2 / 3, 0.94), ("na_and_zeros", 0.95, 0.9)],
    )
    def test_rules_match_coinr(self, asem, by, share, nonzero):
        avail, nz = _coinr_avail(asem.matrix())
        low_data, low_nz = avail < share, nz < nonzero
        drop = {"na": low_data, "zeros": low_nz, "na_and_zeros": low_data | low_nz}[by]
        step = Screen(by=by, min_share=share, min_nonzero=nonzero).fit(asem)
        assert step.removed_ == list(asem.values.index[drop])
        assert 0 < len(step.removed_) < 51  # the thresholds bite: the test can fail
        np.testing.assert_allclose(step.report_["availability"], avail, atol=1e-15)
        np.testing.assert_allclose(step.report_["nonzero_share"], nz, atol=1e-15)

    def test_force_include_and_exclude(self, asem):
        base = Screen(by="na", min_share=0.9).fit(asem).removed_
        keep, drop = base[0], "DEU"
        step = Screen(by="na", min_share=0.9, include=[keep], exclude=[drop]).fit(asem)
        assert keep not in step.removed_ and drop in step.removed_
        out = step.transform(asem)
        assert keep in out.index and drop not in out.index

    def test_force_unknown_unit_and_bad_rule(self, asem):
        with pytest.raises(DataError, match=r"Screen.include: unit 'XXX'"):
            Screen(include=["XXX"]).fit(asem)
        with pytest.raises(SpecError, match=r"Screen.by must be one of"):
            Screen(by="nans").fit(asem)
        with pytest.raises(SpecError, match=r"both included and excluded"):
            Screen(include=["DEU"], exclude=["DEU"]).fit(asem)

    def test_panel_screens_each_year(self, asem_panel):
        step = Screen(by="na", min_share=0.9).fit(asem_panel)
        avail, _ = _coinr_avail(asem_panel.matrix())
        assert step.removed_ == list(asem_panel.values.index[avail < 0.9])
        assert {t for _, t in step.removed_} > {2018}  # rows of several years

    def test_data_availability_kernel(self):
        X = np.array([[0.0, 1.0, np.nan], [np.nan, np.nan, np.nan], [0.0, 0.0, 2.0]])
        got = data_availability(X)
        assert got["n_missing"].tolist() == [1, 3, 0]
        assert got["n_zero"].tolist() == [1, 0, 2]
        np.testing.assert_allclose(got["availability"], [2 / 3, 0, 1])
        np.testing.assert_allclose(got["nonzero_share"], [0.5, 0, 1 / 3])


class TestDenominate:
    def test_scale_factor_divides_the_denominator(self, asem):
        """COINr: dcol <- denoms[[Denominator]] / ScaleFactor; x / dcol."""
        plain = Denominate().fit_transform(asem)
        scaled = Denominate(scale={"Goods": 1000.0}).fit_transform(asem)
        den = asem.framework["Goods"].denominator
        exp = asem.values["Goods"] / (asem.denominators[den] / 1000.0)
        np.testing.assert_allclose(scaled["Goods"], exp, rtol=1e-15)
        other = [c for c in asem.indicators if c != "Goods"]
        pd.testing.assert_frame_equal(scaled[other], plain[other])

    def test_registered_function(self, asem):
        register_denominator("per_log", lambda x, d: x / np.log(d))
        got = Denominate(function="per_log", denominators={"Goods": "GDP"}).fit_transform(asem)
        np.testing.assert_allclose(
            got["Goods"], asem.values["Goods"] / np.log(asem.denominators["GDP"]), rtol=1e-15
        )
        with pytest.raises(SpecError, match=r"unknown denominator function 'nope'"):
            Denominate(function="nope").fit(asem)

    def test_bad_scale(self, asem):
        with pytest.raises(SpecError, match=r"scale of 'Goods'"):
            Denominate(scale={"Goods": 0}).fit(asem)
        with pytest.raises(SpecError, match=r"scale of 'Goods'"):
            Denominate(scale={"Goods": True}).fit(asem)
        with pytest.raises(SpecError, match=r"scale given for 'LPI'"):
            Denominate(scale={"LPI": 10}).fit(asem)

    def test_reading_a_denominator_table(self, tmp_path):
        frame = toy_frame(panel=False, with_nan=False)
        data = build_data(frame.drop(columns="pop"), FRAMEWORK)
        table = tmp_path / "denoms.csv"
        frame[["code", "pop"]].rename(columns={"code": "code"}).to_csv(table, index=False)
        data = add_denominators(data, table)
        got = Denominate().fit_transform(data)
        np.testing.assert_allclose(got["b"], frame["b"] / frame["pop"])

    def test_denominator_table_errors(self, tmp_path):
        frame = toy_frame(panel=False, with_nan=False)
        data = build_data(frame.drop(columns="pop"), FRAMEWORK)
        short = frame[["code", "pop"]].iloc[1:]
        with pytest.raises(DataError, match=r"no row for code='U1'"):
            add_denominators(data, short)
        bad = frame[["code", "pop"]].astype({"pop": object})
        bad.loc[2, "pop"] = "n/a"
        with pytest.raises(DataError, match=r"non-numeric value 'n/a' in denominator column"):
            add_denominators(data, bad)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(DataError, match=r"no 'code' column"):
                add_denominators(data, frame[["pop"]])
