"""Lagging items in sentences a reader expects ("按目前增速，2025年预计达到X，为目标的Y%"), the
arithmetic being in the annex; and the lagging tasks."""

from __future__ import annotations

from nengji.monitoring.models import TaskStatus
from nengji.reports.content.common import name, tr
from nengji.reports.content.indicators import projection_sentence
from nengji.reports.document import Block, Column, Paragraph, Table
from nengji.reports.evidence import Evidence


def lagging_blocks(ev: Evidence) -> list[Block]:
    lag_ind = [f for f in ev.indicators if f.is_off_track]
    lag_tasks = [p for p in ev.progress if p.status == TaskStatus.LAGGING]
    if not lag_ind and not lag_tasks:
        return [
            Paragraph(
                tr(
                    f"{ev.year}年未发现进展滞后的指标和任务举措。",
                    f"No indicator or measure was rated as lagging in {ev.year}.",
                )
            )
        ]
    blocks: list[Block] = []
    if lag_ind:
        blocks.append(
            Paragraph(
                tr(
                    f"一是{len(lag_ind)}项指标进展滞后。",
                    f"First, {len(lag_ind)} indicator(s) are lagging.",
                )
            )
        )
        for f in lag_ind:
            dept = tr(f"（责任部门：{f.department}）", f" (lead: {f.department_en})")
            blocks.append(Paragraph(projection_sentence(f) + (dept if f.department else "")))
    if lag_tasks:
        blocks.append(
            Paragraph(
                tr(
                    f"{'二是' if lag_ind else '一是'}{len(lag_tasks)}项任务举措和重点项目"
                    "进展滞后。",
                    f"{'Second' if lag_ind else 'First'}, {len(lag_tasks)} measure(s) and key "
                    "project(s) are behind schedule.",
                )
            )
        )
        blocks.append(
            Table(
                key=tr("滞后任务", "Lagging measures"),
                title=tr("进展滞后的任务举措和重点项目", "Measures and projects behind schedule"),
                columns=[
                    Column(tr("任务举措", "Measure"), width=3.0),
                    Column(tr("责任部门", "Lead"), width=1.6),
                    Column(tr("进度", "Progress"), unit="%", kind="number", width=0.8),
                    Column(tr("情况说明", "Remarks"), width=3.0),
                ],
                rows=[
                    [
                        name(p.section, "title"),
                        tr(p.department, p.department_en or p.department),
                        p.percent,
                        p.narrative or None,
                    ]
                    for p in lag_tasks
                ],
                source=tr(
                    "责任部门报送、经区科委审核通过。",
                    "Reported by the lead departments, approved by the office.",
                ),
            )
        )
    return blocks
