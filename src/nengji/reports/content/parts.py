"""Parts both reports share: the indicator table, the index, task progress, lagging items, data
notes. Each function takes the year's `Evidence` and returns blocks; every figure printed comes
from it, and a part without data says which data are missing."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.utils import timezone

from nengji.monitoring.models import Observation
from nengji.reports import charts
from nengji.reports.document import Block, Column, Figure, Heading, Notice, Paragraph, Table
from nengji.reports.evidence import (
    EVALUATION_ORDER,
    TASK_STATUS_ORDER,
    Evidence,
    IndicatorFacts,
    ProgressFacts,
)
from nengji.reports.index_source import IndexFacts

DEMO_NOTICE = (
    "【演示数据】本报告使用的数据中含有演示数据（系统示例数据，已在平台中标记），"
    "不代表实际情况，仅供演示和测试，不得作为正式数据引用。"
)
NOT_REPORTED = "未报送"


def issuer_for(plan_issuer: str) -> str:
    """The plan office: the district S&T commission of the government that issued the plan."""
    if plan_issuer.endswith("人民政府"):
        return plan_issuer.removesuffix("人民政府") + "科学技术委员会"
    return plan_issuer


def fmt(value: object) -> str:
    from decimal import Decimal

    from nengji.reports.document import plain_number

    if value is None:
        return "—"
    if isinstance(value, Decimal | int | float):
        return plain_number(value)
    return str(value)


def notices(ev: Evidence) -> list[Block]:
    out: list[Block] = []
    if ev.has_demo_data:
        out.append(Notice(DEMO_NOTICE, "demo"))
    if not any(f.latest for f in ev.indicators) and not any(p.status for p in ev.progress):
        out.append(
            Notice(
                f"【数据缺失】{ev.year}年尚无审核通过的监测数据：" + "".join(ev.missing[:2]),
                "missing",
            )
        )
    return out


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


# --- index ------------------------------------------------------------------------------------
def index_blocks(ev: Evidence, *, with_charts: bool) -> list[Block]:
    idx = ev.index
    if idx is None:
        return [
            Paragraph(
                "本年度尚无可用的综合指数计算结果（指数引擎或指数所需的指标数据缺失），本部分暂缺。"
            )
        ]
    latest = idx.values[idx.index_name][-1]
    text = f"{idx.year}年{idx.index_name}为{latest:.1f}（2013年=100）"
    if idx.change is not None and idx.previous is not None:
        word = "提高" if idx.change >= 0 else "下降"
        text += f"，比{idx.previous}年{word}{abs(idx.change):.1f}"
        if idx.contributions:
            parts = [f"{name}{value:+.2f}" for name, value in idx.contributions.items()]
            text += f"。变化按维度分解（合计等于总变化）：{'，'.join(parts)}"
    if idx.year != ev.year:
        text += f"。{ev.year}年指数尚无数据，以上为最新年份{idx.year}年的结果"
    growth = index_growth(idx, plan_base=ev.plan.period_start - 1)
    if growth:
        text += "。" + "，".join(growth)
    blocks: list[Block] = [Paragraph(text + "。")]
    if with_charts:
        blocks.append(
            Figure(
                "综合指数",
                f"{idx.index_name}及分维度指数（2013年=100）",
                charts.index_chart(years=idx.years, series=idx.values, base_label="2013年=100"),
                alt=text,
                source=idx.source + ("（演示数据）" if idx.is_demo else ""),
                height_ratio=86 / 156,
            )
        )
    blocks.append(
        Table(
            key="综合指数",
            title=f"{idx.index_name}及分维度指数",
            columns=[
                Column("年份", kind="number", width=0.8),
                *[Column(name, kind="number", decimals=1, width=1.0) for name in idx.names],
            ],
            rows=[
                [year, *[idx.values[n][i] for n in idx.names]] for i, year in enumerate(idx.years)
            ],
            source=idx.source + ("（演示数据）" if idx.is_demo else ""),
            notes=published_index_notes(ev),
        )
    )
    if idx.contributions and idx.change is not None:
        if with_charts:
            blocks.append(
                Figure(
                    "指数变化分解",
                    f"{idx.year}年{idx.index_name}变化的维度贡献",
                    charts.contribution_chart(
                        labels=list(idx.contributions),
                        values=list(idx.contributions.values()),
                        total_label="合计变化",
                    ),
                    alt="；".join(f"{k}{v:+.2f}" for k, v in idx.contributions.items()),
                    source=idx.source,
                    height_ratio=62 / 156,
                )
            )
        blocks.append(
            Table(
                key="指数变化分解",
                title=f"{idx.year}年{idx.index_name}变化的维度贡献",
                columns=[
                    Column("维度", width=2.0),
                    Column("贡献", unit="分", kind="number", decimals=2, width=1.0),
                    Column("占总变化", unit="%", kind="number", decimals=1, width=1.0),
                ],
                rows=[
                    [name, value, (value / idx.change * 100) if idx.change else None]
                    for name, value in idx.contributions.items()
                ]
                + [["合计", idx.change, 100.0 if idx.change else None]],
                source=idx.source,
                notes=["各维度贡献为精确分解，合计等于指数的年度变化。"],
            )
        )
    return blocks


def index_growth(idx: IndexFacts, *, plan_base: int) -> list[str]:
    """Average annual growth since the base year and since the plan's base year (e.g. 2020)."""
    from nengji.index.results import cagr

    series = idx.values[idx.index_name]
    out = []
    for start in dict.fromkeys([idx.years[0], plan_base]):
        if start not in idx.years or start >= idx.year:
            continue
        first = series[idx.years.index(start)]
        if first is None or first <= 0 or series[-1] is None:
            continue
        rate = cagr(first, series[-1], idx.year - start) * 100
        out.append(f"{start}—{idx.year}年年均增长{rate:.1f}%")
    return out


