"""What both reports share at the top and bottom: the demo and missing-data notices, the
issuing unit, number formatting."""

from __future__ import annotations

from django.utils.translation import gettext as _

from nengji.monitoring.models import TaskStatus
from nengji.monitoring.rating import Rating
from nengji.reports.document import Block, Notice
from nengji.reports.evidence import (
    Evidence,
)

DEMO_NOTICE = (
    "【演示数据】本报告使用的数据中含有演示数据（系统示例数据，已在平台中标记），"
    "不代表实际情况，仅供演示和测试，不得作为正式数据引用。"
)


def status_label(code: str) -> str:
    """The words for a band or a task status in the report's language ("" = not reported)."""
    if not code:
        return _("not reported")
    if code in TaskStatus.values:
        return str(TaskStatus(code).label)
    return str(Rating(code).label)


def issuer_for(plan_issuer: str) -> str:
    """The plan office: the district S&T commission of the government that issued the plan."""
    if plan_issuer.endswith("人民政府"):
        return plan_issuer.removesuffix("人民政府") + "科学技术委员会"
    return plan_issuer


def fmt(value: object) -> str:
    from decimal import Decimal

    from nengji.reports.document import plain_number

    if value is None:
        return "—"
    if isinstance(value, Decimal | int | float):
        return plain_number(value)
    return str(value)


def notices(ev: Evidence) -> list[Block]:
    out: list[Block] = []
    if ev.has_demo_data:
        out.append(Notice(DEMO_NOTICE, "demo"))
    if not any(f.latest for f in ev.indicators) and not any(p.status for p in ev.progress):
        out.append(
            Notice(
                f"【数据缺失】{ev.year}年尚无审核通过的监测数据：" + "".join(ev.missing[:2]),
                "missing",
            )
        )
    return out
