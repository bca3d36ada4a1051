"""The data notes: sources, revised vintages, unpublished values, missing data, demo flag, and
the table of where each latest value comes from."""

from __future__ import annotations

from django.utils import timezone

from nengji.monitoring.models import Observation
from nengji.reports.content.common import DEMO_NOTICE
from nengji.reports.document import Block, Column, Paragraph, Table
from nengji.reports.evidence import (
    Evidence,
)


def data_notes(ev: Evidence) -> list[Block]:
    blocks: list[Block] = [Paragraph("数据来源：" + "；".join(ev.sources) + "。")]
    vintaged = [f for f in ev.indicators if f.latest and f.latest.vintage > 1]
    if vintaged:
        blocks.append(
            Paragraph(
                "以下指标的监测值经过修订，采用最新版本："
                + "、".join(
                    f"{f.indicator.name_zh}（第{f.latest.vintage}版）"
                    for f in vintaged
                    if f.latest is not None
                )
                + "。"
            )
        )
    unpublished = [
        f for f in ev.indicators if f.latest and f.latest.observation.published_at is None
    ]
    if unpublished:
        blocks.append(Paragraph(f"{len(unpublished)}项指标的监测值已审核通过但尚未公开发布。"))
    if ev.missing:
        blocks.append(Paragraph("数据缺失情况：" + "".join(ev.missing)))
    if ev.has_demo_data:
        blocks.append(Paragraph(DEMO_NOTICE.removeprefix("【演示数据】")))
    if any(f.latest for f in ev.indicators):
        blocks.append(sources_table(ev))
    return blocks


def sources_table(ev: Evidence) -> Table:
    """Where each latest value comes from: the reporting department or the publication,
    its vintage, and when it was published."""
    latest = [f.latest for f in ev.indicators if f.latest is not None]
    all_demo = all(p.is_demo for p in latest)
    rows: list[list[object]] = []
    for f in ev.indicators:
        if f.latest is None:
            continue
        obs = f.latest.observation
        if obs.source == Observation.Source.SUBMISSION and obs.submission is not None:
            source = f"{obs.submission.department.name_zh}报送"
        else:
            source = obs.source_note or "对外发布"
        if obs.is_demo and not all_demo:
            source += "（演示数据）"
        published = obs.published_at
        rows.append(
            [
                f.indicator.name_zh,
                obs.year,
                obs.vintage,
                source,
                timezone.localtime(published).date().isoformat() if published else "未发布",
            ]
        )
    return Table(
        key="数据来源与版本",
        title="监测数据来源与版本",
        columns=[
            Column("指标", width=3.4),
            Column("年份", kind="number", width=0.8),
            Column("版本", kind="number", width=0.7),
            Column("来源", width=2.4),
            Column("发布日期", width=1.4),
        ],
        rows=rows,
        source="平台监测数据库；部门报送的数据经区科委审核通过。",
        notes=["每次修订保留为新版本，不覆盖旧版本；表中为各指标最新版本。"]
        + (["表中数据均为演示数据。"] if all_demo else []),
        font_pt=9,
    )
