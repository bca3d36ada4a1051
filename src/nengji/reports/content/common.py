"""What both reports share: the language of the prose, the demo and missing-data notices, the
issuing unit, names in the report's language, numbers in an indicator's unit.

The prose of a report is written in both languages side by side (`tr`): a 公文 sentence and its
English counterpart differ in order and wording, and the office reviews the Chinese as a whole
sentence, so they are kept together rather than split into message ids. Labels that the pages
share (the rating words, task statuses) still come from the gettext catalogues, so a band has
one name everywhere.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nengji.monitoring.models import TaskStatus
from nengji.monitoring.rating import Rating
from nengji.reports.document import Block, Notice

DEMO_NOTICE_ZH = (
    "【演示数据】本报告使用的数据中含有演示数据（系统示例数据，已在平台中标记），"
    "不代表实际情况，仅供演示和测试，不得作为正式数据引用。"
)
DEMO_NOTICE_EN = (
    "[DEMO DATA] This report uses demo data (example data flagged in the platform). It does "
    "not describe the real situation, is for demonstration and testing only and must not be "
    "quoted as official figures."
)
DEMO_NOTICE = DEMO_NOTICE_ZH

#: units counted in whole numbers: a figure in these units is never printed with decimals
WHOLE_UNITS = frozenset({"家", "所", "个", "名", "人", "支", "项", "人次", "次", "件", "届", "年"})


def is_en() -> bool:
    return (get_language() or "").startswith("en")


def tr(zh: str, en: str) -> str:
    """The sentence in the report's language."""
    return en if is_en() else zh


def name(obj: Any, field: str = "name") -> str:
    """An object's name (`name_zh`/`name_en`, `title_zh`/`title_en`) in the report's language."""
    zh = str(getattr(obj, f"{field}_zh", "") or "")
    if is_en():
        return str(getattr(obj, f"{field}_en", "") or zh)
    return zh


def unit(ind: Any) -> str:
    return str((ind.unit_en or ind.unit_zh) if is_en() else ind.unit_zh)


def with_unit(value: object, ind: Any) -> str:
    """ "973家", "99.04件/万人", "54%"; in English "973 enterprises", "54%"."""
    text = fmt_in_unit(value, ind)
    if text == "—":
        return text
    u = unit(ind)
    if u.strip() == "%":
        return f"{text}%"
    return f"{text} {u}" if is_en() else f"{text}{u}"


def fmt_in_unit(value: object, ind: Any) -> str:
    """A value as its unit wants it: a computed figure (a float: a projection) of a count is
    rounded to a whole number; a stored figure prints as stored (a fractional count in the data
    is shown, not hidden — the demo data have none)."""
    if value is None:
        return "—"
    if ind is not None and ind.unit_zh in WHOLE_UNITS and isinstance(value, float):
        return fmt(Decimal(round(value)))
    if isinstance(value, float):
        places = 1 if ind is not None and ind.unit_zh.strip() == "%" else 2
        return fmt(Decimal(f"{value:.{places}f}"))
    return fmt(value)


def status_label(code: str) -> str:
    """The words for a band or a task status in the report's language ("" = not reported)."""
    if not code:
        return _("not reported")
    if code in TaskStatus.values:
        return str(TaskStatus(code).label)
    return str(Rating(code).label)


METHOD_LABELS = {
    "cagr": ("年均增速", "growth rate"),
    "linear": ("年均变化", "change a year"),
    "none": ("是否达标", "met or not"),
}


def method_label(method: str) -> str:
    zh, en = METHOD_LABELS.get(method or "cagr", METHOD_LABELS["cagr"])
    return tr(zh, en)


def issuer_for(plan_issuer: str) -> str:
    """The plan office: the district S&T commission of the government that issued the plan."""
    if plan_issuer.endswith("人民政府"):
        return plan_issuer.removesuffix("人民政府") + "科学技术委员会"
    if "People's Government" in plan_issuer:
        return plan_issuer.replace("People's Government", "Science and Technology Commission")
    return plan_issuer


def fmt(value: object) -> str:
    from nengji.reports.document import plain_number

    if value is None:
        return "—"
    if isinstance(value, Decimal | int | float):
        return plain_number(value)
    return str(value)


def join(items: list[str]) -> str:
    """A list in running text: 甲、乙和丙 / a, b and c."""
    if is_en():
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return "、".join(items)


def notices(ev: Any) -> list[Block]:
    out: list[Block] = []
    if ev.has_demo_data:
        out.append(Notice(tr(DEMO_NOTICE_ZH, DEMO_NOTICE_EN), "demo"))
    if not any(f.latest for f in ev.indicators) and not any(p.status for p in ev.progress):
        out.append(
            Notice(
                tr(
                    f"【数据缺失】{ev.year}年尚无审核通过的监测数据。",
                    f"[MISSING DATA] No approved monitoring data for {ev.year} yet.",
                ),
                "missing",
            )
        )
    return out
