"""Template helpers of the cockpit's tables."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from nengji.monitoring.selectors import IndicatorStatus

register = template.Library()


@register.filter
def sparkline(status: IndicatorStatus, width: int = 96) -> SafeString:
    """A tiny inline SVG polyline of an indicator's values (no script, no request)."""
    values = [float(p.value) for p in status.points]
    height = 24
    if len(values) < 2:
        return mark_safe("")
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    step = width / (len(values) - 1)
    pts = " ".join(
        f"{i * step:.1f},{height - 2 - (v - lo) / span * (height - 4):.1f}"
        for i, v in enumerate(values)
    )
    return mark_safe(  # noqa: S308 - numbers only, formatted above
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-hidden="true"><polyline fill="none" stroke="currentColor" stroke-width="1.5" '
        f'points="{pts}"/></svg>'
    )
