"""Reads of the voucher domain. A quota's balance is always derived from its ledger."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum

from nengji.core.roles import Role, role_of
from nengji.vouchers.models import Claim, Institution, LedgerEntry, Order, Programme, Quota

K = LedgerEntry.Kind


@dataclass(frozen=True)
class Balance:
    """A quota's position, in 分, derived from its ledger entries."""

    granted: int = 0
    reserved: int = 0  # held by open orders and unpaid claims
    redeemed: int = 0
    voided: int = 0

    @property
    def available(self) -> int:
        return self.granted - self.voided - self.reserved - self.redeemed

    def as_dict(self) -> dict[str, int]:
        return {
            "granted": self.granted,
            "reserved": self.reserved,
            "redeemed": self.redeemed,
            "voided": self.voided,
            "available": self.available,
        }


def balance_from_sums(sums: dict[str, int]) -> Balance:
    g = sums.get(K.GRANT, 0)
    reserve, release = sums.get(K.RESERVE, 0), sums.get(K.RELEASE, 0)
    redeem, reverse, void = sums.get(K.REDEEM, 0), sums.get(K.REVERSE, 0), sums.get(K.VOID, 0)
    # a redemption consumes its reservation; a reversal moves a redeemed amount to voided
    return Balance(
        granted=g,
        reserved=reserve - release - redeem,
        redeemed=redeem - reverse,
        voided=void + reverse,
    )


def quota_balance(*, quota: Quota | int) -> Balance:
    """One query: the sums of the quota's ledger by kind (index on quota)."""
    quota_id = quota if isinstance(quota, int) else quota.pk
    rows = (
        LedgerEntry.objects.filter(quota_id=quota_id)
        .values("kind")
        .annotate(total=Sum("amount_fen"))
        .order_by()
    )
    return balance_from_sums({r["kind"]: int(r["total"]) for r in rows})


def quota_balances(*, quota_ids: list[int]) -> dict[int, Balance]:
    rows = (
        LedgerEntry.objects.filter(quota_id__in=quota_ids)
        .values("quota_id", "kind")
        .annotate(total=Sum("amount_fen"))
        .order_by()
    )
    sums: dict[int, dict[str, int]] = {q: {} for q in quota_ids}
    for r in rows:
        sums[r["quota_id"]][r["kind"]] = int(r["total"])
    return {q: balance_from_sums(s) for q, s in sums.items()}


def programme_granted_fen(*, programme: Programme) -> int:
    total = LedgerEntry.objects.filter(quota__programme=programme, kind=K.GRANT).aggregate(
        t=Sum("amount_fen")
    )["t"]
    return int(total or 0)


def quotas_visible(*, user: Any) -> QuerySet[Quota]:
    """The quotas a user may see: a region's staff its programmes', an enterprise its own."""
    qs = Quota.objects.select_related("programme__region", "enterprise")
    role = role_of(user)
    if getattr(user, "is_superuser", False) or role in (Role.OFFICE, Role.LEADER):
        return qs
    org: int = getattr(user, "organisation_id", None) or 0
    if role == Role.REGION:
        return qs.filter(programme__region_id=org)
    if role == Role.ENTERPRISE:
        return qs.filter(enterprise__organisation_id=org)
    return qs.none()


def orders_visible(*, user: Any) -> QuerySet[Order]:
    """A region sees its enterprises' orders wherever they are served and the orders its
    institutions serve; an enterprise its own; an institution those placed with it."""
    qs = Order.objects.select_related(
        "quota__programme__region", "quota__enterprise", "institution__region", "product"
    )
    role = role_of(user)
    if getattr(user, "is_superuser", False) or role in (Role.OFFICE, Role.LEADER):
        return qs
    org: int = getattr(user, "organisation_id", None) or 0
    if role == Role.REGION:
        return qs.filter(Q(quota__programme__region_id=org) | Q(institution__region_id=org))
    if role == Role.ENTERPRISE:
        return qs.filter(quota__enterprise__organisation_id=org)
    if role == Role.PROVIDER:
        return qs.filter(institution__organisation_id=org)
    return qs.none()


def claims_visible(*, user: Any) -> QuerySet[Claim]:
    qs = Claim.objects.select_related(
        "order__quota__enterprise", "order__institution", "issuing_region", "service_region"
    ).prefetch_related("flags")
    role = role_of(user)
    if getattr(user, "is_superuser", False) or role in (Role.OFFICE, Role.LEADER):
        return qs
    org: int = getattr(user, "organisation_id", None) or 0
    if role == Role.REGION:
        return qs.filter(Q(issuing_region_id=org) | Q(service_region_id=org))
    if role == Role.ENTERPRISE:
        return qs.filter(order__quota__enterprise__organisation_id=org)
    if role == Role.PROVIDER:
        return qs.filter(order__institution__organisation_id=org)
    return qs.none()


def institutions_admitted(*, region_ids: list[int] | None = None) -> QuerySet[Institution]:
    qs = Institution.objects.filter(state=Institution.State.ADMITTED).select_related("region")
    if region_ids is not None:
        qs = qs.filter(region_id__in=region_ids)
    return qs
