"""The composite-index part: one sentence with the year's value (the same number as the index
table and the indicator table), the published figures beside the computed ones, the series
chart and table, and the contributions of the dimensions to the last change."""

from __future__ import annotations

from nengji.reports.content.common import fmt, name, tr
from nengji.reports.document import Block, Column, Figure, Paragraph, Table
from nengji.reports.evidence import Evidence
from nengji.reports.index_source import IndexFacts


def index_value_text(idx: IndexFacts) -> str:
    """The year's index as printed everywhere in the report (one decimal)."""
    latest = idx.values[idx.index_name][-1]
    return "—" if latest is None else f"{latest:.1f}"


def _source(idx: IndexFacts) -> str:
    return tr(
        "区科委按《规划》附件所列测评办法，根据已发布的指标数据测算",
        "Computed by the office from the published indicator values with the plan's method",
    ) + (tr("（演示数据）", " (demo data)") if idx.is_demo else "")


def _names(ev: Evidence, idx: IndexFacts) -> list[str]:
    """The index and dimension names in the report's language (from the plan's framework)."""
    definition = getattr(ev.plan, "index_definition", None)
    if definition is None:
        return list(idx.names)
    by_zh = {}
    for node in definition.framework or []:
        zh = node.get("name_zh") or node.get("code")
        by_zh[zh] = tr(zh, node.get("name_en") or zh)
    return [by_zh.get(n, n) for n in idx.names]


def index_blocks(ev: Evidence, *, with_charts: bool) -> list[Block]:
    idx = ev.index
    if idx is None:
        return [
            Paragraph(
                tr(
                    "双创综合指数尚无测算结果，本部分暂缺。",
                    "The composite index has not been computed yet; this part is left empty.",
                )
            )
        ]
    names = _names(ev, idx)
    index_name = names[0]
    text = tr(
        f"{idx.year}年{index_name}为{index_value_text(idx)}（2013年=100）",
        f"The {index_name} stood at {index_value_text(idx)} in {idx.year} (2013 = 100)",
    )
    if idx.change is not None and idx.previous is not None:
        word = tr("提高", "up") if idx.change >= 0 else tr("下降", "down")
        text += tr(
            f"，比{idx.previous}年{word}{abs(idx.change):.1f}",
            f", {word} {abs(idx.change):.1f} on {idx.previous}",
        )
        if idx.contributions:
            top = max(idx.contributions.items(), key=lambda kv: kv[1])
            top_name = names[1 + list(idx.contributions).index(top[0])]
            text += tr(
                f"，其中{top_name}贡献最大",
                f"; {top_name} contributed most",
            )
    if idx.year != ev.year:
        text += tr(
            f"。{ev.year}年指数尚未测算，以上为最新年份结果",
            f". The {ev.year} index is not computed yet; these are the latest figures",
        )
    growth = index_growth(idx, plan_base=ev.plan.period_start - 1)
    if growth:
        rest = tr("，", "; ").join(growth)
        text += tr("。", ". ") + rest[:1].upper() + rest[1:]
    blocks: list[Block] = [Paragraph(text + tr("。", "."))]
    published = published_index_sentence(ev)
    if published:
        blocks.append(Paragraph(published))
    if with_charts:
        from nengji.reports import charts  # matplotlib: loaded only to draw charts

        blocks.append(
            Figure(
                "综合指数",
                tr(f"{index_name}及分维度指数（2013年=100）", f"{index_name} and its dimensions"),
                charts.index_chart(
                    years=idx.years,
                    series=dict(zip(names, idx.values.values(), strict=True)),
                    base_label=tr("2013年=100", "2013 = 100"),
                ),
                alt=text,
                source=_source(idx),
                height_ratio=86 / 156,
            )
        )
    blocks.append(
        Table(
            key=tr("综合指数", "Index"),
            title=tr(f"{index_name}及分维度指数", f"{index_name} and its dimensions"),
            columns=[
                Column(tr("年份", "Year"), kind="number", width=0.8),
                *[Column(n, kind="number", decimals=1, width=1.0) for n in names],
            ],
            rows=[
                [year, *[idx.values[n][i] for n in idx.names]] for i, year in enumerate(idx.years)
            ],
            source=_source(idx),
            notes=[
                tr(
                    "2013年=100；各指标以2013年值为100折算后，维度内和维度间等权平均。",
                    "2013 = 100; each indicator is indexed to its 2013 value, then averaged "
                    "with equal weights within and across the dimensions.",
                )
            ],
            keep_whole=True,
        )
    )
    if idx.contributions and idx.change is not None:
        dims = dict(zip(names[1:], idx.contributions.values(), strict=True))
        blocks.append(
            Table(
                key=tr("指数变化分解", "Index change"),
                title=tr(
                    f"{idx.year}年{index_name}变化的维度贡献",
                    f"What moved the index in {idx.year}",
                ),
                columns=[
                    Column(tr("维度", "Dimension"), width=2.0),
                    Column(
                        tr("贡献", "Contribution"),
                        unit=tr("分", "points"),
                        kind="number",
                        decimals=2,
                        width=1.0,
                    ),
                    Column(tr("占总变化", "Share"), unit="%", kind="number", decimals=1, width=1.0),
                ],
                rows=[
                    [n, value, (value / idx.change * 100) if idx.change else None]
                    for n, value in dims.items()
                ]
                + [[tr("合计", "Total"), idx.change, 100.0 if idx.change else None]],
                source=_source(idx),
                notes=[
                    tr(
                        "各维度贡献为精确分解，合计等于指数的年度变化。",
                        "The contributions add up exactly to the year's change.",
                    )
                ],
                keep_whole=True,
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
        out.append(
            tr(
                f"{start}—{idx.year}年年均增长{rate:.1f}%",
                f"average growth {rate:.1f}% a year {start}–{idx.year}",
            )
        )
    return out


def published_index_sentence(ev: Evidence) -> str:
    """The plan's published index figures set beside the same year of the computed series, so
    that a reader sees one story (the demo panel is calibrated to the published figures)."""
    idx = ev.index
    if idx is None:
        return ""
    parts_zh, parts_en = [], []
    for f in ev.indicators:
        ind = f.indicator
        if ind.kind != "index" or ind.baseline_value is None or ind.baseline_year not in idx.years:
            continue
        computed = idx.values[idx.index_name][idx.years.index(ind.baseline_year)]
        if computed is None:
            continue
        same = abs(computed - float(ind.baseline_value)) < 0.05
        parts_zh.append(
            f"《规划》公布的{ind.baseline_year}年{name(ind)}为{fmt(ind.baseline_value)}，"
            + (
                "平台按同一办法测算的同年数值与之一致"
                if same
                else f"平台按同一办法测算的同年数值为{computed:.1f}（差异源于指标数据口径）"
            )
        )
        parts_en.append(
            f"The plan published {fmt(ind.baseline_value)} for {ind.baseline_year}; "
            + (
                "the platform's computation gives the same value"
                if same
                else f"the platform's computation gives {computed:.1f} (different data)"
            )
        )
    if not parts_zh:
        return ""
    return tr("；".join(parts_zh) + "。", "; ".join(parts_en) + ".")
