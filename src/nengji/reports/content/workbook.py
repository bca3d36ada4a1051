"""Tables for analysts, written only into the report's workbook: one row per indicator with every
attribute as its own column and the inputs of its rating as numbers, and a long table of every
value and vintage up to the report's year (indicator, year, value, version, status, source,
published on as a real date)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from nengji.monitoring.models import Observation
from nengji.monitoring.selectors import vintages
from nengji.reports.content.common import method_label, name, status_label, tr, unit
from nengji.reports.content.indicators import nature_label
from nengji.reports.document import Column, Table
from nengji.reports.evidence import Evidence


def _date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value else None


def indicators_sheet(ev: Evidence) -> Table:
    rows = []
    for f in ev.indicators:
        ind = f.indicator
        a = f.assessment
        t = f.target
        rows.append(
            [
                ind.code,
                name(ind),
                unit(ind),
                tr(f.department, f.department_en) or None,
                nature_label(f) if t else None,
                ind.direction,
                f.method,
                method_label(f.method),
                ind.baseline_year,
                ind.baseline_value,
                f.latest.year if f.latest else None,
                f.latest.value if f.latest else None,
                t.year if t else None,
                t.value if t else None,
                t.value_max if t else None,
                (tr("规划原文", "plan") if t.source == "plan" else tr("区科委", "office"))
                if t
                else None,
                a.actual_growth if a else None,
                a.required_growth if a else None,
                a.ratio if a else None,
                a.projected if a else None,
                f.completion,
                str(f.band),
                status_label(f.band),
                "Y" if f.is_demo else None,
            ]
        )
    return Table(
        key=tr("指标明细", "Indicator data"),
        title=tr(f"规划指标明细（截至{ev.year}年）", f"Indicators as of {ev.year}"),
        columns=[
            Column(tr("指标代码", "Code"), width=2.6),
            Column(tr("指标", "Indicator"), width=3.2),
            Column(tr("单位", "Unit"), width=1.0),
            Column(tr("责任部门", "Lead"), width=1.6),
            Column(tr("属性", "Nature"), width=0.9),
            Column(tr("方向", "Direction"), kind="number", width=0.7),
            Column(tr("评价方法代码", "Method code"), width=1.0),
            Column(tr("评价方法", "Method"), width=1.1),
            Column(tr("基期年份", "Base year"), kind="number", width=0.9),
            Column(tr("基期值", "Baseline"), kind="number", width=1.1),
            Column(tr("监测年份", "Year"), kind="number", width=0.9),
            Column(tr("监测值", "Latest"), kind="number", width=1.1),
            Column(tr("目标年份", "Target year"), kind="number", width=0.9),
            Column(tr("目标值", "Target"), kind="number", width=1.1),
            Column(tr("目标上限", "Target (upper)"), kind="number", width=1.1),
            Column(tr("目标来源", "Target source"), width=1.0),
            Column(tr("实际进度", "Actual pace"), kind="number", width=1.1),
            Column(tr("所需进度", "Needed pace"), kind="number", width=1.1),
            Column(tr("进度比", "Ratio"), kind="number", width=0.9),
            Column(tr("目标年预计值", "Projected"), kind="number", width=1.2),
            Column(tr("完成度", "Completion"), unit="%", kind="number", width=1.0),
            Column(tr("评价代码", "Rating code"), width=1.1),
            Column(tr("评价", "Rating"), width=1.2),
            Column(tr("演示数据", "Demo"), width=0.8),
        ],
        rows=rows,
        source=tr("平台监测数据库。", "The platform's monitoring database."),
        notes=[
            tr(
                "方向：1为越大越好，-1为越小越好。实际进度和所需进度：年均增速法为年增长率"
                "（小数，0.05即5%），年均变化法为每年变化量（指标单位）。",
                "Direction: 1 more is better, -1 less is better. Paces: a growth rate a year "
                "(a fraction, 0.05 = 5%) for the growth-rate method, a change a year in the "
                "indicator's unit for the change-a-year method.",
            )
        ],
    )


def series_sheet(ev: Evidence) -> Table:
    """Every value and vintage up to the year, long format."""
    by_id = {f.indicator.pk: f for f in ev.indicators}
    rows: list[list[object]] = []
    for ind_id, observations in vintages(plan=ev.plan, published_only=True).items():
        f = by_id.get(ind_id)
        if f is None:
            continue
        latest_vintage: dict[tuple[int, int], int] = {}
        for o in observations:
            key = (o.year, o.quarter)
            latest_vintage[key] = max(latest_vintage.get(key, 0), o.vintage)
        for o in observations:
            if o.year > ev.year:
                continue
            rows.append(
                [
                    f.indicator.code,
                    name(f.indicator),
                    o.year,
                    o.quarter or None,
                    o.value,
                    o.vintage,
                    tr("现行", "current")
                    if o.vintage == latest_vintage[(o.year, o.quarter)]
                    else tr("已修订", "revised"),
                    _source(o),
                    _date(o.published_at),
                    "Y" if o.is_demo else None,
                ]
            )
    for f in ev.indicators:  # computed index values (not stored as observations)
        if f.computed and f.latest is not None:
            o = f.latest.observation
            rows.append(
                [
                    f.indicator.code,
                    name(f.indicator),
                    o.year,
                    None,
                    o.value,
                    1,
                    tr("计算值", "computed"),
                    tr("按《规划》指数测评办法测算", "computed by the plan's index method"),
                    _date(o.published_at),
                    "Y" if o.is_demo else None,
                ]
            )
    return Table(
        key=tr("数据序列", "Series"),
        title=tr(
            f"全部监测数据及版本（截至{ev.year}年）", f"Every value and version up to {ev.year}"
        ),
        columns=[
            Column(tr("指标代码", "Code"), width=2.6),
            Column(tr("指标", "Indicator"), width=3.2),
            Column(tr("年份", "Year"), kind="number", width=0.8),
            Column(tr("季度", "Quarter"), kind="number", width=0.7),
            Column(tr("数值", "Value"), kind="number", width=1.2),
            Column(tr("版本", "Version"), kind="number", width=0.7),
            Column(tr("状态", "Status"), width=0.9),
            Column(tr("来源", "Source"), width=2.4),
            Column(tr("发布日期", "Published on"), kind="date", width=1.2),
            Column(tr("演示数据", "Demo"), width=0.8),
        ],
        rows=rows,
        source=tr("平台监测数据库（已发布数据）。", "The platform's published monitoring data."),
    )


def _source(o: Observation) -> str:
    if o.source == Observation.Source.SUBMISSION and o.submission is not None:
        dept = o.submission.department
        return tr(f"{dept.name_zh}报送", f"reported by {dept.name_en or dept.name_zh}")
    if o.source == Observation.Source.DEMO:
        return tr("演示数据", "demo data")
    return o.source_note or tr("公开发布", "published")
