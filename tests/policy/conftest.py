from __future__ import annotations

import itertools
from typing import Any

import pytest

from nengji.accounts.models import User
from nengji.core.models import Organisation
from nengji.core.roles import OrgKind
from nengji.policy import services
from nengji.registry.models import Enterprise
from nengji.registry.uscc import uscc_check_character

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def fast_passwords(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def uscc(n: int) -> str:
    first17 = f"91310110MA1F{n:05d}"
    return first17 + uscc_check_character(first17)


def enterprise(
    plan: Any, *, name: str | None = None, with_user: bool = True
) -> tuple[Enterprise, User | None]:
    n = next(_seq)
    code = uscc(n)
    org = Organisation.objects.create(
        kind=OrgKind.ENTERPRISE, code=code, name_zh=name or f"测试企业{n}"
    )
    e = Enterprise.objects.create(
        uscc=code, name_zh=org.name_zh, district=plan.district, organisation=org
    )
    user = None
    if with_user:
        user = User.objects.create_user(
            username=f"ent{n}", password=f"pw-ent{n}", role="enterprise", organisation=org
        )
    return e, user


def bank(name: str = "测试银行") -> tuple[Organisation, User]:
    n = next(_seq)
    org = Organisation.objects.create(kind=OrgKind.BANK, code=f"BANK{n}", name_zh=f"{name}{n}")
    user = User.objects.create_user(
        username=f"bank{n}", password=f"pw-bank{n}", role="bank", organisation=org
    )
    return org, user


@pytest.fixture
def office(db):  # type: ignore[no-untyped-def]
    return User.objects.create_user(username=f"office{next(_seq)}", password="pw", role="office")


def figures(e: Enterprise, by: Any, *, year: int = 2025, **values: Any) -> None:
    """Record the enterprise's figures through the registry's service (amounts in 万元)."""
    from nengji.registry.services import figures_record

    base = {
        "employees": 100,
        "st_staff": 40,
        "revenue": "2000",
        "rd_domestic": "150",
        "rd_foreign": "0",
    }
    figures_record(enterprise=e, year=year, values={**base, **values}, by=by)


def designate(e: Enterprise, by: Any, kind: str, *, number: str | None = None) -> None:
    import datetime as dt

    from nengji.registry.services import designation_grant

    designation_grant(
        enterprise=e,
        kind=kind,
        granted_on=dt.date(2025, 11, 1),
        number=number or f"{kind}-{e.pk}",
        by=by,
    )


# the risk pool (tests/policy/test_finance.py, test_pool_pages.py)


@pytest.fixture
def pool(plan, office):  # type: ignore[no-untyped-def]
    p = services.pool_create(
        plan=plan,
        code="T-POOL",
        name_zh="测试资金池",
        ratio="0.50",
        first_loan_bonus="0.05",
        cap_per_enterprise="600000",
        cap_per_bank="1000000",
        max_loan="3000000",
        max_term_months=36,
        by=office,
    )
    services.pool_contribute(pool=p, amount="2000000", reference="区财政拨款", by=office)
    return p


@pytest.fixture
def admitted(pool, office):  # type: ignore[no-untyped-def]
    org, user = bank()
    services.pool_bank_admit(pool=pool, bank=org, products=["科技信用贷"], by=office)
    return org, user
