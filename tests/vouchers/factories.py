"""Building a small alliance for the voucher tests: regions, their staff, enterprises,
admitted institutions, programmes, granted quotas and confirmed orders, through the services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from nengji.accounts.models import User
from nengji.core.models import Organisation
from nengji.registry.models import Enterprise
from nengji.registry.uscc import uscc_check_character
from nengji.vouchers import services as s
from nengji.vouchers.models import Institution, Order, Programme, Quota

DAY = dt.date(2025, 2, 10)
_seq = itertools.count(1)


def uscc() -> str:
    first = f"91310110MA1{next(_seq):06d}"
    return first + uscc_check_character(first)


def region(code: str, name: str) -> Organisation:
    return Organisation.objects.get_or_create(
        kind="region", code=code, parent=None, defaults={"name_zh": name}
    )[0]


def user(role: str, org: Organisation | None = None, name: str | None = None) -> User:
    n = name or f"{role}{next(_seq)}"
    return User.objects.create_user(username=n, password="pw", role=role, organisation=org)


def enterprise(reg: Organisation, name: str = "测试企业") -> tuple[Enterprise, User]:
    code = uscc()
    org = Organisation.objects.create(kind="enterprise", code=code, name_zh=name)
    ent = Enterprise.objects.create(uscc=code, name_zh=name, district=reg, organisation=org)
    return ent, user("enterprise", org)


def institution(
    reg: Organisation, staff: User, categories: tuple[str, ...] = ("testing", "rd"), **kw: Any
) -> tuple[Institution, User]:
    code = uscc()
    org = Organisation.objects.create(kind="provider", code=code, name_zh=kw.get("name", "检测所"))
    member = user("provider", org)
    inst = s.institution_apply(
        organisation=org,
        region=reg,
        uscc=code,
        name=kw.get("name", "检测所"),
        legal_rep=kw.get("legal_rep", "王五"),
        address=kw.get("address", "某路1号"),
        phone=kw.get("phone", "021-1234"),
        categories=list(categories),
        self_evaluation="具备 CMA 资质",
        by=member,
    )
    s.institution_credit_check(institution=inst, passed=True, note="无不良记录", by=staff)
    s.institution_notice_start(institution=inst, by=staff, today=DAY - dt.timedelta(days=30))
    inst = s.institution_admit(institution=inst, by=staff, today=DAY - dt.timedelta(days=20))
    return inst, member


def programme(
    reg: Organisation, staff: User, partners: dict[Organisation, str] | None = None, **kw: Any
) -> Programme:
    return s.programme_create(
        region=reg,
        year=kw.get("year", 2025),
        name=f"{reg.name_zh} {kw.get('year', 2025)} 科技创新券",
        budget_fen=kw.get("budget_fen", 100_000_000),
        enterprise_cap_fen=kw.get("cap", 50_000_000),
        team_cap_fen=min(10_000_000, kw.get("budget_fen", 100_000_000)),
        coverage=kw.get("coverage", "0.5"),
        categories=["testing", "rd", "design"],
        applicant_kinds=["sme", "team"],
        valid_from=dt.date(kw.get("year", 2025), 1, 1),
        valid_until=dt.date(kw.get("year", 2025), 12, 31),
        partners=partners or {},
        by=staff,
    )


def granted_quota(
    prog: Programme,
    ent: Enterprise,
    ent_user: User,
    reviewer: User,
    decider: User,
    amount: int = 1_000_000,
    day: dt.date = DAY,
) -> Quota:
    q = s.quota_apply(
        programme=prog,
        enterprise=ent,
        applicant_kind="sme",
        requested_fen=amount,
        legal_rep="张三",
        address="国权路1号",
        phone="021-5555",
        by=ent_user,
        today=day,
    )
    q = s.quota_review(quota=q, approve=True, by=reviewer)
    return s.quota_decide(quota=q, approve=True, by=decider)


def confirmed_order(
    quota: Quota,
    ent_user: User,
    inst: Institution,
    inst_user: User,
    voucher: int = 100_000,
    key: str | None = None,
    day: dt.date = DAY,
) -> Order:
    o = s.order_place(
        quota=quota,
        institution=inst,
        category="testing",
        contract_fen=voucher * 2,
        voucher_fen=voucher,
        starts_on=day,
        ends_on=day + dt.timedelta(days=30),
        by=ent_user,
        today=day,
        idempotency_key=key,
    )
    o = s.order_accept(order=o, by=inst_user)
    o = s.order_deliver(order=o, evidence="检测报告 No.1", by=inst_user)
    return s.order_confirm(order=o, by=ent_user)


class Alliance:
    """Two regions (A issues, B serves), two staff each, an enterprise of A, an institution of
    B (partner, bearing 20 %) and one of A."""

    def __init__(self, day: dt.date = DAY) -> None:
        self.day = day
        self.a = region("T-A", "甲区")
        self.b = region("T-B", "乙区")
        self.a1, self.a2 = user("region", self.a), user("region", self.a)
        self.b1, self.b2 = user("region", self.b), user("region", self.b)
        self.office = user("office")
        self.prog = programme(self.a, self.a1, partners={self.b: "0.2"}, year=day.year)
        self.ent, self.ent_user = enterprise(self.a)
        self.inst_b, self.inst_b_user = institution(self.b, self.b1, name="乙检测")
        self.inst_a, self.inst_a_user = institution(self.a, self.a1, name="甲检测")
        self.quota = granted_quota(self.prog, self.ent, self.ent_user, self.a1, self.a2, day=day)
