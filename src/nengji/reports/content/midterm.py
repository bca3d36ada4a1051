"""The mid-term evaluation (中期评估报告) as a `Report`, from the evaluation year's `Evidence`.

Structure of such reports: 总体评价, 主要任务进展, 存在的问题, 下一步工作建议, 规划调整建议. What
only people can write (judgements, proposals) is generated as marked placeholders that the
office edits in Word; the facts around them come from the database.
"""

from __future__ import annotations

import datetime as dt

from nengji.monitoring.ontrack import Band
from nengji.reports.content.common import issuer_for, notices
from nengji.reports.content.index_section import index_blocks
from nengji.reports.content.indicators import (
    binding_paragraphs,
    evaluation_chart,
    evaluation_paragraph,
    indicator_table,
)
from nengji.reports.content.lagging import lagging_blocks
from nengji.reports.content.notes import data_notes
from nengji.reports.content.progress import progress_blocks
from nengji.reports.document import Block, Heading, Paragraph, Report
from nengji.reports.evidence import Evidence


def placeholder(what: str) -> Paragraph:
    return Paragraph(f"【待区科委填写：{what}】", placeholder=True)


def midterm_report(
    ev: Evidence, *, date: dt.date, issuer: str | None = None, with_charts: bool = True
) -> Report:
    plan = ev.plan
    elapsed = ev.year - plan.period_start + 1
    span = plan.period_end - plan.period_start + 1
    blocks: list[Block] = [*notices(ev)]
    blocks += [
        Paragraph(
            f"《{plan.title_zh}》（{plan.doc_number}）实施期为{plan.period_start}—{plan.period_end}年。"
            f"按照规划“组织开展中期评估，根据评估结果依法调整规划内容”的要求，"
            f"对规划实施{elapsed}年（共{span}年）以来的情况评估如下。"
        ),
        Heading(1, "总体评价"),
        Heading(2, "规划指标完成情况"),
        evaluation_paragraph(ev),
    ]
    chart = evaluation_chart(ev) if with_charts else None
    if chart is not None:
        blocks.append(chart)
    blocks += [
        indicator_table(ev, title=f"规划指标中期完成情况（截至{ev.year}年）"),
        Heading(2, "约束性指标"),
        *binding_paragraphs(ev),
        Heading(2, "双创综合指数"),
        *index_blocks(ev, with_charts=with_charts),
        Heading(2, "总体判断"),
        placeholder("对规划实施总体进展的判断（如“总体符合预期”），依据上述指标和任务数据"),
        Heading(1, "主要任务进展"),
        *progress_blocks(ev, with_charts=with_charts),
        placeholder("各领域主要成效和典型案例"),
        Heading(1, "存在的问题"),
        *_problems(ev),
        placeholder("问题成因分析"),
        Heading(1, "下一步工作建议"),
        placeholder("针对滞后指标和任务的改进措施、责任分工和时间安排"),
        Heading(1, "规划调整建议"),
        *_adjustment_facts(ev),
        placeholder("是否调整指标、目标值或任务，以及调整理由和依据（按程序报批）"),
        Heading(1, "数据说明"),
        *data_notes(ev),
    ]
    return Report(
        kind="midterm",
        year=ev.year,
        title=plan.title_zh,
        subtitle="中期评估报告",
        blocks=blocks,
        issuer=issuer or issuer_for(plan.issuer_zh),
        date=date,
        has_demo_data=ev.has_demo_data,
        missing=list(ev.missing),
    ).numbered()


def _problems(ev: Evidence) -> list[Block]:
    lagging = lagging_blocks(ev)
    no_data = [f for f in ev.indicators if f.band == Band.UNKNOWN]
    out: list[Block] = [
        Paragraph("根据监测数据，以下指标和任务举措进展滞后，需重点关注。"),
        *lagging,
    ]
    if no_data:
        out.append(
            Paragraph(
                f"另有{len(no_data)}项指标因缺少监测值、目标值或基期值而无法评价"
                f"（{'、'.join(f.indicator.name_zh for f in no_data[:6])}"
                f"{'等' if len(no_data) > 6 else ''}），监测数据的完整性有待提高。"
            )
        )
    return out


def _adjustment_facts(ev: Evidence) -> list[Block]:
    lagging = [f for f in ev.indicators if f.is_off_track and f.target is not None]
    if not lagging:
        return [Paragraph("监测数据未显示需要调整目标值的滞后指标。")]
    names = "、".join(f.indicator.name_zh for f in lagging)
    return [
        Paragraph(
            f"按当前增速，{len(lagging)}项有目标值的指标（{names}）难以在"
            f"{lagging[0].target.year if lagging[0].target else '规划期末'}年"
            "实现目标，可研究是否调整。"
        )
    ]
