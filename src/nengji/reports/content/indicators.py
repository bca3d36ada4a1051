"""The indicator part: the table of baseline, latest value, target, completion and evaluation;
the evaluation counts and chart; the binding (约束性) indicators."""

from __future__ import annotations

from nengji.reports import charts
from nengji.reports.content.common import fmt
from nengji.reports.document import Block, Column, Figure, Paragraph, Table
from nengji.reports.evidence import (
    EVALUATION_ORDER,
    Evidence,
    IndicatorFacts,
)

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
        f.target.target_value if f.target else None,
        f.completion,
        f.evaluation,
    ]


def indicator_table(ev: Evidence, *, key: str = "指标监测", title: str = "") -> Table:
    targets = sorted({f.target.target_year for f in ev.indicators if f.target})
    target_note = (
        f"目标值为{'、'.join(str(y) for y in targets)}年规划目标（区科委设定）。" if targets else ""
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
            "评价按规划目标所需年均增速与实际年均增速之比确定"
            "（提前实现 / 符合预期 / 基本符合预期 / 滞后），无目标值的按实际年均增速评价。"
            + target_note,
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
    parts = [f"{name}{counts[name]}项" for name in EVALUATION_ORDER if counts[name]]
    return Paragraph(
        f"《规划》共列出{total}项指标，截至{ev.year}年有{with_value}项取得审核通过的监测数据。"
        f"按规划目标评价：{'、'.join(parts)}。"
    )


def evaluation_chart(ev: Evidence) -> Figure | None:
    counts = ev.evaluation_counts()
    if not any(counts[k] for k in EVALUATION_ORDER[:-1]):
        return None
    png = charts.status_chart(counts=counts)
    return Figure(
        "指标评价",
        "规划指标评价结果分布",
        png,
        alt="；".join(f"{k}{v}项" for k, v in counts.items()),
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
            f"{f.indicator.name_zh}：{value}，目标{fmt(f.target.target_value)}"  # type: ignore[union-attr]
            f"{f.indicator.unit_zh}（{f.target.target_year}年），评价为{f.evaluation}"  # type: ignore[union-attr]
        )
    counts = ev.evaluation_counts(binding_only=True)
    parts = [f"{name}{counts[name]}项" for name in EVALUATION_ORDER if counts[name]]
    return [
        Paragraph(f"约束性指标共{len(binding)}项，{'、'.join(parts)}。"),
        *[Paragraph(line + "。") for line in lines],
    ]


def basis(f: IndicatorFacts) -> str | None:
    """The numbers behind an evaluation, without the thresholds (given once, in the note)."""
    if f.assessment is None:
        return None
    return f.assessment.explanation_zh.split("；阈值")[0].rstrip("。") + "。"


def thresholds_note(items: list[IndicatorFacts]) -> str:
    found = {
        f.assessment.explanation_zh.split("；阈值", 1)[1].lstrip("：").rstrip("。")
        for f in items
        if f.assessment and "；阈值" in f.assessment.explanation_zh
    }
    return "评价阈值（区科委设定）：" + "；".join(sorted(found)) + "。" if found else ""
