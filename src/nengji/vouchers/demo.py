"""Flagged demo data of the voucher alliance (演示数据), from a plan's demo folder
(`data/demo/<code>/vouchers.yaml`): four regions with programmes, admitted institutions and
their products, enterprises with granted quotas, orders at every stage, paid claims in both
modes, and the two quarters before the current one closed, with their statements.

Everything is written through the services (so the audit log, the ledger and the clearing are
what real use would leave), dated in the past with the services' ``today``; every row is
flagged ``is_demo``. Idempotent: a second run finds the demo programmes and stops.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from nengji.accounts.demo import demo_login_ensure
from nengji.accounts.models import User
from nengji.core.models import Organisation
from nengji.registry.models import Enterprise
from nengji.registry.uscc import uscc_check_character
from nengji.vouchers import services as s
from nengji.vouchers.models import ClearingPeriod, Institution, Mode, Order, Programme, Quota
from nengji.vouchers.money import floor_share
from nengji.vouchers.selectors import quota_balance
from nengji.vouchers.services.periods import period_bounds, period_code

DEMO_FILE = "vouchers.yaml"
YUAN = 100  # 分 per 元
LEGAL_REPS = ["陈立", "周敏", "吴海", "郑洁", "王磊", "李娜", "刘洋", "孙浩", "赵颖", "钱程"]


def _quarter_start(day: dt.date) -> dt.date:
    return period_bounds(period_code(day))[0]


def _uscc(region_code: str, n: int) -> str:
    first = f"91{region_code}MA{n:07d}"
    return first + uscc_check_character(first)


def _org(kind: str, code: str, name: str, name_en: str = "") -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        kind=kind,
        code=code,
        parent=None,
        defaults={"name_zh": name, "name_en": name_en, "is_demo": True},
    )
    return org


def demo_vouchers_ensure(*, plan: Any, demo_dir: Path, data_dir: Path) -> None:
    """Create the demo alliance, once."""
    path = demo_dir / DEMO_FILE
    if not path.is_file() or Programme.objects.filter(is_demo=True).exists():
        return
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    with transaction.atomic():
        _build(plan=plan, data=data, data_dir=data_dir)


def _build(*, plan: Any, data: dict[str, Any], data_dir: Path) -> None:
    rng = random.Random(20250101)  # noqa: S311 - demo data, reproducible
    today = timezone.localdate()
    current = _quarter_start(today)
    q_minus_1 = _quarter_start(current - dt.timedelta(days=1))
    q_minus_2 = _quarter_start(q_minus_1 - dt.timedelta(days=1))
    years = sorted({q_minus_2.year, today.year})
    office = User.objects.filter(role="office").order_by("pk").first()
    regions: dict[str, dict[str, Any]] = {}

    # regions, their staff, enterprises and institutions
    for n_region, r in enumerate(data["regions"]):
        if r.get("district"):
            org = plan.district
        else:
            org = _org("region", r["code"], r["name_zh"], r.get("name_en", ""))
        staff = [
            User.objects.get(
                username=demo_login_ensure(
                    data_dir=data_dir,
                    username=f"vouchers_{r['short']}{i}",
                    role="region",
                    organisation=org,
                    display_name=f"{r['name_zh']}创新券办公室（演示）",
                ).username
            )
            for i in (1, 2)
        ]
        ents = []
        for i, name in enumerate(r["enterprises"]):
            code = _uscc(r["code"], n_region * 100 + i + 1)
            ent_org = _org("enterprise", code, name)
            ent, _ = Enterprise.objects.get_or_create(
                uscc=code,
                defaults={
                    "name_zh": name,
                    "district": org,
                    "organisation": ent_org,
                    "is_demo": True,
                },
            )
            login = (
                demo_login_ensure(
                    data_dir=data_dir,
                    username=f"ent_{r['short']}{i + 1}",
                    role="enterprise",
                    organisation=ent_org,
                    display_name=f"{name}（演示）",
                )
                if i == 0
                else None
            )
            user = User.objects.get(username=login.username) if login else None
            ents.append((ent, user))
        insts = []
        for i, spec in enumerate(r["institutions"]):
            code = _uscc(r["code"], n_region * 100 + 50 + i)
            inst_org = _org("provider", code, spec["name"])
            login = demo_login_ensure(
                data_dir=data_dir,
                username=f"inst_{r['short']}{i + 1}",
                role="provider",
                organisation=inst_org,
                display_name=f"{spec['name']}（演示）",
            )
            inst_user = User.objects.get(username=login.username)
            inst = s.institution_apply(
                organisation=inst_org,
                region=org,
                uscc=code,
                name=spec["name"],
                legal_rep=LEGAL_REPS[(n_region * 3 + i) % len(LEGAL_REPS)],
                address=f"{r['name_zh']}科创路{10 + i}号",
                phone=f"0{n_region + 1}00-6{i}00{n_region}",
                categories=spec["categories"],
                self_evaluation="具备相关资质，近三年服务企业百家以上（演示数据）。",
                by=inst_user,
                is_demo=True,
            )
            s.institution_credit_check(
                institution=inst, passed=True, note="信用中国查询无不良记录（演示）", by=staff[0]
            )
            s.institution_notice_start(
                institution=inst, by=staff[0], today=q_minus_2 - dt.timedelta(days=40)
            )
            inst = s.institution_admit(
                institution=inst, by=staff[1], today=q_minus_2 - dt.timedelta(days=30)
            )
            for cat in spec["categories"]:
                for pname in data["products"].get(cat, [])[:2]:
                    s.product_publish(
                        institution=inst,
                        category=cat,
                        name=pname,
                        price_fen=rng.choice([2, 3, 5, 8, 12, 20]) * 10_000 * YUAN,
                        by=inst_user,
                        is_demo=True,
                    )
            insts.append((inst, inst_user))
        regions[r["code"]] = {"spec": r, "org": org, "staff": staff, "ents": ents, "insts": insts}

    by_code = {code: v["org"] for code, v in regions.items()}
    # programmes for every year the demo covers
    programmes: dict[tuple[str, int], Programme] = {}
    for code, v in regions.items():
        r = v["spec"]
        for year in years:
            programmes[(code, year)] = s.programme_create(
                region=v["org"],
                year=year,
                name=f"{r['name_zh']}{year}年科技创新券",
                budget_fen=r["budget"] * YUAN,
                enterprise_cap_fen=500_000 * YUAN,
                team_cap_fen=100_000 * YUAN,
                coverage=r["coverage"],
                categories=["testing", "rd", "design", "ip", "consulting", "transfer", "computing"],
                applicant_kinds=["sme", "team"],
                valid_from=dt.date(year, 1, 1),
                valid_until=dt.date(year, 12, 31),
                partners={by_code[p]: share for p, share in r["partners"].items()},
                by=v["staff"][0],
                is_demo=True,
            )

    # quotas: every enterprise, every year, reviewed by one person and granted by another
    quotas: dict[tuple[str, int, int], Quota] = {}
    all_insts = [(i, u) for v in regions.values() for i, u in v["insts"]]
    for code, v in regions.items():
        for year in years:
            applied_on = min(dt.date(year, 1, 8), today)
            for n, (ent, _user) in enumerate(v["ents"]):
                # one enterprise declares the legal representative of an institution
                # (a related party, for the risk rule to show)
                rep = (
                    all_insts[0][0].legal_rep
                    if (code, n) == ("320412", 1)
                    else (LEGAL_REPS[(n + 5) % len(LEGAL_REPS)] + "某")
                )
                q = s.quota_apply(
                    programme=programmes[(code, year)],
                    enterprise=ent,
                    applicant_kind="sme",
                    requested_fen=rng.choice([20, 30, 40, 50]) * 10_000 * YUAN,
                    legal_rep=rep,
                    address=f"{v['spec']['name_zh']}创业路{n + 1}号",
                    phone=f"1380000{n:02d}{len(code)}",
                    purpose="检测、研发与设计服务（演示）",
                    by=None,
                    today=applied_on,
                    is_demo=True,
                )
                q = s.quota_review(quota=q, approve=True, by=v["staff"][0])
                quotas[(code, year, n)] = s.quota_decide(quota=q, approve=True, by=v["staff"][1])

    # orders across the two past quarters and the current one
    for code, v in regions.items():
        programme_partners = set(v["spec"]["partners"]) | {code}
        usable = [(i, u) for i, u in all_insts if i.region.code in programme_partners]
        for n, (ent, _user) in enumerate(v["ents"]):
            for k in range(3):
                start = (q_minus_2, q_minus_1, current)[k]
                placed = start + dt.timedelta(days=rng.randint(3, 40))
                if placed > today:
                    placed = today
                quota = quotas[(code, placed.year, n)]
                inst, inst_user = usable[(n + k + rng.randint(0, 5)) % len(usable)]
                cats = [c for c in inst.categories if c in quota.programme.categories]
                cat = cats[rng.randrange(len(cats))]
                contract = rng.choice([6, 8, 10, 12, 16, 20, 30]) * 10_000 * YUAN
                voucher = min(
                    floor_share(contract, quota.programme.coverage),
                    quota_balance(quota=quota).available,
                )
                if voucher <= 0:
                    continue
                ent_user = _enterprise_user(data_dir, ent)
                order = s.order_place(
                    quota=quota,
                    institution=inst,
                    category=cat,
                    contract_fen=contract,
                    voucher_fen=voucher,
                    starts_on=placed,
                    ends_on=placed + dt.timedelta(days=30),
                    by=ent_user,
                    today=placed,
                    is_demo=True,
                )
                stage = 6 if k < 2 else rng.randint(0, 5)
                _advance(
                    order,
                    stage,
                    ent_user,
                    inst_user,
                    v["staff"],
                    regions,
                    placed,
                    today,
                    is_demo=True,
                )

    # close the two past quarters; every region confirms the older one
    if office is not None:
        for start in (q_minus_2, q_minus_1):
            period = ClearingPeriod.objects.filter(code=period_code(start)).first()
            if period is None:
                continue
            s.period_close(period=period, by=office, today=today)
            if start == q_minus_2:
                for st in period.statements.select_related("region"):
                    confirmers: list[User] = next(
                        (v["staff"] for v in regions.values() if v["org"].pk == st.region_id), []
                    )
                    if confirmers:
                        s.statement_confirm(statement=st, by=confirmers[1])


def _enterprise_user(data_dir: Path, ent: Enterprise) -> User:
    """The enterprise's demo login (every demo enterprise gets one when it first orders)."""
    user = User.objects.filter(organisation=ent.organisation).first()
    if user is not None:
        return user
    login = demo_login_ensure(
        data_dir=data_dir,
        username=f"ent_{ent.uscc[-6:].lower()}",
        role="enterprise",
        organisation=ent.organisation,
        display_name=f"{ent.name_zh}（演示）",
    )
    return User.objects.get(username=login.username)


