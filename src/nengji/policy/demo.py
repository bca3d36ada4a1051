"""Flagged demo data of the policy app, from ``data/demo/<plan>/policy.yaml``: demo enterprises
(through the registry's services), their logins and a demo bank, then the story: an application
paid, a 免申即享 list approved, a loan defaulted and compensated from the risk pool.
Idempotent: a second run finds what the first made."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from nengji.accounts.demo import demo_login_ensure
from nengji.accounts.models import User
from nengji.core.models import Organisation
from nengji.core.roles import OrgKind, Role
from nengji.policy import services
from nengji.policy.models import Application, Claim, Loan, PolicyItem, RiskPool
from nengji.registry.models import Enterprise
from nengji.registry.services import designation_grant, enterprise_create, figures_record

DEMO_FILE = "policy.yaml"


def _enterprise(row: dict[str, Any], *, plan: Any, by: Any, data_dir: Path) -> Enterprise:
    found = Enterprise.objects.filter(uscc=row["uscc"]).first()
    if found is None:
        org, _ = Organisation.objects.get_or_create(
            kind=OrgKind.ENTERPRISE,
            code=row["uscc"],
            parent=None,
            defaults={"name_zh": row["name_zh"], "is_demo": True},
        )
        found = enterprise_create(
            district=plan.district,
            uscc=row["uscc"],
            name_zh=row["name_zh"],
            organisation=org,
            founded_on=row.get("founded_on"),
            industry=row.get("industry", ""),
            by=by,
            is_demo=True,
        )
        if row.get("figures"):
            values = dict(row["figures"])
            year = values.pop("year")
            figures_record(enterprise=found, year=year, values=values, by=by, is_demo=True)
        for kind in row.get("designations", ()):
            designation_grant(
                enterprise=found,
                kind=kind,
                granted_on=dt.date(2025, 6, 1),
                number=f"演示-{kind}-{row['uscc'][-4:]}",
                by=by,
                is_demo=True,
            )
    if row.get("login") and found.organisation is not None:
        demo_login_ensure(
            data_dir=data_dir,
            username=row["login"],
            role=Role.ENTERPRISE,
            organisation=found.organisation,
            display_name=f"{found.name_zh}（演示）",
        )
    return found


@transaction.atomic
def demo_policy_ensure(*, plan: Any, demo_dir: Path, data_dir: Path, full: bool) -> None:
    path = demo_dir / DEMO_FILE
    office = User.objects.filter(role=Role.OFFICE).order_by("pk").first()
    if not path.is_file() or office is None:
        return
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    enterprises = {
        row["uscc"]: _enterprise(row, plan=plan, by=office, data_dir=data_dir)
        for row in config.get("enterprises", ())
    }
    b = config.get("bank")
    bank = None
    if b:
        bank, _ = Organisation.objects.get_or_create(
            kind=OrgKind.BANK,
            code=b["code"],
            parent=None,
            defaults={"name_zh": b["name_zh"], "is_demo": True},
        )
        demo_login_ensure(
            data_dir=data_dir,
            username=b["login"],
            role=Role.BANK,
            organisation=bank,
            display_name=f"{b['name_zh']}（演示）",
        )
    story = config.get("story") or {}
    if not full or not story:
        return
    _story(
        plan=plan,
        story=story,
        enterprises=enterprises,
        bank=bank,
        bank_config=b or {},
        office=office,
    )


def _story(
    *,
    plan: Any,
    story: dict[str, Any],
    enterprises: dict[str, Enterprise],
    bank: Any,
    bank_config: dict[str, Any],
    office: Any,
) -> None:
    paid = story.get("paid_application")
    if paid:
        e = enterprises[paid["enterprise"]]
        item = PolicyItem.objects.get(plan=plan, code=paid["item"])
        if not Application.objects.filter(item=item, enterprise=e).exists():
            user = User.objects.filter(organisation=e.organisation, role=Role.ENTERPRISE).first()
            day = item.opens or dt.date(2026, 1, 1)
            app = services.application_create(
                item=item, enterprise=e, period=item.period, by=user, today=day
            )
            app = services.application_submit(application=app, by=user, today=day)
            app = services.application_decide(
                application=app, action="approve", awarded=paid["awarded"], by=office
            )
            services.payment_record(
                application=app, paid_on=day, reference=paid["reference"], by=office
            )
    grant = story.get("auto_grant")
    if grant:
        from nengji.policy.services.applications import auto_grant_candidates

        item = PolicyItem.objects.get(plan=plan, code=grant["item"])
        ids = [c.enterprise.pk for c in auto_grant_candidates(item=item) if c.enterprise.is_demo]
        services.auto_grant_approve(
            item=item, period=grant["period"], enterprise_ids=ids, by=office
        )
    p = story.get("pool")
    loan_cfg = story.get("loan")
    if p and loan_cfg and bank is not None:
        pool = RiskPool.objects.get(plan=plan, code=p["code"])
        if not pool.ledger.exists():
            services.pool_contribute(
                pool=pool, amount=p["contribution"], reference="演示注资", by=office
            )
        services.pool_bank_admit(
            pool=pool, bank=bank, products=bank_config.get("products", []), by=office
        )
        if not Loan.objects.filter(bank=bank, contract_no=loan_cfg["contract_no"]).exists():
            banker = User.objects.filter(organisation=bank, role=Role.BANK).first()
            loan = services.loan_register(
                pool=pool,
                bank=bank,
                product=loan_cfg["product"],
                enterprise=enterprises[loan_cfg["enterprise"]],
                contract_no=loan_cfg["contract_no"],
                amount=loan_cfg["amount"],
                term_months=loan_cfg["term_months"],
                rate=loan_cfg["rate"],
                guarantee=loan_cfg["guarantee"],
                start_on=loan_cfg["start_on"],
                first_loan=loan_cfg.get("first_loan", False),
                by=banker,
            )
            claim: Claim = services.claim_submit(loan=loan, loss=loan_cfg["loss"], by=banker)
            services.claim_decide(claim=claim, action="approve", by=office)
            services.claim_pay(claim=claim, by=office)
