"""The data notes (an annex): sources, revised vintages, unpublished values, missing data, the
demo flag, and the table of where each latest value comes from."""

from __future__ import annotations

from django.utils import timezone

from nengji.monitoring.models import Observation
from nengji.reports.content.common import DEMO_NOTICE_EN, DEMO_NOTICE_ZH, join, name, tr
from nengji.reports.document import Block, Column, Paragraph, Table
from nengji.reports.evidence import Evidence


def sources_sentence(ev: Evidence, *, bare: bool = False) -> str:
    if bare:
        return tr("；".join(ev.sources), "; ".join(ev.sources))
    return tr(
        "数据来源：" + "；".join(ev.sources) + "。", "Sources: " + "; ".join(ev.sources) + "."
    )


def data_notes(ev: Evidence) -> list[Block]:
    blocks: list[Block] = [Paragraph(sources_sentence(ev))]
    vintaged = [f for f in ev.indicators if f.latest and f.latest.vintage > 1]
    if vintaged:
        items = [
            tr(
                f"{name(f.indicator)}（第{f.latest.vintage}版）",
                f"{name(f.indicator)} (v{f.latest.vintage})",
            )
            for f in vintaged
            if f.latest is not None
        ]
        blocks.append(
            Paragraph(
                tr(
                    f"以下指标的监测值经过修订，采用最新版本：{join(items)}。",
                    f"These values were revised; the latest version is used: {join(items)}.",
                )
            )
        )
    unpublished = [
        f for f in ev.indicators if f.latest and f.latest.observation.published_at is None
    ]
    if unpublished:
        blocks.append(
            Paragraph(
                tr(
                    f"{len(unpublished)}项指标的监测值已审核通过但尚未公开发布。",
                    f"{len(unpublished)} values are approved but not yet published.",
                )
            )
        )
    if ev.missing:
        blocks.append(
            Paragraph(tr("数据缺失情况：", "Missing data: ") + tr("", " ").join(ev.missing))
        )
    if ev.has_demo_data:
        blocks.append(Paragraph(tr(DEMO_NOTICE_ZH.removeprefix("【演示数据】"), DEMO_NOTICE_EN)))
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
        if f.computed:
            source = tr("按《规划》指数测评办法测算", "computed by the plan's index method")
        elif obs.source == Observation.Source.SUBMISSION and obs.submission is not None:
            dept = obs.submission.department
            source = tr(f"{dept.name_zh}报送", f"reported by {dept.name_en or dept.name_zh}")
        elif obs.source == Observation.Source.DEMO:
            source = tr("演示数据", "demo data")
        else:
            source = obs.source_note or tr("公开发布", "published")
        if obs.is_demo and not all_demo and obs.source != Observation.Source.DEMO:
            source += tr("（演示数据）", " (demo data)")
        published = obs.published_at
        rows.append(
            [
                name(f.indicator),
                obs.year,
                obs.vintage,
                source,
                timezone.localtime(published).date().isoformat()
                if published
                else tr("未发布", "not published"),
            ]
        )
    return Table(
        key=tr("数据来源与版本", "Sources"),
        title=tr("监测数据来源与版本", "Source and version of each value"),
        columns=[
            Column(tr("指标", "Indicator"), width=3.4),
            Column(tr("年份", "Year"), kind="number", width=0.8),
            Column(tr("版本", "Version"), kind="number", width=0.7),
            Column(tr("来源", "Source"), width=2.4),
            Column(tr("发布日期", "Published"), width=1.4),
        ],
        rows=rows,
        source=tr(
            "平台监测数据库；部门报送的数据经区科委审核通过。",
            "The platform's monitoring database; departments' figures approved by the office.",
        ),
        notes=[
            tr(
                "每次修订保留为新版本，不覆盖旧版本；表中为各指标最新版本。",
                "Every revision is kept as a new version; the table shows the latest.",
            )
        ]
        + (
            [tr("表中数据均为演示数据。", "All values in this table are demo data.")]
            if all_demo
            else []
        ),
        font_pt=9,
    )
