"""Template helpers for bilingual fields and source quotes."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from nengji.plan.quotes import display_text

register = template.Library()


@register.filter
def loc(obj: object, field: str) -> str:
    """`{{ indicator|loc:"name" }}`: the zh or en variant by the active language."""
    return str(obj.localized(field))  # type: ignore[attr-defined]


@register.filter
def clean(quote: str) -> str:
    """A source quote with the page breaks of the printed document joined."""
    return display_text(quote or "")


@register.filter
def qualified(value: Decimal | None, qualifier: str) -> str:
    """A baseline as a reader should take it: 8000+ is at least 8000, ≈18000 is about."""
    if value is None:
        return "—"
    number = value.normalize()
    text = f"{number:f}" if number == number.to_integral_value() else f"{number:f}".rstrip("0")
    if qualifier == "lower_bound":
        return _("≥ %(value)s") % {"value": text}
    if qualifier == "approx":
        return _("≈ %(value)s") % {"value": text}
    return text
