"""Organisations, users and a registered achievement for the techrights tests."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from nengji.accounts.models import User
from nengji.core.models import Organisation
from nengji.core.roles import OrgKind, Role
from nengji.techrights import services
from nengji.techrights.models import Achievement

_seq = itertools.count(1)
DAY = dt.date(2025, 3, 3)


def org(kind: str = OrgKind.UNIVERSITY, name: str | None = None) -> Organisation:
    n = next(_seq)
    return Organisation.objects.create(kind=kind, code=f"T{n:04d}", name_zh=name or f"测试单位{n}")


def user(role: str = Role.EXCHANGE, organisation: Organisation | None = None) -> User:
    n = next(_seq)
    if organisation is None and role == Role.EXCHANGE:
        organisation = org(OrgKind.EXCHANGE, "测试技术交易所")
    # no password: hashing one costs a second per user on a busy machine, and no test logs in
    return User.objects.create(username=f"tr{n}", role=role, organisation=organisation)


def achievement(
    *,
    institution: Organisation | None = None,
    owners: list[tuple[Organisation, Any]] | None = None,
    by: Any = None,
    identifier: str | None = None,
    on: dt.date = DAY,
) -> Achievement:
    institution = institution or org()
    by = by or user(Role.UNIVERSITY, institution)
    return services.achievement_register(
        institution=institution,
        kind="patent",
        title="一种锂电池隔膜的制备方法",
        identifier=identifier or f"ZL20251{next(_seq):07d}.X",
        is_service_invention=True,
        inventors=["张三", "李四", "王五"],
        owners=owners or [(institution, "100")],
        registered_on=on,
        by=by,
    )


CONTRACT_TEXT = (
    "技术开发（委托）合同。第一条 项目名称与技术目标：甲方委托乙方研究开发锂电池隔膜涂覆工艺，"
    "形成可量产的工艺包。第二条 研究开发计划：分三阶段实施，各阶段成果以书面报告交付。"
    "第三条 研究开发经费及支付方式：合同总价款如下文所列，按阶段付款。第四条 技术成果归属："
    "研发形成的专利申请权归甲方所有，乙方享有署名权。第五条 验收标准和方法：由双方共同组织验收。"
    "第六条 违约责任：任何一方违约应当承担相应责任。第七条 争议解决：提交上海仲裁委员会仲裁。"
)
