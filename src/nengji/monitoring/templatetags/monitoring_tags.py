"""Template filters for monitoring pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def num(value: Any) -> str:
    """A stored decimal as people write it: 973.000000 -> 973, 2.500000 -> 2.5; None -> —."""
    if value is None or value == "":
        return "—"
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return format(value.normalize(), "f")


@register.filter
def change_from(value: Any, before: Any) -> str:
    """The change from `before` to `value` as "+12 (+3.4 %)" (no percent from a zero base)."""
    if value is None or before is None:
        return ""
    new, old = Decimal(str(value)), Decimal(str(before))
    diff = new - old
    sign = "+" if diff > 0 else ""
    text = sign + format(diff.normalize(), "f")
    if old:
        pct = diff / abs(old) * 100
        text += f" ({sign}{pct:.1f} %)"
    return text
