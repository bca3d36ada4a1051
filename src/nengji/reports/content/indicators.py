"""The indicator part: the table of baseline, latest value, target, completion and evaluation;
the evaluation counts and chart; the binding (约束性) indicators."""

from __future__ import annotations

from nengji.monitoring.rating import RATING_ORDER
from nengji.reports import charts
from nengji.reports.content.common import fmt, status_label
from nengji.reports.document import Block, Column, Figure, Paragraph, Table
from nengji.reports.evidence import Evidence, IndicatorFacts

# --- indicators -------------------------------------------------------------------------------
INDICATOR_COLUMNS = [
    Column("序号", kind="number", width=0.5),
    Column("指标", width=2.5),
    Column("单位", width=1.1),
    Column("基期年份", kind="number", width=0.85),
    Column("基期值", kind="number", width=1.35),
    Column("监测年份", kind="number", width=0.85),
    Column("监测值", kind="number", width=1.35),
    Column("目标值", kind="number", width=1.35),
    Column("完成度", unit="%", kind="number", decimals=1, width=0.95),
    Column("评价", kind="status", width=1.4),
]
INDICATOR_VALUE_COLUMNS = {"baseline": 4, "latest": 6, "target": 7}


def indicator_row(n: int, f: IndicatorFacts) -> list[object]:
    ind = f.indicator
    return [
        n,
        ind.name_zh + ("（约束性）" if f.is_binding else ""),
        ind.unit_zh,
        ind.baseline_year,
        ind.baseline_value,
        f.latest.year if f.latest else None,
        f.latest.value if f.latest else None,
        f.target.value if f.target else None,
        f.completion,
        status_label(f.band),
    ]


def indicator_table(ev: Evidence, *, key: str = "指标监测", title: str = "") -> Table:
    targets = sorted({f.target.year for f in ev.indicators if f.target})
    target_note = (
        f"目标值为{'、'.join(str(y) for y in targets)}年目标（规划原文所定，或区科委设定）。"
        if targets
        else ""
    )
    return Table(
        key=key,
        title=title or f"规划指标监测情况（截至{ev.year}年）",
        columns=INDICATOR_COLUMNS,
        rows=[indicator_row(n, f) for n, f in enumerate(ev.indicators, start=1)],
        font_pt=9,
        source="基期值摘自《规划》原文；监测值为截至当年最新审核通过的数据（最新版本）。",
        notes=[
            "“—”表示数据缺失，不是 0。完成度 =（监测值 − 基期值）÷（目标值 − 基期值）。",
            "评价按实际变化与实现目标所需变化之比确定：总量和数量类指标比较年均增速，"
            "比率和比重类指标比较每年变化；一次性事件和连续年数类指标不作趋势评价。" + target_note,
        ],
    )


def evaluation_paragraph(ev: Evidence) -> Paragraph:
    counts = ev.evaluation_counts()
    total = len(ev.indicators)
    with_value = sum(1 for f in ev.indicators if f.latest is not None)
    if total == 0:
        return Paragraph("规划尚未录入监测指标。")
    if with_value == 0:
        return Paragraph(
            f"《规划》共列出{total}项指标。截至{ev.year}年，尚无审核通过的监测数据，"
            "无法评价指标完成情况（缺失数据见“数据说明”）。"
        )
    parts = [f"{status_label(b)}{counts[b]}项" for b in RATING_ORDER if counts[b]]
    return Paragraph(
        f"《规划》共列出{total}项指标，截至{ev.year}年有{with_value}项取得审核通过的监测数据。"
        f"按规划目标评价：{'、'.join(parts)}。"
    )


def evaluation_chart(ev: Evidence) -> Figure | None:
    counts = {str(b): n for b, n in ev.evaluation_counts().items() if n}
    if not any(n for b, n in counts.items() if b != "unknown"):
        return None
    labels = {b: status_label(b) for b in counts}
    png = charts.status_chart(counts=counts, labels=labels)
    return Figure(
        "指标评价",
        "规划指标评价结果分布",
        png,
        alt="；".join(f"{labels[k]}{v}项" for k, v in counts.items()),
        height_ratio=55 / 156,
    )


def binding_paragraphs(ev: Evidence) -> list[Block]:
    binding = [f for f in ev.indicators if f.is_binding]
    if not binding:
        return [Paragraph("区科委尚未将任何指标设定为约束性指标。")]
    lines = []
    for f in binding:
        value = (
            f"{fmt(f.latest.value)}{f.indicator.unit_zh}（{f.latest.year}年）"
            if f.latest
            else "尚无监测数据"
        )
        lines.append(
            f"{f.indicator.name_zh}：{value}，目标{fmt(f.target.value if f.target else None)}"
            f"{f.indicator.unit_zh}（{f.target.year if f.target else '—'}年），"
            f"评价为{status_label(f.band)}"
        )
    counts = ev.evaluation_counts(binding_only=True)
    parts = [f"{status_label(b)}{counts[b]}项" for b in RATING_ORDER if counts[b]]
    return [
        Paragraph(f"约束性指标共{len(binding)}项，{'、'.join(parts)}。"),
        *[Paragraph(line + "。") for line in lines],
    ]


def basis(f: IndicatorFacts) -> str | None:
    """The numbers behind an evaluation (the thresholds are given once, in the note)."""
    if f.assessment is None:
        return None
    return f.assessment.explanation_zh


def thresholds_note(ev: Evidence) -> str:
    th = ev.thresholds
    return (
        "评价阈值（区科委设定）：实际变化与所需变化之比不低于"
        f"{th.on_track_ratio:g}为符合预期，不低于{th.moderate_ratio:g}为基本符合预期，"
        f"不低于{th.ahead_ratio:g}为快于预期，低于{th.moderate_ratio:g}为滞后。"
    )
