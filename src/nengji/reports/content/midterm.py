"""The mid-term evaluation (中期评估报告) as a `Report`, from the evaluation year's `Evidence`.

The structure of a district plan's mid-term evaluation: 评估工作开展情况 (scope, data sources,
method), 总体评价, 主要成效, 主要指标完成情况, 主要任务推进情况, 存在的问题, 下一步工作建议,
规划调整建议; long tables as 附件 after the signature, announced in the 附件说明. What only
people can write (judgements, cases, proposals) is a marked placeholder the office fills in
Word; the facts around it come from the database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from nengji.monitoring.ontrack import Band
from nengji.reports.content.common import is_en, issuer_for, join, name, notices, tr
from nengji.reports.content.index_section import index_blocks, index_value_text
from nengji.reports.content.indicators import (
    basis_table,
    binding_paragraphs,
    evaluation_chart,
    evaluation_paragraph,
    indicator_table,
    key_targets_table,
    method_paragraphs,
    projection_sentence,
    targets_paragraph,
)
from nengji.reports.content.lagging import lagging_blocks
from nengji.reports.content.notes import data_notes, sources_sentence
from nengji.reports.content.progress import (
    counts_text,
    progress_blocks,
    progress_detail_table,
)
from nengji.reports.document import Annex, Block, Heading, Paragraph, Report
from nengji.reports.evidence import Evidence, ProgressFacts


def placeholder(zh: str, en: str) -> Paragraph:
    return Paragraph(
        tr(f"【待区科委填写：{zh}】", f"[To be written by the office: {en}]"), placeholder=True
    )


def midterm_report(
    ev: Evidence, *, date: dt.date, issuer: str | None = None, with_charts: bool = True
) -> Report:
    plan = ev.plan
    elapsed = ev.year - plan.period_start + 1
    span = plan.period_end - plan.period_start + 1
    title = name(plan, "title")
    annexes = [
        Annex(tr("规划指标监测情况表", "The plan's indicators"), [indicator_table(ev)]),
        Annex(
            tr("指标评价方法和计算依据", "Rating method and arithmetic"),
            [*method_paragraphs(ev, in_annex=True), basis_table(ev)],
        ),
    ]
    if ev.progress:
        annexes.append(
            Annex(tr("任务举措推进明细表", "Progress of each measure"), [progress_detail_table(ev)])
        )
    annexes.append(Annex(tr("数据来源与说明", "Data sources and notes"), data_notes(ev)))
    ref = {a.title: tr(f"附件{i}", f"Annex {i}") for i, a in enumerate(annexes, start=1)}
    ind_ref = ref[annexes[0].title]
    progress_ref = ref[annexes[2].title] if ev.progress else ""
    blocks: list[Block] = [*notices(ev)]
    blocks += [
        Paragraph(
            tr(
                f"《{title}》（{plan.doc_number}）实施期为{plan.period_start}—{plan.period_end}年。"
                "按照规划“组织开展中期评估，根据评估结果依法调整规划内容”的要求，"
                f"区科委对规划实施{elapsed}年（共{span}年）以来的情况开展了中期评估。现将评估情况报告如下。",
                f"The {title} ({plan.doc_number}) runs from {plan.period_start} to "
                f"{plan.period_end}. As the plan requires a mid-term evaluation, the office has "
                f"evaluated its first {elapsed} of {span} years. This report sets out the "
                "findings.",
            )
        ),
        Heading(1, tr("评估工作开展情况", "How the evaluation was done")),
        Heading(2, tr("评估范围", "Scope")),
        Paragraph(
            tr(
                f"评估覆盖《规划》所列{len(ev.indicators)}项指标和已分解到责任部门的"
                f"{len(ev.progress)}项任务举措及重点项目，评估时点为{ev.year}年底。",
                f"The evaluation covers the plan's {len(ev.indicators)} indicators and the "
                f"{len(ev.progress)} measures and key projects assigned to lead departments, as "
                f"of the end of {ev.year}.",
            )
        ),
        Heading(2, tr("数据来源", "Data sources")),
        Paragraph(
            tr("评估所用数据包括：", "The evaluation uses ")
            + sources_sentence(ev, bare=True)
            + tr("。数据来源和版本见附件。", ". Sources and versions are listed in the annex.")
        ),
        Heading(2, tr("评估方法", "Method")),
        method_paragraphs(ev)[0],
        Paragraph(
            tr(
                f"评价结果分为{_scale()}等级次，评价阈值和逐项计算依据见附件。",
                f"Ratings use one scale ({_scale()}); thresholds and the arithmetic are in the "
                "annexes.",
            )
        ),
        placeholder(
            "评估组织方式（如部门自评、座谈调研、第三方评估）", "how the evaluation was organised"
        ),
        Heading(1, tr("总体评价", "Overall assessment")),
        evaluation_paragraph(ev),
        *_index_summary(ev),
        placeholder("对规划实施总体进展的判断（如“总体符合预期”）", "the overall judgement"),
        Heading(1, tr("主要成效", "Main achievements")),
        *_achievements(ev),
        Heading(1, tr("主要指标完成情况", "The plan's indicators")),
        Paragraph(
            evaluation_paragraph(ev).text
            + tr(f"全部指标见{ind_ref}。", f" All indicators are listed in {ind_ref}.")
        ),
        targets_paragraph(ev),
    ]
    chart = evaluation_chart(ev) if with_charts else None
    if chart is not None:
        blocks.append(chart)
    targets = key_targets_table(ev)
    if targets is not None:
        blocks.append(targets)
    blocks += [
        Heading(2, tr("约束性指标", "Binding indicators")),
        *binding_paragraphs(ev),
        Heading(2, tr("双创综合指数", "The composite index")),
        *index_blocks(ev, with_charts=with_charts),
        Heading(1, tr("主要任务推进情况", "Progress of the main tasks")),
        *progress_blocks(ev, with_charts=with_charts, annex_ref=progress_ref),
        Heading(1, tr("存在的问题", "Problems")),
        *lagging_blocks(ev),
        *_no_data(ev),
        placeholder("问题成因分析", "the causes of the problems"),
        Heading(1, tr("下一步工作建议", "Next steps")),
        placeholder(
            "针对滞后指标和任务的改进措施、责任分工和时间安排",
            "measures for the lagging indicators and tasks, who leads them and by when",
        ),
        Heading(1, tr("规划调整建议", "Proposed adjustments to the plan")),
        *_adjustment_facts(ev),
        placeholder(
            "是否调整指标、目标值或任务，以及调整理由和依据（按程序报批）",
            "whether to adjust indicators, targets or tasks, and why (for approval)",
        ),
    ]
    return Report(
        kind="midterm",
        year=ev.year,
        title=title,
        subtitle=tr("中期评估报告", "Mid-term evaluation"),
        blocks=blocks,
        issuer=issuer or issuer_for(name(plan, "issuer")),
        date=date,
        has_demo_data=ev.has_demo_data,
        missing=list(ev.missing),
        annexes=annexes,
        lang="en" if is_en() else "zh",
    ).numbered()


def _scale() -> str:
    from nengji.reports.content.common import status_label

    return join(
        [
            status_label(b)
            for b in (
                Band.ACHIEVED,
                Band.AHEAD,
                Band.ON_TRACK,
                Band.MODERATE,
                Band.LIMITED,
                Band.UNKNOWN,
            )
        ]
    )


def _index_summary(ev: Evidence) -> list[Block]:
    if ev.index is None:
        return []
    idx = ev.index
    names = idx.index_name
    return [
        Paragraph(
            tr(
                f"{idx.year}年{names}为{index_value_text(idx)}（2013年=100）。",
                f"The composite index stood at {index_value_text(idx)} in {idx.year} (2013 = 100).",
            )
        )
    ]


def _achievements(ev: Evidence) -> list[Block]:
    """主要成效: the figures filled in, with marked places for the office's prose."""
    improved = [
        f
        for f in ev.indicators
        if f.latest is not None
        and f.indicator.baseline_value is not None
        and f.indicator.kind != "index"
        and not f.computed
        and f.band in (Band.ACHIEVED, Band.AHEAD, Band.ON_TRACK)
    ]
    blocks: list[Block] = [
        Heading(2, tr("创新能级稳步提升", "Innovation capacity rising")),
    ]
    if improved:
        blocks += [Paragraph(projection_sentence(f)) for f in improved[:6]]
    else:
        blocks.append(
            Paragraph(
                tr(
                    "截至评估时点，尚无评价为符合预期及以上的指标。",
                    "No indicator is rated on track or better yet.",
                )
            )
        )
    blocks.append(placeholder("创新能级提升的主要成效和典型案例", "achievements and cases"))
    blocks.append(Heading(2, tr("重点任务有序推进", "Main tasks under way")))
    by_area: dict[str, list[ProgressFacts]] = defaultdict(list)
    for p in ev.progress:
        by_area[tr(p.area, p.area_en or p.area) or tr("其他", "Other")].append(p)
    if by_area:
        for area, items in by_area.items():
            blocks.append(
                Paragraph(
                    tr(
                        f"{area}：纳入监测的任务举措{len(items)}项，{counts_text(items)}。",
                        f"{area}: {len(items)} measures monitored; {counts_text(items)}.",
                    )
                )
            )
    else:
        blocks.append(
            Paragraph(tr("任务举措尚未分解到责任部门。", "The measures are not assigned yet."))
        )
    blocks.append(placeholder("各领域重点任务的主要进展和标志性成果", "milestones of each area"))
    return blocks


