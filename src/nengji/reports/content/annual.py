"""The annual monitoring report (年度监测报告) as a `Report`, from the year's `Evidence`.

Body: 总体情况, 双创综合指数, 规划指标监测情况 (with the targets and the method in words),
主要任务和重点项目推进情况, 需要关注的滞后事项, 下一步工作安排; long tables and the arithmetic
of the ratings are 附件 after the signature."""

from __future__ import annotations

import datetime as dt

from nengji.reports.content.common import is_en, issuer_for, name, notices, tr
from nengji.reports.content.index_section import index_blocks, index_value_text
from nengji.reports.content.indicators import (
    basis_table,
    evaluation_chart,
    evaluation_paragraph,
    indicator_table,
    key_targets_table,
    method_paragraphs,
    targets_paragraph,
)
from nengji.reports.content.lagging import lagging_blocks
from nengji.reports.content.midterm import placeholder
from nengji.reports.content.notes import data_notes
from nengji.reports.content.progress import counts_text, progress_blocks, progress_detail_table
from nengji.reports.document import Annex, Block, Heading, Paragraph, Report
from nengji.reports.evidence import Evidence


def annual_report(
    ev: Evidence, *, date: dt.date, issuer: str | None = None, with_charts: bool = True
) -> Report:
    plan = ev.plan
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
    blocks: list[Block] = [*notices(ev)]
    blocks += [
        Paragraph(
            tr(
                f"根据《{title}》（{plan.doc_number}）关于“定期监测规划指标、重点任务和重点项目等"
                f"落实情况”的要求，现将{ev.year}年度规划实施监测情况报告如下。",
                f"As the {title} ({plan.doc_number}) requires regular monitoring of its "
                f"indicators, tasks and key projects, this report sets out the monitoring "
                f"results for {ev.year}.",
            )
        ),
        Heading(1, tr("总体情况", "Overview")),
        *_summary(ev),
        Heading(1, tr("双创综合指数", "The composite index")),
        *index_blocks(ev, with_charts=with_charts),
        Heading(1, tr("规划指标监测情况", "The plan's indicators")),
        Paragraph(
            evaluation_paragraph(ev).text
            + tr(
                "全部指标见附件1，评价方法和计算依据见附件2。",
                " All indicators are in Annex 1, the method and arithmetic in Annex 2.",
            )
        ),
        targets_paragraph(ev),
        method_paragraphs(ev)[0],
    ]
    chart = evaluation_chart(ev) if with_charts else None
    if chart is not None:
        blocks.append(chart)
    targets = key_targets_table(ev)
    if targets is not None:
        blocks.append(targets)
    blocks += [
        Heading(1, tr("主要任务和重点项目推进情况", "Tasks and key projects")),
        *progress_blocks(
            ev, with_charts=with_charts, annex_ref=tr("附件3", "Annex 3") if ev.progress else ""
        ),
        Heading(1, tr("需要关注的滞后事项", "Items behind schedule")),
        *lagging_blocks(ev),
        Heading(1, tr("下一步工作安排", "Next steps")),
        placeholder(
            "针对滞后事项的督促措施和下一年度工作安排",
            "follow-up of the lagging items and next year's work",
        ),
    ]
    return Report(
        kind="annual",
        year=ev.year,
        title=title,
        subtitle=tr(f"{ev.year}年度实施监测报告", f"Monitoring report {ev.year}"),
        blocks=blocks,
        issuer=issuer or issuer_for(name(plan, "issuer")),
        date=date,
        has_demo_data=ev.has_demo_data,
        missing=list(ev.missing),
        annexes=annexes,
        lang="en" if is_en() else "zh",
    ).numbered()


def _summary(ev: Evidence) -> list[Block]:
    out: list[Block] = [evaluation_paragraph(ev)]
    if ev.index is not None and ev.index.year == ev.year:
        out.append(
            Paragraph(
                tr(
                    f"{ev.index.index_name}{ev.year}年为{index_value_text(ev.index)}（2013年=100）。",
                    f"The composite index stood at {index_value_text(ev.index)} in {ev.year} "
                    "(2013 = 100).",
                )
            )
        )
    if ev.progress:
        out.append(
            Paragraph(
                tr(
                    f"纳入监测的{len(ev.progress)}项任务举措中，{counts_text(ev.progress)}。",
                    f"Of the {len(ev.progress)} monitored measures: {counts_text(ev.progress)}.",
                )
            )
        )
    if ev.missing:
        out.append(
            Paragraph(
                tr(
                    f"部分数据尚缺（{len(ev.missing)}类），详见附件“数据来源与说明”。",
                    f"Some data are missing ({len(ev.missing)} kinds); see the annex on data.",
                )
            )
        )
    return out