def published_index_notes(ev: Evidence) -> list[str]:
    """Official index figures the plan states (e.g. 2019: 261.4), beside the computed series."""
    idx = ev.index
    notes = []
    for f in ev.indicators:
        ind = f.indicator
        if ind.kind != "index" or ind.baseline_value is None or idx is None:
            continue
        if ind.baseline_year not in idx.years:
            continue
        computed = idx.values[idx.index_name][idx.years.index(ind.baseline_year)]
        notes.append(
            f"《规划》公布的{ind.baseline_year}年{ind.name_zh}为{fmt(ind.baseline_value)}（官方数据）；"
            f"表中同年计算值为{computed:.1f}"
            + ("（演示数据，与官方数据不可比）。" if idx.is_demo else "。")
        )
    return notes


# --- task progress ----------------------------------------------------------------------------
PROGRESS_STATUSES = (*TASK_STATUS_ORDER, NOT_REPORTED)


def status_counts(items: list[ProgressFacts]) -> Counter[str]:
    return Counter(p.status or NOT_REPORTED for p in items)


def _mean_percent(items: list[ProgressFacts]) -> float | None:
    pcts = [p.percent for p in items if p.percent is not None]
    return round(sum(pcts) / len(pcts), 1) if pcts else None


def progress_table(ev: Evidence, *, by: str) -> Table:
    groups: dict[str, list[ProgressFacts]] = defaultdict(list)
    for p in ev.progress:
        groups[(p.area if by == "area" else p.department) or "（未归类）"].append(p)
    rows: list[list[object]] = []
    for name, items in groups.items():
        counts = status_counts(items)
        rows.append(
            [name, len(items), *[counts[s] for s in PROGRESS_STATUSES], _mean_percent(items)]
        )
    label = "任务领域" if by == "area" else "责任部门"
    return Table(
        key="任务进展-领域" if by == "area" else "任务进展-部门",
        title=f"{ev.year}年任务举措推进情况（按{'领域' if by == 'area' else '责任部门'}）",
        columns=[
            Column(label, width=3.2),
            Column("举措数", kind="number", width=0.9),
            *[Column(s, kind="number", width=0.95) for s in PROGRESS_STATUSES],
            Column("平均进度", unit="%", kind="number", decimals=1, width=1.1),
        ],
        rows=rows,
        source="责任部门报送、经区科委审核通过的任务进展（当年最新一次）。",
        notes=["平均进度为已报送举措完成百分比的算术平均。"],
    )


def progress_blocks(ev: Evidence, *, with_charts: bool) -> list[Block]:
    if not ev.progress:
        return [
            Paragraph(
                "任务举措和重点项目尚未分解到责任部门（未建立任务分工），"
                f"{ev.year}年无任务进展数据。"
            )
        ]
    counts = status_counts(ev.progress)
    parts = [f"{s}{counts[s]}项" for s in PROGRESS_STATUSES if counts[s]]
    blocks: list[Block] = [
        Paragraph(
            f"纳入监测的任务举措和重点项目共{len(ev.progress)}项，{ev.year}年：{'、'.join(parts)}。"
        ),
        Heading(2, "分领域推进情况"),
    ]
    area_table = progress_table(ev, by="area")
    if with_charts:
        blocks.append(
            Figure(
                "任务进展",
                f"{ev.year}年各领域任务举措推进状态",
                charts.stacked_status_chart(
                    groups=[str(r[0]) for r in area_table.rows],
                    statuses=list(PROGRESS_STATUSES),
                    counts=[[int(v) for v in r[2:7]] for r in area_table.rows],  # type: ignore[call-overload]
                ),
                alt="；".join(f"{r[0]}：{r[1]}项" for r in area_table.rows),
                height_ratio=(18 + 9 * len(area_table.rows)) / 156,
            )
        )
    blocks += [
        area_table,
        Heading(2, "分责任部门推进情况"),
        progress_table(ev, by="department"),
        Heading(2, "任务举措推进明细"),
        progress_detail_table(ev),
    ]
    return blocks


