"""Plan endpoints: the plans loaded, and a plan's indicators (public)."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from nengji.api.params import PlanCode
from nengji.core.errors import DomainError
from nengji.plan.models import Indicator, Plan
from nengji.plan.selectors import indicator_list, plan_get, plan_list

router = Router()


class IndicatorOut(Schema):
    code: str
    name_zh: str
    name_en: str
    unit_zh: str
    unit_en: str
    direction: int
    kind: str
    progress_method: str
    baseline_year: int | None
    baseline_value: Decimal | None


@router.get("/indicators", auth=None, response=list[IndicatorOut])
def indicators(request: HttpRequest, plan_code: PlanCode = None) -> list[Indicator]:
    """Every indicator of the plan with the baseline the plan text gives."""
    return list(indicator_list(plan=plan_get(code=plan_code)))


class PlanOut(Schema):
    code: str
    title_zh: str
    title_en: str
    district: str
    district_name_zh: str
    period_start: int
    period_end: int
    is_default: bool


@router.get("/plans", auth=None, response=list[PlanOut])
def plans(request: HttpRequest) -> list[dict[str, object]]:
    """The plans loaded side by side; `is_default` marks the one used without `?plan=`."""
    try:
        default = plan_get().code
    except DomainError:
        default = None
    return [_plan_out(p, default) for p in plan_list()]


def _plan_out(p: Plan, default: str | None) -> dict[str, object]:
    return {
        "code": p.code,
        "title_zh": p.title_zh,
        "title_en": p.title_en,
        "district": p.district.code,
        "district_name_zh": p.district.name_zh,
        "period_start": p.period_start,
        "period_end": p.period_end,
        "is_default": p.code == default,
    }
