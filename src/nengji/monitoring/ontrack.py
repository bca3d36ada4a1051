"""On-track assessment of an indicator (the Eurostat / open-sdg method). Pure Python, no Django.

The method depends on what the indicator measures (`Method`): levels and counts by compound
growth (below), rates, shares and ratios by their change a year (the same formulas with
differences instead of growth rates), one-off events and counts of years not by a trend at all
(only "target met" counts).

With a target:
    CAGR_a = (y_t / y_0) ** (1 / (t - t_0)) - 1          actual growth so far
    CAGR_r = (y_T / y_0) ** (1 / (T - t_0)) - 1          growth needed to reach the target
    R = CAGR_a / CAGR_r
    target already met (direction-adjusted)  -> achieved
    R >= 1.2 ahead; R >= 0.95 on track; 0.60 <= R < 0.95 moderate; 0 <= R < 0.60 limited;
    R < 0 moving away
Without a target, the direction-adjusted actual growth d * CAGR_a is compared with fixed rates:
    >= 1.5 % on track; 0.5–1.5 % moderate; 0–0.5 % limited; below 0 moving away.

``direction`` is +1 when more is better and -1 when less is better. With a target the ratio needs
no adjustment (both rates carry the sign of the wanted change); a target that lies on the wrong
side of the baseline is treated as "hold the line": meeting it is achieved, missing it is moving
away. Growth rates need positive values; otherwise the status is "insufficient data", with the
reason in words. Thresholds are parameters: the plan office changes them as data.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Band(enum.StrEnum):
    """The assessment of one indicator. Its labels (提前实现, 符合预期 …) are defined once, in
    `nengji.monitoring.rating`; this module stays free of Django."""

    ACHIEVED = "achieved"
    AHEAD = "ahead"
    ON_TRACK = "on_track"
    MODERATE = "moderate"
    LIMITED = "limited"
    AWAY = "away"
    UNKNOWN = "unknown"
    NOT_ASSESSED = "not_assessed"


class Method(enum.StrEnum):
    """How progress is judged, by what the indicator measures (the plan package says which)."""

    CAGR = "cagr"  # levels and counts: compound annual growth
    LINEAR = "linear"  # rates, shares, ratios: change per year (percentage points for %)
    NONE = "none"  # one-off events, counts of years: met or not, no trend


@dataclass(frozen=True)
class Thresholds:
    on_track_ratio: float = 0.95
    moderate_ratio: float = 0.60
    no_target_on_track: float = 0.015
    no_target_moderate: float = 0.005
    ahead_ratio: float = 1.2

    def __post_init__(self) -> None:
        if not 0 < self.moderate_ratio < self.on_track_ratio:
            raise ValueError("thresholds need 0 < moderate_ratio < on_track_ratio")
        if not 0 < self.no_target_moderate < self.no_target_on_track:
            raise ValueError("thresholds need 0 < no_target_moderate < no_target_on_track")
        if not self.ahead_ratio > self.on_track_ratio:
            raise ValueError("thresholds need ahead_ratio > on_track_ratio")


@dataclass(frozen=True)
class Assessment:
    """The band and every number it was decided on (so a reader can check the arithmetic).

    ``actual_growth`` / ``required_growth`` are rates a year for `Method.CAGR` and changes a year
    (in the indicator's unit) for `Method.LINEAR`; ``projected`` is the value the target year
    would see at the actual pace.
    """

    band: Band
    has_target: bool
    method: Method = Method.CAGR
    actual_growth: float | None = None
    required_growth: float | None = None
    ratio: float | None = None
    projected: float | None = None
    explanation_zh: str = ""
    explanation_en: str = ""

    @property
    def judged(self) -> bool:
        return self.band not in (Band.UNKNOWN, Band.NOT_ASSESSED)


def cagr(*, start: float, end: float, years: float) -> float:
    """Compound annual growth rate from ``start`` to ``end`` over ``years`` (> 0; values > 0)."""
    if years <= 0:
        raise ValueError("years must be positive")
    if start <= 0 or end <= 0:
        raise ValueError("growth rates need positive values")
    return float((end / start) ** (1.0 / years) - 1.0)


def _pct(x: float) -> str:
    return f"{x * 100:.2f}%"


def _num(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1e4 else f"{x:,.0f}"


def _unknown(zh: str, en: str, *, has_target: bool, method: Method) -> Assessment:
    return Assessment(Band.UNKNOWN, has_target, method, explanation_zh=zh, explanation_en=en)


def _band_by_ratio(ratio: float, th: Thresholds) -> Band:
    if ratio >= th.ahead_ratio:
        return Band.AHEAD
    if ratio >= th.on_track_ratio:
        return Band.ON_TRACK
    if ratio >= th.moderate_ratio:
        return Band.MODERATE
    if ratio >= 0:
        return Band.LIMITED
    return Band.AWAY


def _band_by_rate(rate: float, th: Thresholds) -> Band:
    if rate >= th.no_target_on_track:
        return Band.ON_TRACK
    if rate >= th.no_target_moderate:
        return Band.MODERATE
    if rate >= 0:
        return Band.LIMITED
    return Band.AWAY


def assess(
    *,
    base_year: int,
    base_value: float,
    year: int,
    value: float,
    direction: int = 1,
    target_year: int | None = None,
    target_value: float | None = None,
    thresholds: Thresholds | None = None,
    method: Method | str = Method.CAGR,
) -> Assessment:
    """Assess the latest value against the baseline and, when there is one, the target."""
    th = thresholds or Thresholds()
    method = Method(method)
    if direction not in (1, -1):
        raise ValueError("direction must be +1 or -1")
    d = direction
    has_target = target_year is not None and target_value is not None
    if target_value is not None and has_target and d * value >= d * target_value:
        return Assessment(
            Band.ACHIEVED,
            True,
            method,
            explanation_zh=f"{year}年为{_num(value)}，已达到{target_year}年目标{_num(target_value)}。",
            explanation_en=f"The {year} value {_num(value)} already meets the {target_year} "
            f"target {_num(target_value)}.",
        )
    if method == Method.NONE:
        return Assessment(
            Band.NOT_ASSESSED,
            has_target,
            method,
            explanation_zh="该指标为一次性事件或连续年数，不按变化趋势评价"
            + ("，尚未达到目标。" if has_target else "。"),
            explanation_en="A one-off event or a count of years: not judged by a trend"
            + (", and the target is not met yet." if has_target else "."),
        )
    if year <= base_year:
        return _unknown(
            f"尚无基期（{base_year}年）之后的数据。",
            f"No value after the base year {base_year} yet.",
            has_target=has_target,
            method=method,
        )
    if method == Method.LINEAR:
        return _assess_linear(
            base_year, base_value, year, value, d, target_year, target_value, th, has_target
        )
    return _assess_cagr(
        base_year, base_value, year, value, d, target_year, target_value, th, has_target
    )


def _assess_linear(
    base_year: int,
    base_value: float,
    year: int,
    value: float,
    d: int,
    target_year: int | None,
    target_value: float | None,
    th: Thresholds,
    has_target: bool,
) -> Assessment:
    """Rates, shares and ratios: compare the change a year with the change a year required."""
    actual = (value - base_value) / (year - base_year)
    if not has_target:
        if base_value == 0:
            return _unknown(
                "基期值为零，无法按相对变化评价。",
                "The base value is zero, so no relative change can be judged.",
                has_target=False,
                method=Method.LINEAR,
            )
        relative = d * actual / abs(base_value)
        return Assessment(
            _band_by_rate(relative, th),
            False,
            Method.LINEAR,
            actual_growth=actual,
            explanation_zh=f"未设目标：{base_year}—{year}年平均每年变化{_num(actual)}"
            f"（相对基期{_pct(relative * d)}）。",
            explanation_en=f"No target: the value changed by {_num(actual)} a year "
            f"{base_year}–{year} ({_pct(relative * d)} of the base value).",
        )
    assert target_year is not None and target_value is not None
    if target_year <= base_year:
        return _unknown(
            "目标年份不晚于基期，无法计算所需变化。",
            "The target year is not after the base year.",
            has_target=True,
            method=Method.LINEAR,
        )
    required = (target_value - base_value) / (target_year - base_year)
    projected = value + actual * (target_year - year)
    return _against_target(
        Method.LINEAR,
        actual,
        required,
        projected,
        d,
        value,
        target_value,
        th,
        zh=f"按目前每年变化{_num(actual)}，{target_year}年预计达到{_num(projected)}"
        f"（目标{_num(target_value)}，需每年变化{_num(required)}）。",
        en=f"At the present change of {_num(actual)} a year, {target_year} would "
        f"reach {_num(projected)} (target {_num(target_value)}, needing {_num(required)} a year).",
    )


def _assess_cagr(
    base_year: int,
    base_value: float,
    year: int,
    value: float,
    d: int,
    target_year: int | None,
    target_value: float | None,
    th: Thresholds,
    has_target: bool,
) -> Assessment:
    """Levels and counts: compare compound annual growth with the growth required."""
    if base_value <= 0 or value <= 0:
        return _unknown(
            "基期值或当期值不为正数，无法计算年均增长率。",
            "The base or current value is not positive, so no growth rate can be computed.",
            has_target=has_target,
            method=Method.CAGR,
        )
    actual = cagr(start=base_value, end=value, years=year - base_year)
    if not has_target:
        return Assessment(
            _band_by_rate(d * actual, th),
            False,
            Method.CAGR,
            actual_growth=actual,
            explanation_zh=f"未设目标：{base_year}—{year}年年均增长{_pct(actual)}"
            + ("（越小越好）。" if d == -1 else "。"),
            explanation_en=f"No target: average annual growth {base_year}–{year} is "
            f"{_pct(actual)}" + (" (lower is better)." if d == -1 else "."),
        )
    assert target_year is not None and target_value is not None
    if target_year <= base_year or target_value <= 0:
        return _unknown(
            "目标年份不晚于基期或目标值不为正数，无法计算所需增长率。",
            "The target year is not after the base year or the target is not positive.",
            has_target=True,
            method=Method.CAGR,
        )
    required = cagr(start=base_value, end=target_value, years=target_year - base_year)
    projected = value * (1 + actual) ** (target_year - year)
    return _against_target(
        Method.CAGR,
        actual,
        required,
        projected,
        d,
        value,
        target_value,
        th,
        zh=f"按{base_year}—{year}年年均增长{_pct(actual)}，{target_year}年预计达到"
        f"{_num(projected)}（目标{_num(target_value)}，需年均增长{_pct(required)}）。",
        en=f"At the average growth of {_pct(actual)} a year since {base_year}, "
        f"{target_year} would reach {_num(projected)} (target {_num(target_value)}, needing "
        f"{_pct(required)} a year).",
    )


def _against_target(
    method: Method,
    actual: float,
    required: float,
    projected: float,
    d: int,
    value: float,
    target_value: float,
    th: Thresholds,
    *,
    zh: str,
    en: str,
) -> Assessment:
    """The band of a pace (`actual`) against the pace the target needs (`required`), both in the
    method's terms; a target that asks for no progress and is not met is moving away."""
    if d * required <= 0:
        return Assessment(
            Band.AWAY,
            True,
            method,
            actual_growth=actual,
            required_growth=required,
            projected=projected,
            explanation_zh=f"目标{_num(target_value)}不高于基期水平，当前值{_num(value)}未达标。",
            explanation_en=f"The target {_num(target_value)} asks for no progress from the "
            f"baseline, and the current value {_num(value)} misses it.",
        )
    ratio = actual / required
    return Assessment(
        _band_by_ratio(ratio, th),
        True,
        method,
        actual_growth=actual,
        required_growth=required,
        ratio=ratio,
        projected=projected,
        explanation_zh=zh,
        explanation_en=en,
    )