def progress_detail_table(ev: Evidence) -> Table:
    return Table(
        key="任务进展明细",
        title=f"{ev.year}年任务举措推进明细",
        columns=[
            Column("序号", kind="number", width=0.5),
            Column("领域", width=1.9),
            Column("任务举措", width=3.0),
            Column("责任部门", width=1.5),
            Column("状态", kind="status", width=1.1),
            Column("进度", unit="%", kind="number", width=0.9),
        ],
        rows=[
            [
                n,
                p.area or None,
                p.section.title_zh,
                p.department,
                p.status or NOT_REPORTED,
                p.percent,
            ]
            for n, p in enumerate(ev.progress, start=1)
        ],
        source="责任部门报送、经区科委审核通过的任务进展（当年最新一次）。",
        font_pt=9,
    )


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


def lagging_blocks(ev: Evidence) -> list[Block]:
    lag_ind = [f for f in ev.indicators if f.evaluation == "滞后"]
    lag_tasks = [p for p in ev.progress if p.status == "滞后"]
    blocks: list[Block] = []
    if not lag_ind and not lag_tasks:
        return [Paragraph(f"{ev.year}年未发现评价为滞后的指标和任务举措。")]
    if lag_ind:
        blocks.append(
            Table(
                key="滞后指标",
                title="评价为滞后的指标",
                columns=[
                    Column("指标", width=2.6),
                    Column("责任部门", width=1.6),
                    Column("依据", width=4.2),
                ],
                rows=[
                    [
                        f.indicator.name_zh,
                        f.department or None,
                        basis(f),
                    ]
                    for f in lag_ind
                ],
                source="按规划目标所需年均增速计算。",
                notes=[n for n in [thresholds_note(lag_ind)] if n],
            )
        )
    if lag_tasks:
        blocks.append(
            Table(
                key="滞后任务",
                title="进展滞后的任务举措和重点项目",
                columns=[
                    Column("任务举措", width=2.8),
                    Column("责任部门", width=1.5),
                    Column("进度", unit="%", kind="number", width=0.8),
                    Column("情况说明", width=3.3),
                ],
                rows=[
                    [p.section.title_zh, p.department, p.percent, p.narrative or None]
                    for p in lag_tasks
                ],
                source="责任部门报送、经区科委审核通过。",
            )
        )
    return blocks


def data_notes(ev: Evidence) -> list[Block]:
    blocks: list[Block] = [Paragraph("数据来源：" + "；".join(ev.sources) + "。")]
    vintaged = [f for f in ev.indicators if f.latest and f.latest.vintage > 1]
    if vintaged:
        blocks.append(
            Paragraph(
                "以下指标的监测值经过修订，采用最新版本："
                + "、".join(f"{f.indicator.name_zh}（第{f.latest.vintage}版）" for f in vintaged)  # type: ignore[union-attr]
                + "。"
            )
        )
    unpublished = [f for f in ev.indicators if f.latest and f.latest.published_at is None]
    if unpublished:
        blocks.append(Paragraph(f"{len(unpublished)}项指标的监测值已审核通过但尚未公开发布。"))
    if ev.missing:
        blocks.append(Paragraph("数据缺失情况：" + "".join(ev.missing)))
    if ev.has_demo_data:
        blocks.append(Paragraph(DEMO_NOTICE.removeprefix("【演示数据】")))
    if any(f.latest for f in ev.indicators):
        blocks.append(sources_table(ev))
    return blocks


def sources_table(ev: Evidence) -> Table:
    """Where each latest value comes from: the reporting department or the publication,
    its vintage, and when it was published."""
    latest = [f.latest for f in ev.indicators if f.latest is not None]
    all_demo = all(obs.is_demo for obs in latest)
    rows: list[list[object]] = []
    for f in ev.indicators:
        obs = f.latest
        if obs is None:
            continue
        if obs.source == Observation.Source.SUBMISSION and obs.submission is not None:
            source = f"{obs.submission.department.name_zh}报送"
        else:
            source = obs.source_note or "对外发布"
        if obs.is_demo and not all_demo:
            source += "（演示数据）"
        published = obs.published_at
        rows.append(
            [
                f.indicator.name_zh,
                obs.year,
                obs.vintage,
                source,
                timezone.localtime(published).date().isoformat() if published else "未发布",
            ]
        )
    return Table(
        key="数据来源与版本",
        title="监测数据来源与版本",
        columns=[
            Column("指标", width=3.4),
            Column("年份", kind="number", width=0.8),
            Column("版本", kind="number", width=0.7),
            Column("来源", width=2.4),
            Column("发布日期", width=1.4),
        ],
        rows=rows,
        source="平台监测数据库；部门报送的数据经区科委审核通过。",
        notes=["每次修订保留为新版本，不覆盖旧版本；表中为各指标最新版本。"]
        + (["表中数据均为演示数据。"] if all_demo else []),
        font_pt=9,
    )