def _no_data(ev: Evidence) -> list[Block]:
    no_data = [f for f in ev.indicators if f.band == Band.UNKNOWN]
    if not no_data:
        return []
    names = join([name(f.indicator) for f in no_data[:6]])
    more = tr("等", " and others") if len(no_data) > 6 else ""
    return [
        Paragraph(
            tr(
                f"此外，{len(no_data)}项指标缺少监测数据或基期值，暂无法评价（{names}{more}），"
                "监测数据的完整性有待提高。",
                f"Besides, {len(no_data)} indicator(s) lack values or a baseline and cannot be "
                "rated "
                f"({names}{more}); the monitoring data need to be completed.",
            )
        )
    ]


def _adjustment_facts(ev: Evidence) -> list[Block]:
    lagging = [f for f in ev.indicators if f.is_off_track and f.target is not None]
    if not lagging:
        return [
            Paragraph(
                tr(
                    "监测数据未显示需要调整目标值的指标。",
                    "The monitoring data show no target that needs adjusting.",
                )
            )
        ]
    names = join([name(f.indicator) for f in lagging])
    year = lagging[0].target.year if lagging[0].target else ev.plan.period_end
    return [
        Paragraph(
            tr(
                f"按目前进度，{len(lagging)}项设定目标值的指标（{names}）难以在{year}年实现目标，"
                "可结合成因研究是否调整。",
                f"At the present pace, {len(lagging)} indicator(s) with a target ({names}) would "
                f"miss it in {year}; whether to adjust them can be studied with their causes.",
            )
        )
    ]
