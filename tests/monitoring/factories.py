"""Small builders for monitoring tests: a mini plan independent of the Yangpu package."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from nengji.accounts.models import User
from nengji.core.models import Organisation
from nengji.core.roles import OrgKind
from nengji.plan.models import Department, Indicator, Plan, Section

_seq = itertools.count(1)


def district() -> Organisation:
    """The district of the mini plans: the loaded Yangpu plan's (a district's second plan shares
    its departments), or a fictional one when no plan is loaded."""
    loaded = Plan.objects.filter(code="yangpu-2021").select_related("district").first()
    if loaded is not None:
        return loaded.district
    org, _ = Organisation.objects.get_or_create(
        kind=OrgKind.REGION, code="test-district", parent=None, defaults={"name_zh": "测试区"}
    )
    return org


def department(code: str = "STC", name_zh: str = "区科委") -> Department:
    d = district()
    dept = Department.objects.filter(district=d, code=code).first()
    if dept is None:
        org = Organisation.objects.create(
            kind=OrgKind.DEPARTMENT, parent=d, code=code, name_zh=name_zh
        )
        dept = Department.objects.create(district=d, organisation=org, code=code, name_zh=name_zh)
    return dept


def user(role: str, department_code: str | None = None, *, username: str | None = None) -> User:
    name = username or f"u{next(_seq)}_{role}"
    org = department(department_code).organisation if department_code else None
    return User.objects.create_user(
        username=name,
        password="pw-" + name,
        role=role,
        email=f"{name}@example.org",
        organisation=org,
    )


def plan(code: str | None = None) -> Plan:
    return Plan.objects.create(
        code=code or f"mini-{next(_seq)}",
        district=district(),
        title_zh="测试规划",
        issuer_zh="测试区人民政府",
        doc_number="测府发〔2021〕1号",
        period_start=2021,
        period_end=2025,
        vision_year=2035,
        source_text="测试",
        source_sha256="0" * 64,
        package_sha256="0" * 64,
        loaded_at=timezone.now(),
    )


def indicator(
    p: Plan,
    code: str | None = None,
    *,
    baseline: str | None = "100",
    baseline_year: int = 2020,
    direction: int = 1,
    **kw: Any,
) -> Indicator:
    n = next(_seq)
    return Indicator.objects.create(
        plan=p,
        code=code or f"I{n}",
        order=n,
        name_zh=kw.pop("name_zh", f"指标{n}"),
        unit_zh=kw.pop("unit_zh", "家"),
        direction=direction,
        baseline_year=baseline_year,
        baseline_value=Decimal(baseline) if baseline is not None else None,
        **kw,
    )


def measure(
    p: Plan,
    code: str | None = None,
    *,
    parent: Section | None = None,
    kind: str = Section.Kind.MEASURE,
) -> Section:
    n = next(_seq)
    return Section.objects.create(
        plan=p, code=code or f"M{n}", kind=kind, parent=parent, order=n, title_zh=f"举措{n}"
    )


def deadline(days: int = 30) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def partner(code: str = "320412", name_zh: str = "常州市武进区") -> tuple[Organisation, Department]:
    """A partner region of the 长三角 benchmark and its reporting body (kind ``partner_base``)."""
    from nengji.plan.models import PARTNER_BASE

    region, _ = Organisation.objects.get_or_create(
        kind=OrgKind.REGION, code=code, parent=None, defaults={"name_zh": name_zh}
    )
    body = Department.objects.filter(district=region, code="BENCH").first()
    if body is None:
        org = Organisation.objects.create(
            kind=OrgKind.DEPARTMENT, parent=region, code="BENCH", name_zh=f"{name_zh}双创指数填报"
        )
        body = Department.objects.create(
            district=region,
            organisation=org,
            code="BENCH",
            name_zh=f"{name_zh}双创指数填报",
            kind=PARTNER_BASE,
            is_template=True,
        )
    return region, body


def partner_user(body: Department) -> User:
    name = f"u{next(_seq)}_partner"
    return User.objects.create_user(
        username=name, password="pw-" + name, role="reporter", organisation=body.organisation
    )
