"""The indicator part: the full indicator table (an annex), the evaluation counts and chart, the
targets and their nature (约束性/预期性), the method of each rating, and the arithmetic behind
every rating (an annex, so the sentences in the body stay sentences)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from nengji.monitoring.ontrack import Band
from nengji.reports.content.common import (
    fmt_in_unit,
    join,
    method_label,
    name,
    status_label,
    tr,
    unit,
    with_unit,
)
from nengji.reports.document import Block, Column, Figure, Paragraph, Table
from nengji.reports.evidence import Evidence, IndicatorFacts


def nature_label(f: IndicatorFacts) -> str:
    """约束性 / 预期性 for an indicator with a target; "—" without one. A target the plan's text
    states is 预期性 (the plan names no binding indicator)."""
    if f.target is None:
        return "—"
    if f.target.is_binding:
        return tr("约束性", "binding")
    return tr("预期性", "expected")


def target_text(f: IndicatorFacts) -> object:
    """The target as printed: a number, or the plan's range ("2—3")."""
    t = f.target
    if t is None:
        return None
    if t.value_max is not None and t.value_max != t.value:
        return f"{fmt_in_unit(t.value, f.indicator)}—{fmt_in_unit(t.value_max, f.indicator)}"
    return Decimal(fmt_in_unit(t.value, f.indicator).replace(",", ""))


def _value(value: Decimal | None, f: IndicatorFacts) -> object:
    if value is None:
        return None
    return Decimal(fmt_in_unit(value, f.indicator).replace(",", ""))


def indicator_columns() -> list[Column]:
    return [
        Column(tr("序号", "No."), kind="number", width=0.45),
        Column(tr("指标", "Indicator"), width=2.2),
        Column(tr("单位", "Unit"), width=0.95),
        Column(tr("属性", "Nature"), width=0.85),
        Column(tr("基期年份", "Base year"), kind="number", width=0.72),
        Column(tr("基期值", "Baseline"), kind="number", width=0.95),
        Column(tr("监测年份", "Year"), kind="number", width=0.72),
        Column(tr("监测值", "Latest"), kind="number", width=0.95),
        Column(tr("目标值", "Target"), kind="number", width=0.9),
        Column(tr("评价方法", "Method"), width=1.15),
        Column(tr("评价", "Rating"), kind="status", width=1.4),
    ]


def indicator_row(n: int, f: IndicatorFacts) -> list[object]:
    ind = f.indicator
    return [
        n,
        name(ind) + (tr("（计算值）", " (computed)") if f.computed else ""),
        unit(ind),
        nature_label(f),
        ind.baseline_year,
        _value(ind.baseline_value, f),
        f.latest.year if f.latest else None,
        _value(f.latest.value, f) if f.latest else None,
        target_text(f),
        method_label(f.method),
        status_label(f.band),
    ]


def indicator_table(ev: Evidence, *, title: str = "") -> Table:
    targets = sorted({f.target.year for f in ev.indicators if f.target})
    years = "、".join(str(y) for y in targets)
    return Table(
        key=tr("指标监测", "Indicators"),
        title=title
        or tr(f"规划指标监测情况（截至{ev.year}年）", f"Plan indicators as of {ev.year}"),
        columns=indicator_columns(),
        rows=[indicator_row(n, f) for n, f in enumerate(ev.indicators, start=1)],
        font_pt=9,
        source=tr(
            "基期值和规划目标摘自《规划》原文；监测值为截至当年审核通过并发布的最新数据。",
            "Baselines and plan targets: the plan's text; latest values: the latest approved "
            "and published figures up to the year.",
        ),
        notes=[
            tr(
                "“—”表示数据缺失或未设定，不是0。"
                + (f"目标值为{years}年目标。" if targets else "")
                + "评价方法见附件说明；计算值为平台按《规划》指数测评办法测算的数值。",
                "“—” means missing or not set, never 0."
                + (f" Targets are for {', '.join(map(str, targets))}." if targets else "")
                + " The methods are explained in the notes; computed values follow the "
                "plan's index method.",
            )
        ],
    )


def counts_sentence(ev: Evidence) -> str:
    """ "提前实现4项、符合预期22项、滞后10项": bands with the same words are counted together."""
    counts: dict[str, int] = {}
    for b, n in ev.evaluation_counts().items():
        if n:
            label = status_label(b)
            counts[label] = counts.get(label, 0) + n
    return join([tr(f"{label}{n}项", f"{n} {label}") for label, n in counts.items()])


