"""A small report with every kind of block, built without the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from nengji.reports import charts
from nengji.reports.document import Column, Figure, Heading, Notice, Paragraph, Report, Table


def sample_report(*, demo: bool = True) -> Report:
    png = charts.status_chart(
        counts={"achieved": 1, "on_track": 2, "limited": 1},
        labels={"achieved": "提前实现", "on_track": "符合预期", "limited": "滞后"},
    )
    blocks = [
        Notice("【演示数据】样例。", "demo"),
        Heading(1, "总体情况"),
        Paragraph("正文段落。" * 20),
        Heading(2, "指标"),
        Heading(3, "小节"),
        Heading(4, "细目"),
        Paragraph("【待区科委填写：总体判断】", placeholder=True),
        Table(
            "指标",
            "主要指标",
            [
                Column("指标", width=3),
                Column("基期值", kind="number", width=1),
                Column("单位", width=1),
                Column("评价", kind="status", width=1),
            ],
            [
                ["高新技术企业数", Decimal("973"), "家", "符合预期"],
                ["科研院所数", None, "家", None],
            ],
            source="测试",
            notes=["“—”表示数据缺失"],
        ),
        Figure("评价", "评价分布", png, height_ratio=55 / 156),
        Heading(1, "第二部分"),
        Heading(2, "第二部分第一节"),
    ]
    return Report(
        kind="annual",
        year=2023,
        title="杨浦区提升科技创新能级“十四五”规划",
        subtitle="2023年度实施监测报告",
        blocks=blocks,
        issuer="上海市杨浦区科学技术委员会",
        date=dt.date(2024, 3, 28),
        has_demo_data=demo,
    ).numbered()
