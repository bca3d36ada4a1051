from django import template

from nengji.vouchers.money import yuan as _yuan

register = template.Library()


@register.filter
def yuan(value: int | None) -> str:
    """分 shown as 元 with two places (for reading; arithmetic stays in 分)."""
    return "" if value is None else _yuan(int(value))