def evaluation_paragraph(ev: Evidence) -> Paragraph:
    total = len(ev.indicators)
    with_value = sum(1 for f in ev.indicators if f.latest is not None)
    if total == 0:
        return Paragraph(tr("规划尚未录入监测指标。", "No indicators of the plan are loaded yet."))
    if with_value == 0:
        return Paragraph(
            tr(
                f"《规划》共列出{total}项指标。截至{ev.year}年尚无审核通过的监测数据，"
                "暂无法评价指标完成情况。",
                f"The plan lists {total} indicators. No approved values exist up to {ev.year}, "
                "so none can be rated yet.",
            )
        )
    return Paragraph(
        tr(
            f"《规划》共列出{total}项指标，截至{ev.year}年有{with_value}项取得监测数据。"
            f"评价结果为：{counts_sentence(ev)}。",
            f"The plan lists {total} indicators; {with_value} have monitoring values up to "
            f"{ev.year}. Ratings: {counts_sentence(ev)}.",
        )
    )


def targets_paragraph(ev: Evidence) -> Paragraph:
    """Where the targets come from and their nature, in words a reader expects."""
    plan_set = [f for f in ev.indicators if f.target and f.target.source == "plan"]
    office_set = [f for f in ev.indicators if f.target and f.target.source == "office"]
    binding = [f for f in ev.indicators if f.is_binding]
    none = [f for f in ev.indicators if f.target is None]
    zh = []
    en = []
    if plan_set:
        names = join([name(f.indicator) for f in plan_set])
        zh.append(f"《规划》对{len(plan_set)}项指标提出了量化目标（{names}）")
        en.append(f"The plan sets a quantified target for {len(plan_set)} indicator(s) ({names})")
    else:
        zh.append("《规划》正文未对所列指标提出量化目标值")
        en.append("The plan's text sets no quantified target for its indicators")
    if office_set:
        zh.append(f"区科委补充设定了{len(office_set)}项指标的目标值")
        en.append(f"the office has set targets for {len(office_set)} more")
    if binding:
        zh.append(f"其中约束性指标{len(binding)}项")
        en.append(f"{len(binding)} of them binding")
    else:
        zh.append("均为预期性指标")
        en.append("all are expected (not binding) targets")
    if none:
        zh.append(f"其余{len(none)}项指标未设目标值，按变化趋势评价")
        en.append(f"the other {len(none)} have no target and are rated by their trend")
    return Paragraph(tr("，".join(zh) + "。", "; ".join(en) + "."))


def method_paragraphs(ev: Evidence, *, in_annex: bool = False) -> list[Block]:
    """评估方法: which method judges which indicators, and the thresholds in the rating words."""
    methods = Counter(f.method for f in ev.indicators)
    th = ev.thresholds
    on, mod, ahead = (
        status_label(Band.ON_TRACK),
        status_label(Band.MODERATE),
        status_label(Band.AHEAD),
    )
    return [
        Paragraph(
            tr(
                "指标评价采用国际通行的“进度比”方法，按指标性质选用计算口径："
                f"总量和数量类指标按年均增速（{methods['cagr']}项），"
                f"比率、比重和增速类指标按年均变化量（{methods['linear']}项），"
                f"连续年数和一次性事件类指标只判断是否达到目标、不作趋势评价（{methods['none']}项）。",
                "Indicators are rated by the usual distance-to-target method, with the measure "
                "of pace chosen by what an indicator measures: levels and counts by their average "
                f"annual growth rate ({methods['cagr']}), rates, shares and growth rates by their "
                f"change a year ({methods['linear']}), counts of years and one-off events only by "
                f"whether the target is met, with no trend ({methods['none']}).",
            )
        ),
        Paragraph(
            tr(
                "有目标值的指标，以基期以来的实际进度与实现目标所需进度相比较：达到所需进度"
                f"{th.ahead_ratio:g}倍以上为{ahead}，{th.on_track_ratio:g}倍以上为{on}，"
                f"{th.moderate_ratio:g}倍以上为{mod}，不足{th.moderate_ratio:g}倍为"
                f"{status_label(Band.LIMITED)}；已达到目标为{status_label(Band.ACHIEVED)}。"
                "未设目标值的指标，按基期以来的年均增速（或相对变化）评价："
                f"不低于{th.no_target_on_track * 100:g}%为{on}，"
                f"不低于{th.no_target_moderate * 100:g}%为{mod}，低于此为"
                f"{status_label(Band.LIMITED)}。"
                + ("逐项计算过程见下表。" if in_annex else "逐项计算过程见附件。"),
                "With a target, the pace since the base year is compared with the pace the "
                f"target needs: at least {th.ahead_ratio:g} times is {ahead}, "
                f"{th.on_track_ratio:g} times {on}, {th.moderate_ratio:g} times {mod}, less "
                f"{status_label(Band.LIMITED)}; a target already met is "
                f"{status_label(Band.ACHIEVED)}. Without a target, the average annual change "
                f"since the base year is rated: {th.no_target_on_track * 100:g}% or more {on}, "
                f"{th.no_target_moderate * 100:g}% or more {mod}, less "
                f"{status_label(Band.LIMITED)}. The arithmetic for each indicator is "
                + ("in the table below." if in_annex else "in the annex."),
            )
        ),
    ]


