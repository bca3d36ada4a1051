"""Builders for registry tests: valid codes, enterprises, users."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from nengji.accounts.models import User
from nengji.core.models import Organisation
from nengji.core.roles import OrgKind
from nengji.registry import services
from nengji.registry.models import Enterprise
from nengji.registry.uscc import uscc_check_character

_seq = itertools.count(1)


def district() -> Organisation:
    from nengji.plan.models import Plan

    plan = Plan.objects.filter(code="yangpu-2021").select_related("district").first()
    if plan is not None:
        return plan.district
    org, _ = Organisation.objects.get_or_create(
        kind=OrgKind.REGION, code="test-district", parent=None, defaults={"name_zh": "测试区"}
    )
    return org


def code(n: int | None = None) -> str:
    """A valid 统一社会信用代码 (91 310110 MA + 8 digits + check)."""
    n = next(_seq) if n is None else n
    first17 = f"91310110MA{n:07d}"
    return first17 + uscc_check_character(first17)


def user(role: str, *, organisation: Organisation | None = None) -> User:
    name = f"r{next(_seq)}_{role}"
    return User.objects.create_user(
        username=name, password="pw-" + name, role=role, organisation=organisation
    )


def enterprise(
    district: Organisation,
    by: Any,
    *,
    name: str | None = None,
    with_org: bool = False,
    founded_on: dt.date | None = dt.date(2015, 3, 1),
    **profile: Any,
) -> Enterprise:
    uscc = code()
    org = None
    if with_org:
        org = Organisation.objects.create(
            kind=OrgKind.ENTERPRISE, code=uscc, name_zh=name or f"企业{uscc[-4:]}"
        )
    return services.enterprise_create(
        district=district,
        uscc=uscc,
        name_zh=name or f"企业{uscc[-6:]}",
        organisation=org,
        founded_on=founded_on,
        by=by,
        **profile,
    )
