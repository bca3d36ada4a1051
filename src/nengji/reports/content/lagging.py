"""Lagging items: indicators evaluated 滞后 with the numbers behind it, and lagging tasks."""

from __future__ import annotations

from nengji.monitoring.models import TaskStatus
from nengji.reports.content.indicators import basis, thresholds_note
from nengji.reports.document import Block, Column, Paragraph, Table
from nengji.reports.evidence import (
    Evidence,
)


def lagging_blocks(ev: Evidence) -> list[Block]:
    lag_ind = [f for f in ev.indicators if f.is_off_track]
    lag_tasks = [p for p in ev.progress if p.status == TaskStatus.LAGGING]
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
                source="按实际变化与实现目标所需变化之比评价。",
                notes=[thresholds_note(ev)],
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