def evaluation_chart(ev: Evidence) -> Figure | None:
    """Counts by rating word (bands that share a word share a bar), best first."""
    from nengji.reports import charts  # matplotlib: loaded only to draw charts

    counts: dict[str, int] = {}
    labels: dict[str, str] = {}
    seen: dict[str, str] = {}
    for b, n in ev.evaluation_counts().items():
        if not n:
            continue
        label = status_label(b)
        key = seen.setdefault(label, str(b))
        counts[key] = counts.get(key, 0) + n
        labels[key] = label
    if not any(n for b, n in counts.items() if b != "unknown"):
        return None
    png = charts.status_chart(counts=counts, labels=labels)
    return Figure(
        "指标评价",
        tr("规划指标评价结果分布", "Ratings of the plan's indicators"),
        png,
        alt="；".join(f"{labels[k]}{v}" for k, v in counts.items()),
        height_ratio=55 / 156,
    )


def key_targets_table(ev: Evidence) -> Table | None:
    """The indicators with a target, in the body (short): the full list is an annex."""
    rows = [f for f in ev.indicators if f.target is not None]
    if not rows:
        return None
    return Table(
        key=tr("目标指标", "Targets"),
        title=tr(
            f"设定目标值的指标完成情况（截至{ev.year}年）", f"Indicators with a target, {ev.year}"
        ),
        columns=[
            Column(tr("指标", "Indicator"), width=3.0),
            Column(tr("属性", "Nature"), width=0.8),
            Column(tr("基期值", "Baseline"), kind="number", width=1.1),
            Column(tr("监测值", "Latest"), kind="number", width=1.1),
            Column(tr("目标值", "Target"), kind="number", width=1.0),
            Column(tr("评价", "Rating"), kind="status", width=1.2),
        ],
        rows=[
            [
                tr(
                    f"{name(f.indicator)}（{unit(f.indicator)}）",
                    f"{name(f.indicator)} ({unit(f.indicator)})",
                ),
                nature_label(f),
                _value(f.indicator.baseline_value, f),
                _value(f.latest.value, f) if f.latest else None,
                target_text(f),
                status_label(f.band),
            ]
            for f in rows
        ],
        font_pt=9,
        source=tr(
            "《规划》原文；区科委设定的目标值；审核通过的监测数据。",
            "The plan's text; targets set by the office; approved monitoring data.",
        ),
    )


