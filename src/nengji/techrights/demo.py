"""The flagged demo story of the technology-rights register, read from the plan's demo folder
(``techrights.yaml``): two universities' achievements, a transaction in every mode, a pledge,
an income distribution, contracts in every state of registration, and their certificates.

Everything goes through the services (so the demo obeys the same rules and issues real
signatures) as the demo users of the file; it runs once per database (a second call finds the
demo achievements and does nothing).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from nengji.core.models import Organisation
from nengji.techrights import keys as keystore
from nengji.techrights import services
from nengji.techrights.models import Achievement, RightEntry, TechContract

FILE = "techrights.yaml"


def contract_text(c: dict[str, Any], seller: Organisation) -> str:
    """A complete (demo) contract text with the statutory parts of a technology contract."""
    return (
        f"【演示数据】{c['title']}\n"
        f"卖方（受托方/让与方/许可方）：{seller.name_zh}\n买方：{c['buyer']}\n"
        "第一条 项目名称、标的技术的内容、范围和要求：见本合同附件一技术方案，双方确认其为本合同的"
        "组成部分。\n"
        f"第二条 履行期限、地点和方式：自{c['starts_on']}起至{c['ends_on']}止，"
        "在双方约定的地点履行，按附件二计划分阶段交付。\n"
        "第三条 技术情报和资料的保密：双方对履行中知悉的技术秘密负有保密义务，"
        "期限至合同终止后五年。\n"
        "第四条 风险责任的承担：因现有技术水平无法克服的风险导致失败的，双方协商分担损失。\n"
        "第五条 技术成果的归属和收益的分成办法：按双方在附件三中的约定执行。\n"
        "第六条 验收标准和方法：由买方组织专家按附件一指标验收。\n"
        f"第七条 价款、报酬或者使用费及其支付方式：合同总价款人民币{c['contract_amount']}元，"
        f"其中技术交易额{c['tech_amount']}元，按阶段支付。\n"
        "第八条 违约金或者损失赔偿的计算方法：违约方按未履行部分价款的百分之二十支付违约金。\n"
        "第九条 解决争议的方法：协商不成的，提交上海仲裁委员会仲裁。\n"
        "第十条 名词和术语的解释：见附件四。\n"
        f"签订日期：{c['signed_on']}。"
    )


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@transaction.atomic
def demo_techrights_ensure(*, demo_dir: Path, data_dir: Path) -> bool:
    """Create the demo story if the plan's demo folder has one and it is not there yet."""
    path = demo_dir / FILE
    if not path.exists():
        return False
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    if Achievement.objects.filter(is_demo=True).exists():
        return False
    from nengji.accounts.demo import demo_login_ensure
    from nengji.accounts.models import User

    if keystore.issuer_name() == keystore.DEFAULT_ISSUER and config.get("issuer"):
        keystore.issuer_set(name=str(config["issuer"]))
    orgs: dict[str, Organisation] = {}
    for key, o in config["organisations"].items():
        orgs[key], _ = Organisation.objects.get_or_create(
            kind=o["kind"],
            code=o["code"],
            parent=None,
            defaults={"name_zh": o["name_zh"], "name_en": o.get("name_en", ""), "is_demo": True},
        )
    users: dict[str, Any] = {}
    for u in config["users"]:
        org = orgs[u["organisation"]] if u.get("organisation") else None
        demo_login_ensure(
            data_dir=data_dir,
            username=u["username"],
            role=u["role"],
            organisation=org,
            display_name=u["display_name"],
        )
        user = User.objects.get(username=u["username"])
        users[u["role"] + ":" + (u.get("organisation") or "")] = user
    registrar = next(v for k, v in users.items() if k.startswith("office:"))
    exchange = next(v for k, v in users.items() if k.startswith("exchange:"))

    def tto(org_key: str) -> Any:
        return users[f"university:{org_key}"]

    achievements: dict[str, Achievement] = {}
    for key, a in config["achievements"].items():
        achievements[key] = services.achievement_register(
            institution=orgs[a["institution"]],
            kind=a["kind"],
            title=a["title"],
            identifier=a["identifier"],
            is_service_invention=a["service_invention"],
            inventors=a["inventors"],
            owners=[(orgs[k], str(v)) for k, v in a["owners"].items()],
            registered_on=_date(a["registered_on"]),
            by=tto(a["institution"]),
            is_demo=True,
        )
        for e in a.get("events", []):
            services.event_add(
                achievement=achievements[key],
                stage=e["stage"],
                on=_date(e["date"]),
                note=e.get("note", ""),
                by=tto(a["institution"]),
            )
    for t in config["transactions"]:
        terms = {
            k: t[k] for k in ("share", "equity", "exclusive", "field_of_use", "territory") if k in t
        }
        for k in ("starts_on", "ends_on"):
            if k in t:
                terms[k] = _date(t[k])
        procedure = t.get("procedure")
        if procedure:
            procedure = {**procedure, "listed_on": _date(procedure["listed_on"])}
        services.transaction_register(
            reference=t["reference"],
            achievement=achievements[t["achievement"]],
            mode=t["mode"],
            method=t["method"],
            seller=orgs[t["seller"]],
            buyer=orgs[t["buyer"]],
            amount=str(t["amount"]),
            concluded_on=_date(t["concluded_on"]),
            procedure=procedure,
            by=exchange,
            **terms,
        )
    for p in config.get("pledges", []):
        services.pledge_register(
            achievement=achievements[p["achievement"]],
            pledgor=orgs[p["pledgor"]],
            pledgee=orgs[p["pledgee"]],
            amount=str(p["amount"]),
            starts_on=_date(p["starts_on"]),
            ends_on=_date(p["ends_on"]),
            by=exchange,
        )
    for d in config.get("distributions", []):
        a = achievements[d["achievement"]]
        services.income_distribute(
            achievement=a,
            income=str(d["income"]),
            inventors_percent=str(d["inventors_percent"]),
            rule=d["rule"],
            on=_date(d["date"]),
            by=tto(next(k for k, o in orgs.items() if o.pk == a.institution_id)),
        )
    for c in config.get("contracts", []):
        seller = orgs[c["seller"]]
        contract = services.contract_submit(
            seller=seller,
            buyer_name=c["buyer"],
            category=c["category"],
            title=c["title"],
            signed_on=_date(c["signed_on"]),
            starts_on=_date(c["starts_on"]),
            ends_on=_date(c["ends_on"]),
            contract_amount=str(c["contract_amount"]),
            tech_amount=str(c["tech_amount"]),
            text=contract_text(c, seller),
            submitted_on=_date(c["submitted_on"]),
            achievement=achievements.get(c.get("achievement", "")),
            by=tto(c["seller"]),
            is_demo=True,
        )
        if c.get("review"):
            services.contract_review_start(
                contract=contract, by=registrar, on=_date(c["submitted_on"])
            )
        decision = c.get("decide")
        if decision:
            services.contract_decide(
                contract=contract,
                register=decision["register"],
                note=decision.get("note", ""),
                on=_date(decision["date"]),
                by=registrar,
            )
    return True


def demo_counts() -> dict[str, int]:
    return {
        "achievements": Achievement.objects.filter(is_demo=True).count(),
        "entries": RightEntry.objects.filter(is_demo=True).count(),
        "contracts": TechContract.objects.filter(is_demo=True).count(),
    }
