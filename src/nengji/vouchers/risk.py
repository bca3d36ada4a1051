"""Fraud and risk rules, run on every claim submitted; each flag carries its reason, shown to
the reviewers. Which rules run and their thresholds are data (`RiskRule` rows, editable in the
admin); a rule without a row runs with its default parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from nengji.vouchers.models import Claim, Order, RiskFlag, RiskRule
from nengji.vouchers.money import yuan

Code = RiskRule.Code

DEFAULTS: dict[str, dict[str, Any]] = {
    Code.RELATED_PARTY: {},
    Code.REPEATED_PAIR: {"min_orders": 3},
    Code.NEAR_CAP: {"within": "0.05"},
    Code.INVOICE_REUSED: {},
    Code.OUTSIDE_CATALOGUE: {},
    Code.PERIOD_END_BURST: {"days": 10, "min_orders": 3},
}


def _norm(s: str) -> str:
    return "".join(s.split()).lower()


def related_party(claim: Claim, order: Order, p: dict[str, Any]) -> str | None:
    quota, inst = order.quota, order.institution
    same = [
        label
        for label, a, b in (
            (_("legal representative"), quota.legal_rep, inst.legal_rep),
            (_("address"), quota.address, inst.address),
            (_("phone"), quota.phone, inst.phone),
        )
        if a and _norm(a) == _norm(b)
    ]
    if not same:
        return None
    return _("The enterprise and the institution share: %(what)s.") % {"what": "、".join(same)}


def repeated_pair(claim: Claim, order: Order, p: dict[str, Any]) -> str | None:
    n = (
        Order.objects.filter(
            quota__enterprise_id=order.quota.enterprise_id,
            institution_id=order.institution_id,
            quota__programme_id=order.quota.programme_id,
        )
        .exclude(state=Order.State.CANCELLED)
        .count()
    )
    if n < int(p.get("min_orders", 3)):
        return None
    return _("%(n)s orders between this enterprise and this institution in one programme.") % {
        "n": n
    }


def near_cap(claim: Claim, order: Order, p: dict[str, Any]) -> str | None:
    programme = order.quota.programme
    within = Decimal(str(p.get("within", "0.05")))
    for cap in {programme.cap_for(order.quota.applicant_kind), order.quota.granted_fen}:
        if cap and cap * (1 - within) <= claim.amount_fen < cap:
            return _("%(amount)s 元 is just under the cap of %(cap)s 元.") % {
                "amount": yuan(claim.amount_fen),
                "cap": yuan(cap),
            }
    return None


def invoice_reused(claim: Claim, order: Order, p: dict[str, Any]) -> str | None:
    others = Claim.objects.filter(invoice_no=claim.invoice_no).exclude(pk=claim.pk)
    if not others.exists():
        return None
    return _("Invoice %(no)s is also on claim(s) %(ids)s.") % {
        "no": claim.invoice_no,
        "ids": ", ".join(f"#{c}" for c in others.values_list("pk", flat=True)[:5]),
    }


def outside_catalogue(claim: Claim, order: Order, p: dict[str, Any]) -> str | None:
    if order.category in order.institution.categories:
        return None
    return _("The institution is no longer admitted for “%(c)s”.") % {
        "c": order.get_category_display()
    }


def _quarter_end(day: dt.date) -> dt.date:
    q_end_month = ((day.month - 1) // 3 + 1) * 3
    first_next = dt.date(day.year + (q_end_month == 12), q_end_month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def period_end_burst(claim: Claim, order: Order, p: dict[str, Any]) -> str | None:
    days = int(p.get("days", 10))
    end = _quarter_end(order.placed_on)
    start = end - dt.timedelta(days=days - 1)
    if order.placed_on < start:
        return None
    n = (
        Order.objects.filter(quota_id=order.quota_id, placed_on__range=(start, end))
        .exclude(state=Order.State.CANCELLED)
        .count()
    )
    if n < int(p.get("min_orders", 3)):
        return None
    return _("%(n)s orders in the last %(d)s days of the quarter.") % {"n": n, "d": days}


RULES: dict[str, Callable[[Claim, Order, dict[str, Any]], str | None]] = {
    Code.RELATED_PARTY: related_party,
    Code.REPEATED_PAIR: repeated_pair,
    Code.NEAR_CAP: near_cap,
    Code.INVOICE_REUSED: invoice_reused,
    Code.OUTSIDE_CATALOGUE: outside_catalogue,
    Code.PERIOD_END_BURST: period_end_burst,
}


def claim_flags_compute(*, claim: Claim) -> list[RiskFlag]:
    """Run every active rule on a claim and store a flag for each that fires."""
    stored = {r.code: r for r in RiskRule.objects.all()}
    order = Order.objects.select_related("quota__programme", "institution").get(pk=claim.order_id)
    flags = []
    for code, rule in RULES.items():
        row = stored.get(code)
        if row is not None and not row.active:
            continue
        params = {**DEFAULTS[code], **(row.params if row else {})}
        reason = rule(claim, order, params)
        if reason:
            flags.append(RiskFlag(claim=claim, rule=code, reason=reason[:300]))
    return RiskFlag.objects.bulk_create(flags)
