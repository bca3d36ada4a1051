"""Search and filter enterprises (the office's list, the API), and the public aggregates.

A stage filter becomes a database query: at stage S on a day means holding a designation of
S's kinds in force and none of a higher stage's (``startup``: none of any stage's), so a list
of 10,000 enterprises is filtered in the database, not in Python."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from ninja import Field, Schema

from nengji.core.roles import Role, role_of
from nengji.plan.models import Plan
from nengji.registry.industry import SECTIONS
from nengji.registry.models import Area, Designation, Enterprise, LadderStage
from nengji.registry.selectors.ladder import ladder_stages, stage_on

#: a public count below this is suppressed (shown as null / “<3”)
SUPPRESS_BELOW = 3


class EnterpriseFilter(Schema):
    q: str = Field("", max_length=100, description="name, former name or code")
    stage: str = Field("", max_length=32)
    designation: str = Field("", max_length=20)
    industry: str = Field("", max_length=5, description="GB/T 4754 code prefix, e.g. I or I65")
    street: str = Field("", max_length=16)
    carrier: str = Field("", max_length=64)
    zone: str = Field("", max_length=32)
    functional_area: str = Field("", max_length=32)
    demo: bool | None = None
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(50, ge=1, le=200)


@dataclass
class Page:
    count: int
    rows: list[Enterprise]
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


def _active(kinds: list[str], day: dt.date) -> Exists:
    return Exists(
        Designation.objects.filter(
            enterprise=OuterRef("pk"),
            kind__in=kinds,
            granted_on__lte=day,
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        .filter(Q(status=Designation.Status.ACTIVE) | Q(ended_on__gt=day))
    )


def stage_q(stage: LadderStage, stages: list[LadderStage], day: dt.date) -> Q:
    """Enterprises at `stage` on `day`, as a filter."""
    higher = [k for s in stages if s.level > stage.level for k in s.designations]
    q = Q()
    if stage.level > 0:
        q &= Q(_active(list(stage.designations), day))
    if higher:
        q &= ~Q(_active(higher, day))
    # stages of the same level: the later one in the ladder wins (as `stage_on` says)
    later_same = [
        k
        for s in stages
        if s.level == stage.level and s.order > stage.order
        for k in s.designations
    ]
    if later_same:
        q &= ~Q(_active(later_same, day))
    return q


def enterprise_queryset(*, plan: Plan, user: Any) -> QuerySet[Enterprise]:
    qs = Enterprise.objects.filter(district=plan.district)
    role = role_of(user)
    if role == Role.ENTERPRISE:
        return qs.filter(organisation_id=getattr(user, "organisation_id", None) or -1)
    if role == Role.CARRIER:  # the enterprises its carrier hosts
        return qs.filter(carrier__organisation_id=getattr(user, "organisation_id", None) or -1)
    if role not in (Role.OFFICE, Role.LEADER):
        return qs.none()
    return qs


def enterprise_search(*, plan: Plan, filters: EnterpriseFilter, user: Any) -> Page:
    """One page of enterprises, with ``stage_code`` set on each."""
    day = timezone.localdate()
    stages = ladder_stages(plan=plan)
    qs = enterprise_queryset(plan=plan, user=user)
    f = filters
    if f.q.strip():
        text = f.q.strip()
        qs = qs.filter(
            Q(name_zh__icontains=text)
            | Q(uscc__startswith=text.upper())
            | Q(former_names__icontains=text)
        )
    if f.stage:
        stage = next((s for s in stages if s.code == f.stage), None)
        qs = qs.filter(stage_q(stage, stages, day)) if stage else qs.none()
    if f.designation:
        qs = qs.filter(_active([f.designation], day))
    if f.industry:
        qs = qs.filter(industry__startswith=f.industry.upper())
    if f.street:
        qs = qs.filter(street=f.street)
    if f.carrier:
        qs = qs.filter(carrier__code=f.carrier)
    if f.zone:
        qs = qs.filter(carrier__zone=f.zone)
    if f.functional_area:
        qs = qs.filter(carrier__functional_area=f.functional_area)
    if f.demo is not None:
        qs = qs.filter(is_demo=f.demo)
    count = qs.count()
    start = (f.page - 1) * f.page_size
    rows = list(
        qs.select_related("carrier")
        .prefetch_related("designations")
        .order_by("name_zh", "pk")[start : start + f.page_size]
    )
    for e in rows:
        s = stage_on(stages, e.designations.all(), day)
        e.stage_code = s.code if s else None  # type: ignore[attr-defined]
        e.stage_name = s.name_zh if s else ""  # type: ignore[attr-defined]
    return Page(count=count, rows=rows, page=f.page, page_size=f.page_size)


def _suppress(n: int) -> int | None:
    return n if n >= SUPPRESS_BELOW else None


def public_counts(*, plan: Plan, on: dt.date | None = None) -> dict[str, Any]:
    """Counts by stage, zone and industry section for the public; any count under
    `SUPPRESS_BELOW` is null (a small cell could name an enterprise)."""
    day = on or timezone.localdate()
    stages = ladder_stages(plan=plan)
    qs = Enterprise.objects.filter(district=plan.district)
    by_stage = [
        {
            "key": s.code,
            "label": s.name_zh,
            "count": _suppress(qs.filter(stage_q(s, stages, day)).count()),
        }
        for s in stages
    ]
    zones = list(Area.objects.filter(district=plan.district, kind=Area.Kind.ZONE).order_by("order"))
    zone_counts = Counter(qs.values_list("carrier__zone", flat=True))
    by_zone = [
        {"key": z.code, "label": z.name_zh, "count": _suppress(zone_counts.get(z.code, 0))}
        for z in zones
    ]
    sections = Counter(code[:1] for code in qs.values_list("industry", flat=True) if code)
    by_industry = [
        {"key": letter, "label": letter, "count": _suppress(sections.get(letter, 0))}
        for letter in SECTIONS
        if sections.get(letter, 0)
    ]
    return {
        "as_of": day,
        "suppressed_below": SUPPRESS_BELOW,
        "by_stage": by_stage,
        "by_zone": by_zone,
        "by_industry": by_industry,
    }
