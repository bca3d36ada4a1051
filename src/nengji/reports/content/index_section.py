"""The composite-index part: series chart and table, the exact contributions of the dimensions
to the last change, growth rates, and the plan's published figure beside the computed one."""

from __future__ import annotations

from nengji.reports import charts
from nengji.reports.content.common import fmt
from nengji.reports.document import Block, Column, Figure, Paragraph, Table
from nengji.reports.evidence import (
    Evidence,
)
from nengji.reports.index_source import IndexFacts


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
