"""The annual monitoring report (年度监测报告) as a `Report`, from the year's `Evidence`."""

from __future__ import annotations

import datetime as dt

from nengji.reports.content.common import issuer_for, notices
from nengji.reports.content.index_section import index_blocks
from nengji.reports.content.indicators import (
    evaluation_chart,
    evaluation_paragraph,
    indicator_table,
)
from nengji.reports.content.lagging import lagging_blocks
from nengji.reports.content.notes import data_notes
from nengji.reports.content.progress import PROGRESS_STATUSES, progress_blocks, status_counts
from nengji.reports.document import Block, Heading, Paragraph, Report
from nengji.reports.evidence import Evidence


def annual_report(
    ev: Evidence, *, date: dt.date, issuer: str | None = None, with_charts: bool = True
) -> Report:
    plan = ev.plan
    blocks: list[Block] = [*notices(ev)]
    blocks += [
        Paragraph(
            f"根据《{plan.title_zh}》（{plan.doc_number}）关于“定期监测规划指标、重点任务和重点项目等"
            f"落实情况”的要求，现将{ev.year}年度规划实施监测情况报告如下。"
        ),
        Heading(1, "总体情况"),
        evaluation_paragraph(ev),
        *_summary(ev),
        Heading(1, "双创综合指数"),
        *index_blocks(ev, with_charts=with_charts),
        Heading(1, "规划指标监测情况"),
        evaluation_paragraph(ev),
    ]
    chart = evaluation_chart(ev) if with_charts else None
    if chart is not None:
        blocks.append(chart)
    blocks += [
        indicator_table(ev),
        Heading(1, "主要任务和重点项目推进情况"),
        *progress_blocks(ev, with_charts=with_charts),
        Heading(1, "需要关注的滞后事项"),
        *lagging_blocks(ev),
        Heading(1, "数据说明"),
        *data_notes(ev),
    ]
    return Report(
        kind="annual",
        year=ev.year,
        title=plan.title_zh,
        subtitle=f"{ev.year}年度实施监测报告",
        blocks=blocks,
        issuer=issuer or issuer_for(plan.issuer_zh),
        date=date,
        has_demo_data=ev.has_demo_data,
        missing=list(ev.missing),
    ).numbered()


def _summary(ev: Evidence) -> list[Block]:
    out: list[Block] = []
    if ev.index is not None and ev.index.year == ev.year:
        value = ev.index.values[ev.index.index_name][-1]
        out.append(Paragraph(f"{ev.index.index_name}{ev.year}年为{value:.1f}（2013年=100）。"))
    if ev.progress:
        counts = status_counts(ev.progress)
        done = "、".join(f"{s}{counts[s]}项" for s in PROGRESS_STATUSES if counts[s])
        out.append(Paragraph(f"纳入监测的{len(ev.progress)}项任务举措中，{done}。"))
    if ev.missing:
        out.append(Paragraph(f"数据缺失{len(ev.missing)}类，详见“数据说明”。"))
    return out
