"""Plan endpoints: indicators (public)."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from nengji.plan.models import Indicator
from nengji.plan.selectors import indicator_list, plan_get

router = Router()


class IndicatorOut(Schema):
    code: str
    name_zh: str
    name_en: str
    unit_zh: str
    unit_en: str
    direction: int
    kind: str
    baseline_year: int | None
    baseline_value: Decimal | None


@router.get("/indicators", auth=None, response=list[IndicatorOut])
def indicators(request: HttpRequest) -> list[Indicator]:
    """Every indicator of the plan with the baseline the plan text gives."""
    return list(indicator_list(plan=plan_get()))
