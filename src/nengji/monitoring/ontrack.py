"""On-track assessment of an indicator (the Eurostat / open-sdg method). Pure Python, no Django.

With a target:
    CAGR_a = (y_t / y_0) ** (1 / (t - t_0)) - 1          actual growth so far
    CAGR_r = (y_T / y_0) ** (1 / (T - t_0)) - 1          growth needed to reach the target
    R = CAGR_a / CAGR_r
    target already met (direction-adjusted)  -> achieved
    R >= 0.95 on track; 0.60 <= R < 0.95 moderate; 0 <= R < 0.60 limited; R < 0 moving away
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
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    MODERATE = "moderate"
    LIMITED = "limited"
    AWAY = "away"
    UNKNOWN = "unknown"


# Eurostat band -> the Chinese evaluation vocabulary (提前实现 / 符合预期 / 基本符合预期 / 滞后).
EVALUATION_ZH = {
    Band.ACHIEVED: "提前实现",
    Band.ON_TRACK: "符合预期",
    Band.MODERATE: "基本符合预期",
    Band.LIMITED: "滞后",
    Band.AWAY: "滞后",
    Band.UNKNOWN: "数据不足",
}
BAND_ZH = {
    Band.ACHIEVED: "目标已实现",
    Band.ON_TRACK: "进展良好",
    Band.MODERATE: "进展一般",
    Band.LIMITED: "进展有限",
    Band.AWAY: "偏离目标",
    Band.UNKNOWN: "数据不足",
}
BAND_EN = {
    Band.ACHIEVED: "target achieved",
    Band.ON_TRACK: "on track",
    Band.MODERATE: "moderate progress",
    Band.LIMITED: "limited progress",
    Band.AWAY: "moving away",
    Band.UNKNOWN: "insufficient data",
}


@dataclass(frozen=True)
class Thresholds:
    on_track_ratio: float = 0.95
    moderate_ratio: float = 0.60
    no_target_on_track: float = 0.015
    no_target_moderate: float = 0.005

    def __post_init__(self) -> None:
        if not 0 < self.moderate_ratio < self.on_track_ratio:
            raise ValueError("thresholds need 0 < moderate_ratio < on_track_ratio")
        if not 0 < self.no_target_moderate < self.no_target_on_track:
            raise ValueError("thresholds need 0 < no_target_moderate < no_target_on_track")


@dataclass(frozen=True)
class Assessment:
    band: Band
    has_target: bool
    actual_growth: float | None = None
    required_growth: float | None = None
    ratio: float | None = None
    explanation_zh: str = ""
    explanation_en: str = ""

    @property
    def evaluation_zh(self) -> str:
        return EVALUATION_ZH[self.band]

    @property
    def label_zh(self) -> str:
        return BAND_ZH[self.band]

    @property
    def label_en(self) -> str:
        return BAND_EN[self.band]


def cagr(*, start: float, end: float, years: float) -> float:
    """Compound annual growth rate from ``start`` to ``end`` over ``years`` (> 0; values > 0)."""
    if years <= 0:
        raise ValueError("years must be positive")
    if start <= 0 or end <= 0:
        raise ValueError("growth rates need positive values")
    return float((end / start) ** (1.0 / years) - 1.0)


def _pct(x: float) -> str:
    return f"{x * 100:.2f}%"


def _unknown(zh: str, en: str, *, has_target: bool) -> Assessment:
    return Assessment(Band.UNKNOWN, has_target, explanation_zh=zh, explanation_en=en)


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
) -> Assessment:
    """Assess the latest value against the baseline and, when there is one, the target."""
    th = thresholds or Thresholds()
    if direction not in (1, -1):
        raise ValueError("direction must be +1 or -1")
    d = direction
    has_target = target_year is not None and target_value is not None
    if has_target and d * value >= d * target_value:  # type: ignore[operator]
        return Assessment(
            Band.ACHIEVED,
            True,
            explanation_zh=f"{year}年值 {value:g} 已达到{target_year}年目标 {target_value:g}。",
            explanation_en=f"The {year} value {value:g} already meets the {target_year} "
            f"target {target_value:g}.",
        )
    if year <= base_year:
        return _unknown(
            f"尚无基期（{base_year}年）之后的数据。",
            f"No value after the base year {base_year} yet.",
            has_target=has_target,
        )
    if base_value <= 0 or value <= 0:
        return _unknown(
            "基期值或当期值不为正数，无法计算年均增长率。",
            "The base or current value is not positive, so no growth rate can be computed.",
            has_target=has_target,
        )
    actual = cagr(start=base_value, end=value, years=year - base_year)
    if not has_target:
        adjusted = d * actual
        if adjusted >= th.no_target_on_track:
            band = Band.ON_TRACK
        elif adjusted >= th.no_target_moderate:
            band = Band.MODERATE
        elif adjusted >= 0:
            band = Band.LIMITED
        else:
            band = Band.AWAY
        better_zh = "越大越好" if d == 1 else "越小越好"
        better_en = "higher is better" if d == 1 else "lower is better"
        return Assessment(
            band,
            False,
            actual_growth=actual,
            explanation_zh=(
                f"未设目标：{base_year}—{year}年年均增长率 {_pct(actual)}（{better_zh}），"
                f"按方向调整后为 {_pct(adjusted)}；阈值：≥{_pct(th.no_target_on_track)} 进展良好，"
                f"≥{_pct(th.no_target_moderate)} 进展一般，≥0 进展有限，<0 偏离。"
            ),
            explanation_en=(
                f"No target: average annual growth {base_year}–{year} is {_pct(actual)} "
                f"({better_en}), {_pct(adjusted)} direction-adjusted; thresholds: "
                f"≥{_pct(th.no_target_on_track)} on track, ≥{_pct(th.no_target_moderate)} "
                "moderate, ≥0 limited, <0 moving away."
            ),
        )
    assert target_year is not None and target_value is not None
    if target_year <= base_year or target_value <= 0:
        return _unknown(
            "目标年份不晚于基期或目标值不为正数，无法计算所需增长率。",
            "The target year is not after the base year or the target is not positive.",
            has_target=True,
        )
    required = cagr(start=base_value, end=target_value, years=target_year - base_year)
    if d * required <= 0:
        # The target asks for no change (or lies behind the baseline) and is not met.
        return Assessment(
            Band.AWAY,
            True,
            actual_growth=actual,
            required_growth=required,
            explanation_zh=f"目标 {target_value:g} 不高于基期水平，当前值 {value:g} 未达标。",
            explanation_en=f"The target {target_value:g} asks for no progress from the baseline, "
            f"and the current value {value:g} misses it.",
        )
    ratio = actual / required
    if ratio >= th.on_track_ratio:
        band = Band.ON_TRACK
    elif ratio >= th.moderate_ratio:
        band = Band.MODERATE
    elif ratio >= 0:
        band = Band.LIMITED
    else:
        band = Band.AWAY
    return Assessment(
        band,
        True,
        actual_growth=actual,
        required_growth=required,
        ratio=ratio,
        explanation_zh=(
            f"{base_year}—{year}年实际年均增长 {_pct(actual)}，实现{target_year}年目标 "
            f"{target_value:g} 需年均增长 {_pct(required)}，比值 R={ratio:.2f}；阈值："
            f"R≥{th.on_track_ratio:g} 进展良好，≥{th.moderate_ratio:g} 进展一般，"
            "≥0 进展有限，<0 偏离。"
        ),
        explanation_en=(
            f"Actual average annual growth {base_year}–{year} is {_pct(actual)}; reaching the "
            f"{target_year} target {target_value:g} needs {_pct(required)} a year; ratio "
            f"R={ratio:.2f}; thresholds: R≥{th.on_track_ratio:g} on track, "
            f"≥{th.moderate_ratio:g} moderate, ≥0 limited, <0 moving away."
        ),
    )
