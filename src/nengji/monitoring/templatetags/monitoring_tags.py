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
