"""Reads of the policy app for pages, the API and the CLI."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet, Sum

from nengji.plan.models import Plan
from nengji.policy.models import (
    Application,
    Claim,
    Loan,
    Notice,
    Payment,
    PolicyDocument,
    PolicyGroup,
    PolicyItem,
    Programme,
    RiskPool,
)
from nengji.registry.models import Enterprise
from nengji.registry.uscc import uscc_normalise


def enterprise_by_code(code: str) -> Enterprise | None:
    return (
        Enterprise.objects.filter(uscc=uscc_normalise(code)).select_related("organisation").first()
    )


def enterprise_of_user(user: Any) -> Enterprise | None:
    org_id = getattr(user, "organisation_id", None)
    if org_id is None:
        return None
    return Enterprise.objects.filter(organisation_id=org_id).first()


def catalogue_tree(plan: Plan) -> list[tuple[PolicyGroup, list[PolicyItem]]]:
    """The 1+6+4 groups in order, each with its published items."""
    items = (
        PolicyItem.objects.filter(plan=plan, status=PolicyItem.Status.PUBLISHED)
        .select_related("document")
        .order_by("code")
    )
    by_group: dict[int, list[PolicyItem]] = {}
    for item in items:
        by_group.setdefault(item.group_id, []).append(item)
    return [(g, by_group.get(g.pk, [])) for g in PolicyGroup.objects.filter(plan=plan)]


def documents(plan: Plan) -> QuerySet[PolicyDocument]:
    return PolicyDocument.objects.filter(plan=plan).annotate(n_items=Count("items"))


def item_get(plan: Plan, code: str) -> PolicyItem | None:
    return (
        PolicyItem.objects.filter(plan=plan, code=code).select_related("document", "group").first()
    )


def applications(
    *, plan: Plan, enterprise: Enterprise | None = None, status: str | None = None
) -> QuerySet[Application]:
    qs = Application.objects.filter(item__plan=plan).select_related("item", "enterprise")
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    if status:
        qs = qs.filter(status=status)
    return qs


def notices_of(enterprise: Enterprise) -> QuerySet[Notice]:
    return Notice.objects.filter(enterprise=enterprise).select_related("item")


def pools(plan: Plan) -> QuerySet[RiskPool]:
    return RiskPool.objects.filter(plan=plan).order_by("code")


def programmes(plan: Plan) -> QuerySet[Programme]:
    return Programme.objects.filter(plan=plan).annotate(
        n_uses=Count("uses"), used=Sum("uses__amount")
    )


def loans(pool: RiskPool, *, bank_id: int | None = None) -> QuerySet[Loan]:
    qs = (
        Loan.objects.filter(pool=pool)
        .select_related("enterprise", "bank")
        .order_by("-start_on", "-id")
    )
    return qs.filter(bank_id=bank_id) if bank_id is not None else qs


def claims(pool: RiskPool, *, bank_id: int | None = None) -> QuerySet[Claim]:
    qs = Claim.objects.filter(loan__pool=pool).select_related("loan__enterprise", "loan__bank")
    return qs.filter(loan__bank_id=bank_id) if bank_id is not None else qs


def disbursed(plan: Plan) -> dict[str, Any]:
    """Policy funds paid: count and total."""
    agg = Payment.objects.filter(item__plan=plan).aggregate(n=Count("id"), total=Sum("amount"))
    return {"payments": agg["n"] or 0, "total": agg["total"] or 0}