def projection_sentence(f: IndicatorFacts) -> str:
    """ "按目前增速，2025年预计达到X，为目标的Y%" — the arithmetic itself is in the annex."""
    a = f.assessment
    t = f.target
    ind = f.indicator
    if a is None or f.latest is None:
        return tr(f"{name(ind)}尚无监测数据。", f"{name(ind)}: no value yet.")
    latest = tr(
        f"{name(ind)}{f.latest.year}年为{with_unit(f.latest.value, ind)}",
        f"{name(ind)} was {with_unit(f.latest.value, ind)} in {f.latest.year}",
    )
    if a.band == Band.ACHIEVED and t is not None:
        return tr(
            f"{latest}，已达到{t.year}年目标。", f"{latest}, already meeting the {t.year} target."
        )
    if f.method == "none":
        return tr(
            f"{latest}，属连续年数或一次性事件，不作趋势评价。",
            f"{latest}; a count of years or a one-off event, not rated by a trend.",
        )
    pace = (
        tr("按目前增速", "at the present pace")
        if f.method == "cagr"
        else tr("按目前每年变化幅度", "at the present change a year")
    )
    if t is not None and a.projected is not None and t.value:
        share = a.projected / float(t.value) * 100
        return tr(
            f"{latest}，{pace}，{t.year}年预计达到{with_unit(a.projected, ind)}，"
            f"为目标的{share:.0f}%。",
            f"{latest}; {pace}, {t.year} would reach {with_unit(a.projected, ind)}, "
            f"{share:.0f}% of the target.",
        )
    if a.actual_growth is not None and f.method == "cagr":
        if abs(a.actual_growth) < 0.0005:
            return tr(f"{latest}，与基期持平。", f"{latest}, level with the base year.")
        word = tr("增长", "growth") if a.actual_growth >= 0 else tr("下降", "decline")
        return tr(
            f"{latest}，基期以来年均{word}{abs(a.actual_growth) * 100:.1f}%。",
            f"{latest}; average annual {word} since the base year "
            f"{abs(a.actual_growth) * 100:.1f}%.",
        )
    if a.actual_growth is not None:
        base = ind.baseline_value
        return tr(
            f"{latest}，基期（{ind.baseline_year}年）为{with_unit(base, ind)}。",
            f"{latest}; the base ({ind.baseline_year}) was {with_unit(base, ind)}.",
        )
    return latest + tr("。", ".")


def basis_table(ev: Evidence) -> Table:
    """The arithmetic of every rating: pace so far, pace needed, their ratio, the projection."""
    rows = []
    for f in ev.indicators:
        a = f.assessment
        if a is None:
            continue
        pct = f.method == "cagr"
        rows.append(
            [
                name(f.indicator),
                method_label(f.method),
                _pace(a.actual_growth, pct),
                _pace(a.required_growth, pct),
                None if a.ratio is None else round(a.ratio, 2),
                None if a.projected is None else _value(Decimal(f"{a.projected:.2f}"), f),
                status_label(a.band),
            ]
        )
    return Table(
        key=tr("评价依据", "Rating basis"),
        title=tr("指标评价计算依据", "How each rating was computed"),
        columns=[
            Column(tr("指标", "Indicator"), width=2.8),
            Column(tr("方法", "Method"), width=0.9),
            Column(tr("实际进度", "Actual pace"), kind="number", width=1.0),
            Column(tr("所需进度", "Needed pace"), kind="number", width=1.0),
            Column(tr("进度比", "Ratio"), kind="number", decimals=2, width=0.8),
            Column(tr("目标年预计值", "Projected"), kind="number", width=1.2),
            Column(tr("评价", "Rating"), kind="status", width=1.2),
        ],
        rows=rows,
        font_pt=9,
        source=tr("平台按上述方法计算。", "Computed by the platform with the method above."),
        notes=[
            tr(
                "年均增速法的进度为年均增长率（%）；年均变化法的进度为每年变化量（指标单位，"
                "百分比类为百分点）。进度比 = 实际进度 ÷ 所需进度；目标年预计值按实际进度外推。",
                "For the growth-rate method the pace is the average annual growth (%); for the "
                "change-a-year method it is the change a year in the indicator's unit "
                "(percentage points for %). Ratio = actual ÷ needed; the projection extends the "
                "actual pace to the target year.",
            )
        ],
    )


def _pace(value: float | None, percent: bool) -> object:
    if value is None:
        return None
    if percent:
        return f"{value * 100:.2f}%"
    return Decimal(f"{value:.2f}")


def binding_paragraphs(ev: Evidence) -> list[Block]:
    binding = [f for f in ev.indicators if f.is_binding]
    if not binding:
        return [
            Paragraph(
                tr(
                    "《规划》未设置约束性指标，所列目标均为预期性目标。",
                    "The plan has no binding indicators; all its targets are expected targets.",
                )
            )
        ]
    counts: dict[str, int] = {}
    for f in binding:
        counts[status_label(f.band)] = counts.get(status_label(f.band), 0) + 1
    summary = join([tr(f"{label}{n}项", f"{n} {label}") for label, n in counts.items()])
    return [
        Paragraph(
            tr(
                f"约束性指标共{len(binding)}项，{summary}。",
                f"{len(binding)} binding indicator(s): {summary}.",
            )
        ),
        *[Paragraph(projection_sentence(f)) for f in binding],
    ]
