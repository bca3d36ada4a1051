"""Voucher pages, one home per role, and the actions they post: thin views over `selectors`
and `services` (every rule and permission is the services'; a refusal is shown as a message).

- a region's office (and a partner region): its programme, applications to review, claims to
  review and to pay, its enterprises' orders wherever served, statements to confirm;
- an enterprise: its quotas and balances, its orders (place, confirm, claim 通用);
- a service institution: its orders (accept, deliver, claim 通兑) and claims;
- the plan office and leaders: the alliance's clearing by period (the office closes periods).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nengji.core.errors import DomainError
from nengji.core.numbers import bounded_decimal
from nengji.core.roles import Role, role_of
from nengji.vouchers import selectors, services
from nengji.vouchers.clearing import clearing_report
from nengji.vouchers.errors import VoucherError
from nengji.vouchers.models import (
    Category,
    Claim,
    ClearingPeriod,
    Institution,
    Mode,
    Order,
    Product,
    Programme,
    Quota,
    Statement,
)
from nengji.vouchers.permissions import is_region_staff
from nengji.vouchers.statements import statement_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def yuan_to_fen(raw: Any, *, field: str) -> int:
    """An amount typed in 元 (at most two places) as 分."""
    value = bounded_decimal(raw, field=field, places=2, minimum=Decimal(0))
    return int(value * 100)


@login_required
def vouchers_home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    if role == Role.REGION:
        return _region_home(request)
    if role == Role.ENTERPRISE:
        return _enterprise_home(request)
    if role == Role.PROVIDER:
        return _provider_home(request)
    if role in (Role.OFFICE, Role.LEADER):
        return _alliance_home(request)
    raise PermissionDenied


def _balances(quotas: list[Quota]) -> list[tuple[Quota, selectors.Balance]]:
    found = selectors.quota_balances(quota_ids=[q.pk for q in quotas])
    return [(q, found[q.pk]) for q in quotas]


def _region_home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    region = user.organisation
    programmes = list(Programme.objects.filter(region=region).prefetch_related("partners__region"))
    granted = dict(
        Quota.objects.filter(programme__region=region, state=Quota.State.GRANTED)
        .values_list("programme_id")
        .annotate(t=Sum("granted_fen"))
    )
    claims = selectors.claims_visible(user=user)
    ctx = {
        "region": region,
        "programmes": [(p, granted.get(p.pk, 0)) for p in programmes],
        "quotas_pending": selectors.quotas_visible(user=user).filter(
            state__in=(Quota.State.APPLIED, Quota.State.REVIEWED)
        )[:100],
        "claims_review": claims.filter(
            issuing_region=region, state__in=(Claim.State.SUBMITTED, Claim.State.REVIEWED)
        )[:100],
        "claims_pay": claims.filter(state=Claim.State.APPROVED).filter(
            Q(mode=Mode.TONGYONG, issuing_region=region)
            | Q(mode=Mode.TONGDUI, service_region=region)
        )[:100],
        "orders": selectors.orders_visible(user=user)[:50],
        "statements": Statement.objects.filter(region=region).select_related("period"),
        "institutions": Institution.objects.filter(region=region).order_by("state", "name"),
        "today": timezone.localdate(),
    }
    return render(request, "vouchers/region.html", ctx)


def _enterprise_home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    quotas = list(selectors.quotas_visible(user=user))
    granted = [q for q in quotas if q.state == Quota.State.GRANTED]
    partner_regions = {q.programme.region_id for q in granted} | set(
        Programme.objects.filter(pk__in=[q.programme_id for q in granted]).values_list(
            "partners__region_id", flat=True
        )
    )
    ctx = {
        "quotas": _balances(quotas),
        "granted": granted,
        "orders": selectors.orders_visible(user=user).prefetch_related("claim_row")[:100],
        "institutions": selectors.institutions_admitted(
            region_ids=[r for r in partner_regions if r is not None]
        ),
        "categories": Category.choices,
    }
    return render(request, "vouchers/enterprise.html", ctx)


def _provider_home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    inst = Institution.objects.filter(organisation_id=user.organisation_id).first()
    ctx = {
        "institution": inst,
        "products": Product.objects.filter(institution=inst) if inst else [],
        "orders": selectors.orders_visible(user=user).prefetch_related("claim_row")[:100],
    }
    return render(request, "vouchers/provider.html", ctx)


def _alliance_home(request: HttpRequest) -> HttpResponse:
    periods = list(ClearingPeriod.objects.order_by("-starts_on"))
    reports = [(p, clearing_report(period=p)) for p in periods]
    ctx = {
        "reports": reports,
        "can_close": role_of(request.user) == Role.OFFICE,
        "today": timezone.localdate(),
        "programmes": Programme.objects.select_related("region").order_by("region__code", "year"),
    }
    return render(request, "vouchers/alliance.html", ctx)


# --- actions ---------------------------------------------------------------------------------
def _decision(request: HttpRequest) -> dict[str, Any]:
    return {"approve": request.POST.get("approve") == "1", "note": request.POST.get("note", "")}


def _date(request: HttpRequest, field: str) -> Any:
    day = parse_date(request.POST.get(field, "") or "")
    if day is None:
        raise VoucherError.one(field, _("Enter a date like 2025-03-31."))
    return day


ACTIONS: dict[tuple[str, str], tuple[type[Any], Callable[[HttpRequest, Any], Any]]] = {
    ("quota", "review"): (
        Quota,
        lambda r, o: services.quota_review(quota=o, by=r.user, **_decision(r)),
    ),
    ("quota", "decide"): (
        Quota,
        lambda r, o: services.quota_decide(quota=o, by=r.user, **_decision(r)),
    ),
    ("claim", "review"): (
        Claim,
        lambda r, o: services.claim_review(claim=o, by=r.user, **_decision(r)),
    ),
    ("claim", "decide"): (
        Claim,
        lambda r, o: services.claim_decide(claim=o, by=r.user, **_decision(r)),
    ),
    ("claim", "pay"): (
        Claim,
        lambda r, o: services.claim_pay(
            claim=o,
            amount_fen=o.amount_fen,
            paid_on=_date(r, "paid_on"),
            reference=r.POST.get("reference", ""),
            by=r.user,
        ),
    ),
    ("order", "accept"): (Order, lambda r, o: services.order_accept(order=o, by=r.user)),
    ("order", "deliver"): (
        Order,
        lambda r, o: services.order_deliver(
            order=o, evidence=r.POST.get("evidence", ""), by=r.user
        ),
    ),
    ("order", "confirm"): (Order, lambda r, o: services.order_confirm(order=o, by=r.user)),
    ("order", "cancel"): (Order, lambda r, o: services.order_cancel(order=o, by=r.user)),
    ("order", "claim"): (
        Order,
        lambda r, o: services.claim_submit(
            order=o,
            mode=r.POST.get("mode", ""),
            amount_fen=yuan_to_fen(r.POST.get("amount", ""), field="amount"),
            invoice_no=r.POST.get("invoice_no", ""),
            by=r.user,
        ),
    ),
    ("statement", "confirm"): (
        Statement,
        lambda r, o: services.statement_confirm(statement=o, by=r.user),
    ),
    ("period", "close"): (ClearingPeriod, lambda r, o: services.period_close(period=o, by=r.user)),
    ("institution", "admit"): (
        Institution,
        lambda r, o: services.institution_admit(institution=o, by=r.user),
    ),
}


@login_required
@require_POST
def vouchers_act(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    """Run one action on one row; the service decides whether this user may."""
    if (kind, action) not in ACTIONS:
        raise PermissionDenied
    model, run = ACTIONS[(kind, action)]
    obj = get_object_or_404(model, pk=pk)
    try:
        run(request, obj)
    except DomainError as exc:
        for d in exc.detail:
            messages.error(request, f"{d.field}: {d.message}")
    else:
        messages.success(request, _("Done."))
    return redirect("vouchers-home")


@login_required
@require_POST
def order_new(request: HttpRequest) -> HttpResponse:
    """An enterprise places an order (amounts typed in 元)."""
    quota = get_object_or_404(
        selectors.quotas_visible(user=request.user), pk=request.POST.get("quota") or 0
    )
    try:
        institution = get_object_or_404(Institution, pk=request.POST.get("institution") or 0)
        services.order_place(
            quota=quota,
            institution=institution,
            category=request.POST.get("category", ""),
            contract_fen=yuan_to_fen(request.POST.get("contract", ""), field="contract"),
            voucher_fen=yuan_to_fen(request.POST.get("voucher", ""), field="voucher"),
            starts_on=_date(request, "starts_on"),
            ends_on=_date(request, "ends_on"),
            idempotency_key=request.POST.get("idempotency_key") or None,
            by=request.user,
        )
    except DomainError as exc:
        for d in exc.detail:
            messages.error(request, f"{d.field}: {d.message}")
    else:
        messages.success(request, _("Order placed; the voucher part is reserved."))
    return redirect("vouchers-home")


@login_required
def statement_download(request: HttpRequest, pk: int) -> FileResponse:
    """A region's settlement statement as xlsx (its own region's, or any for the office)."""
    st = get_object_or_404(Statement.objects.select_related("period", "region"), pk=pk)
    if not (
        is_region_staff(request.user, st.region_id)
        or role_of(request.user) in (Role.OFFICE, Role.LEADER)
    ):
        raise PermissionDenied
    data = statement_workbook(statement=st)
    name = f"voucher-statement-{st.period.code}-{st.region.code}.xlsx"
    return FileResponse(BytesIO(data), as_attachment=True, filename=name, content_type=XLSX)
