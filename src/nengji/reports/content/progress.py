"""The task-progress part: counts by area and by department, a chart, and the detail table
(long: an annex)."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from nengji.monitoring.selectors import rollup_percent
from nengji.reports.content.common import join, name, status_label, tr
from nengji.reports.document import Block, Column, Figure, Heading, Paragraph, Table
from nengji.reports.evidence import (
    NOT_REPORTED,
    TASK_STATUS_ORDER,
    Evidence,
    ProgressFacts,
)

PROGRESS_STATUSES = (*TASK_STATUS_ORDER, NOT_REPORTED)


def status_counts(items: list[ProgressFacts]) -> Counter[str]:
    return Counter(p.status or NOT_REPORTED for p in items)


def counts_text(items: list[ProgressFacts]) -> str:
    counts = status_counts(items)
    return join(
        [
            tr(f"{status_label(s)}{counts[s]}项", f"{counts[s]} {status_label(s)}")
            for s in PROGRESS_STATUSES
            if counts[s]
        ]
    )


def _mean_percent(items: list[ProgressFacts]) -> Decimal | None:
    pcts = [p.percent for p in items if p.percent is not None]
    return rollup_percent(pcts)


def _area(p: ProgressFacts) -> str:
    return tr(p.area, p.area_en or p.area)


def _department(p: ProgressFacts) -> str:
    return tr(p.department, p.department_en or p.department)


def progress_table(ev: Evidence, *, by: str) -> Table:
    groups: dict[str, list[ProgressFacts]] = defaultdict(list)
    for p in ev.progress:
        key = _area(p) if by == "area" else _department(p)
        groups[key or tr("（未归类）", "(none)")].append(p)
    rows: list[list[object]] = []
    for group, items in groups.items():
        counts = status_counts(items)
        rows.append(
            [group, len(items), *[counts[s] for s in PROGRESS_STATUSES], _mean_percent(items)]
        )
    label = tr("任务领域", "Area") if by == "area" else tr("责任部门", "Lead department")
    return Table(
        key=tr("任务进展-领域", "Progress by area")
        if by == "area"
        else tr("任务进展-部门", "Progress by lead"),
        title=tr(
            f"{ev.year}年任务举措推进情况（按{'领域' if by == 'area' else '责任部门'}）",
            f"Measures in {ev.year} by {'area' if by == 'area' else 'lead department'}",
        ),
        columns=[
            Column(label, width=3.2),
            Column(tr("举措数", "Measures"), kind="number", width=0.9),
            *[Column(status_label(s), kind="number", width=0.95) for s in PROGRESS_STATUSES],
            Column(tr("平均进度", "Mean progress"), unit="%", kind="number", decimals=1, width=1.1),
        ],
        rows=rows,
        source=tr(
            "责任部门报送、经区科委审核通过的任务进展（当年最新一次）。",
            "Progress reported by the lead departments and approved by the office (latest "
            "of the year).",
        ),
        notes=[
            tr(
                "平均进度为已报送举措完成百分比的算术平均。",
                "Mean progress: the mean of the reported percentages.",
            )
        ],
    )


def progress_blocks(ev: Evidence, *, with_charts: bool, annex_ref: str = "") -> list[Block]:
    if not ev.progress:
        return [
            Paragraph(
                tr(
                    f"任务举措和重点项目尚未分解到责任部门，{ev.year}年无任务进展数据。",
                    f"The measures and key projects are not yet assigned to lead departments, so "
                    f"there is no progress data for {ev.year}.",
                )
            )
        ]
    blocks: list[Block] = [
        Paragraph(
            tr(
                f"纳入监测的任务举措和重点项目共{len(ev.progress)}项，{ev.year}年"
                f"{counts_text(ev.progress)}。",
                f"{len(ev.progress)} measures and key projects are monitored; in {ev.year}: "
                f"{counts_text(ev.progress)}.",
            )
            + (
                tr(f"逐项情况见{annex_ref}。", f" Each item is listed in {annex_ref}.")
                if annex_ref
                else ""
            )
        ),
        Heading(2, tr("分领域推进情况", "By area")),
    ]
    area_table = progress_table(ev, by="area")
    if with_charts:
        from nengji.reports import charts  # matplotlib: loaded only to draw charts

        blocks.append(
            Figure(
                "任务进展",
                tr(
                    f"{ev.year}年各领域任务举措推进状态",
                    f"Status of the measures by area, {ev.year}",
                ),
                charts.stacked_status_chart(
                    groups=[str(r[0]) for r in area_table.rows],
                    statuses=list(PROGRESS_STATUSES),
                    labels={s: status_label(s) for s in PROGRESS_STATUSES},
                    counts=[[int(v) for v in r[2:7]] for r in area_table.rows],
                ),
                alt="；".join(f"{r[0]}：{r[1]}" for r in area_table.rows),
                height_ratio=(18 + 9 * len(area_table.rows)) / 156,
            )
        )
    blocks += [
        area_table,
        Heading(2, tr("分责任部门推进情况", "By lead department")),
        progress_table(ev, by="department"),
    ]
    return blocks


def progress_detail_table(ev: Evidence) -> Table:
    return Table(
        key=tr("任务进展明细", "Measures"),
        title=tr(f"{ev.year}年任务举措推进明细", f"Progress of each measure, {ev.year}"),
        columns=[
            Column(tr("序号", "No."), kind="number", width=0.5),
            Column(tr("领域", "Area"), width=1.9),
            Column(tr("任务举措", "Measure"), width=3.0),
            Column(tr("责任部门", "Lead"), width=1.5),
            Column(tr("状态", "Status"), kind="status", width=1.1),
            Column(tr("进度", "Progress"), unit="%", kind="number", width=0.9),
        ],
        rows=[
            [
                n,
                _area(p) or None,
                name(p.section, "title"),
                _department(p),
                status_label(p.status),
                p.percent,
            ]
            for n, p in enumerate(ev.progress, start=1)
        ],
        source=tr(
            "责任部门报送、经区科委审核通过的任务进展（当年最新一次）。",
            "Progress reported by the lead departments and approved by the office.",
        ),
        font_pt=9,
    )
