"""The on-track rule (Eurostat / open-sdg): every band, direction, the no-target rule."""

from __future__ import annotations

import pytest

from nengji.monitoring.ontrack import Band, Method, Thresholds, assess, cagr


def test_cagr():
    assert cagr(start=100, end=121, years=2) == pytest.approx(0.10)
    with pytest.raises(ValueError):
        cagr(start=0, end=1, years=1)
    with pytest.raises(ValueError):
        cagr(start=1, end=1, years=0)


class TestWithTarget:
    # baseline 100 in 2020, target 200 in 2025: required CAGR = 2^(1/5)-1 = 14.87 %
    def at(self, value, year=2023, **kw):
        return assess(
            base_year=2020,
            base_value=100,
            year=year,
            value=value,
            target_year=2025,
            target_value=200,
            **kw,
        )

    def test_on_track(self):
        a = self.at(152.1)  # CAGR 15.0 % -> R 1.01
        assert a.band == Band.ON_TRACK and a.ratio == pytest.approx(1.01, abs=0.01)
        assert "14.87%" in a.explanation_zh and "14.87%" in a.explanation_en
        # at 15.0 % a year from 152.1 in 2023, 2025 would see 152.1 × 1.15² ≈ 201
        assert a.projected == pytest.approx(152.1 * (1 + a.actual_growth) ** 2)
        assert "2025年预计达到201" in a.explanation_zh

    def test_ahead(self):
        a = self.at(175)  # CAGR 20.5 % -> R 1.38
        assert a.band == Band.AHEAD

    def test_moderate(self):
        a = self.at(130)  # CAGR 9.14 % -> R 0.61
        assert a.band == Band.MODERATE

    def test_limited(self):
        a = self.at(110)
        assert a.band == Band.LIMITED

    def test_moving_away(self):
        a = self.at(90)
        assert a.band == Band.AWAY and a.ratio < 0

    def test_achieved(self):
        a = self.at(205)
        assert a.band == Band.ACHIEVED
        assert "205" in a.explanation_zh

    def test_boundaries_belong_to_the_upper_band(self):
        th = Thresholds()
        req = 2 ** (1 / 5) - 1
        exact = 100 * (1 + 0.95 * req) ** 3
        assert self.at(exact * 1.000001, thresholds=th).band == Band.ON_TRACK
        assert self.at(exact * 0.9999).band == Band.MODERATE

    def test_lower_is_better(self):
        # energy use 100 -> target 80: required -4.36 %/yr
        def run(v):
            return assess(
                base_year=2020,
                base_value=100,
                year=2023,
                value=v,
                direction=-1,
                target_year=2025,
                target_value=80,
            )

        assert run(87).band == Band.ON_TRACK
        assert run(95).band == Band.LIMITED
        assert run(105).band == Band.AWAY
        assert run(79).band == Band.ACHIEVED

    def test_thresholds_are_parameters(self):
        strict = Thresholds(on_track_ratio=1.2, moderate_ratio=1.0, ahead_ratio=1.5)
        assert self.at(152.1, thresholds=strict).band == Band.MODERATE

    def test_target_behind_baseline_and_missed_is_moving_away(self):
        a = assess(
            base_year=2020, base_value=100, year=2022, value=90, target_year=2025, target_value=100
        )
        assert a.band == Band.AWAY

    def test_no_elapsed_time_is_unknown(self):
        assert self.at(120, year=2020).band == Band.UNKNOWN

    def test_non_positive_values_are_unknown(self):
        a = assess(
            base_year=2020, base_value=0, year=2022, value=5, target_year=2025, target_value=10
        )
        assert a.band == Band.UNKNOWN and "正数" in a.explanation_zh


class TestWithoutTarget:
    def at(self, value, direction=1):
        return assess(base_year=2020, base_value=100, year=2022, value=value, direction=direction)

    @pytest.mark.parametrize(
        ("value", "band"),
        [
            (104, Band.ON_TRACK),  # 1.98 %/yr
            (102, Band.MODERATE),  # 1.00 %/yr
            (100.5, Band.LIMITED),  # 0.25 %/yr
            (100, Band.LIMITED),  # 0 %: not moving away
            (99, Band.AWAY),
        ],
    )
    def test_bands(self, value, band):
        a = self.at(value)
        assert a.band == band and not a.has_target and a.ratio is None

    def test_direction(self):
        assert self.at(96, direction=-1).band == Band.ON_TRACK
        assert self.at(104, direction=-1).band == Band.AWAY

    def test_explanation_names_the_numbers(self):
        a = self.at(104)
        assert "1.98%" in a.explanation_zh and "未设目标" in a.explanation_zh
        assert "No target" in a.explanation_en


class TestLinear:
    """Rates and shares: the change a year against the change a year required (issue 9: no
    growth of a growth rate)."""

    def at(self, value, year=2023, **kw):
        return assess(
            method=Method.LINEAR,
            base_year=2020,
            base_value=40.0,
            year=year,
            value=value,
            target_year=2025,
            target_value=45.0,
            **kw,
        )

    def test_ratio_of_yearly_changes(self):
        # 40 % → 45 % by 2025 needs +1 point a year; 43 % in 2023 is +1 a year: on track
        a = self.at(43.0)
        assert a.method == Method.LINEAR
        assert a.actual_growth == pytest.approx(1.0)
        assert a.required_growth == pytest.approx(1.0)
        assert a.ratio == pytest.approx(1.0) and a.band == Band.ON_TRACK
        assert a.projected == pytest.approx(45.0)

    def test_bands(self):
        assert self.at(41.5).band == Band.LIMITED  # +0.5 a year: R 0.5
        assert self.at(42.0).band == Band.MODERATE  # R 0.67
        assert self.at(39.0).band == Band.AWAY
        assert self.at(45.5).band == Band.ACHIEVED

    def test_growth_rates_below_zero_are_judged_too(self):
        # a growth rate may be negative: CAGR could not judge it at all, a difference can
        a = assess(
            method=Method.LINEAR,
            base_year=2020,
            base_value=-2.0,
            year=2022,
            value=1.0,
            target_year=2025,
            target_value=3.0,
        )
        assert a.band == Band.AHEAD  # +1.5 points a year where +1.0 is needed: R 1.5

    def test_without_target_relative_to_the_base(self):
        a = assess(method=Method.LINEAR, base_year=2020, base_value=40, year=2022, value=42)
        assert a.band == Band.ON_TRACK and not a.has_target  # +1 a year = 2.5 % of 40


class TestNone:
    def test_not_judged_by_a_trend(self):
        a = assess(method="none", base_year=2020, base_value=5, year=2022, value=7)
        assert a.band == Band.NOT_ASSESSED and not a.judged

    def test_target_met_still_counts(self):
        a = assess(
            method="none",
            base_year=2020,
            base_value=5,
            year=2022,
            value=7,
            target_year=2025,
            target_value=6,
        )
        assert a.band == Band.ACHIEVED


def test_invalid_thresholds_rejected():
    with pytest.raises(ValueError):
        Thresholds(on_track_ratio=0.5, moderate_ratio=0.6)
    with pytest.raises(ValueError):
        Thresholds(ahead_ratio=0.9)


def test_invalid_direction():
    with pytest.raises(ValueError):
        assess(base_year=2020, base_value=1, year=2021, value=1, direction=0)