def _advance(
    order: Order,
    stage: int,
    ent_user: User,
    inst_user: User,
    issuer_staff: list[User],
    regions: dict[str, dict[str, Any]],
    placed: dt.date,
    today: dt.date,
    *,
    is_demo: bool,
) -> None:
    """Take an order through `stage` steps: accept, deliver, confirm, claim, review+decide, pay."""
    if stage < 1:
        return
    order = s.order_accept(order=order, by=inst_user)
    if stage < 2:
        return
    order = s.order_deliver(
        order=order, evidence=f"服务报告 {placed:%Y%m}-{order.pk:04d}（演示）", by=inst_user
    )
    if stage < 3:
        return
    order = s.order_confirm(order=order, by=ent_user)
    if stage < 4:
        return
    tongdui = order.pk % 2 == 0
    claim = s.claim_submit(
        order=order,
        mode=Mode.TONGDUI if tongdui else Mode.TONGYONG,
        amount_fen=order.voucher_fen,
        invoice_no=f"DEMO{placed:%y}{order.pk:06d}",
        by=inst_user if tongdui else ent_user,
        is_demo=is_demo,
    )
    if stage < 5:
        return
    claim = s.claim_review(claim=claim, approve=True, by=issuer_staff[0])
    claim = s.claim_decide(claim=claim, approve=True, by=issuer_staff[1])
    if stage < 6:
        return
    service_code = Institution.objects.get(pk=order.institution_id).region.code
    payer_staff = regions[service_code]["staff"] if tongdui else issuer_staff
    paid_on = min(placed + dt.timedelta(days=35), _quarter_end(placed), today)
    s.claim_pay(
        claim=claim,
        amount_fen=claim.amount_fen,
        paid_on=paid_on,
        reference=f"ZF{paid_on:%Y%m%d}{claim.pk:05d}",
        by=payer_staff[0],
        today=today,
    )


def _quarter_end(day: dt.date) -> dt.date:
    return period_bounds(period_code(day))[1]
