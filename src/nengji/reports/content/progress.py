"""The task-progress part: counts by area and by department, a chart, and the detail table."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from nengji.monitoring.selectors import rollup_percent
from nengji.reports import charts
from nengji.reports.content.common import status_label
from nengji.reports.document import Block, Column, Figure, Heading, Paragraph, Table
from nengji.reports.evidence import (
    NOT_REPORTED,
    TASK_STATUS_ORDER,
    Evidence,
    ProgressFacts,
)

# --- task progress ----------------------------------------------------------------------------
PROGRESS_STATUSES = (*TASK_STATUS_ORDER, NOT_REPORTED)


def status_counts(items: list[ProgressFacts]) -> Counter[str]:
    return Counter(p.status or NOT_REPORTED for p in items)


def _mean_percent(items: list[ProgressFacts]) -> Decimal | None:
    pcts = [p.percent for p in items if p.percent is not None]
    return rollup_percent(pcts)


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
            *[Column(status_label(s), kind="number", width=0.95) for s in PROGRESS_STATUSES],
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
    parts = [f"{status_label(s)}{counts[s]}项" for s in PROGRESS_STATUSES if counts[s]]
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
                    labels={s: status_label(s) for s in PROGRESS_STATUSES},
                    counts=[[int(v) for v in r[2:7]] for r in area_table.rows],
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
                status_label(p.status),
                p.percent,
            ]
            for n, p in enumerate(ev.progress, start=1)
        ],
        source="责任部门报送、经区科委审核通过的任务进展（当年最新一次）。",
        font_pt=9,
    )
