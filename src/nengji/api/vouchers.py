"""Voucher endpoints (`/api/vouchers/`): what the alliance's regions, enterprises and
institutions exchange — orders, confirmations, claims, payments, clearing — and open data.

A region's office calls with its own token (`POST /api/auth/token` as a user of the region's
organisation): the token is the region's, and every answer is scoped to it. Writes take an
``Idempotency-Key`` header: a retry with the same key and body gets the first answer and
changes nothing; the same key with another body is a 409.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Annotated, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.params import functions as param_functions
from ninja.responses import Status

from nengji.core.errors import DomainError
from nengji.vouchers import selectors, services
from nengji.vouchers.clearing import clearing_report
from nengji.vouchers.models import (
    Claim,
    ClearingPeriod,
    IdempotentRequest,
    Institution,
    LedgerEntry,
    Order,
    Product,
    Programme,
    Statement,
)

router = Router()
IdempotencyKey = Annotated[
    str | None,
    param_functions.Header(
        None,
        alias="Idempotency-Key",
        description="8–64 characters; a retry with the same key and body returns the first answer.",
    ),
]


# --- schemas ---------------------------------------------------------------------------------
class ProgrammeOut(Schema):
    id: int
    region: str
    year: int
    name: str
    budget_fen: int
    enterprise_cap_fen: int
    team_cap_fen: int
    coverage: str
    categories: list[str]
    valid_from: dt.date
    valid_until: dt.date
    partners: dict[str, str]
    is_demo: bool

    @staticmethod
    def resolve_region(obj: Programme) -> str:
        return obj.region.code

    @staticmethod
    def resolve_coverage(obj: Programme) -> str:
        return str(obj.coverage)

    @staticmethod
    def resolve_partners(obj: Programme) -> dict[str, str]:
        return {p.region.code: str(p.service_share) for p in obj.partners.all()}


class InstitutionOut(Schema):
    id: int
    name: str
    region: str
    categories: list[str]
    state: str
    is_demo: bool

    @staticmethod
    def resolve_region(obj: Institution) -> str:
        return obj.region.code


class QuotaOut(Schema):
    id: int
    programme: int
    enterprise: str
    state: str
    requested_fen: int
    granted_fen: int
    balance: dict[str, int]


class OrderIn(Schema):
    institution: int
    category: str
    contract_fen: int
    voucher_fen: int
    starts_on: dt.date
    ends_on: dt.date
    product: int | None = None


class OrderOut(Schema):
    id: int
    quota: int
    institution: int
    issuing_region: str
    service_region: str
    category: str
    contract_fen: int
    voucher_fen: int
    starts_on: dt.date
    ends_on: dt.date
    placed_on: dt.date
    state: str


class EvidenceIn(Schema):
    evidence: str


class ClaimIn(Schema):
    mode: str
    amount_fen: int
    invoice_no: str


class FlagOut(Schema):
    rule: str
    reason: str


class ClaimOut(Schema):
    id: int
    order: int
    mode: str
    amount_fen: int
    invoice_no: str
    issuing_region: str
    service_region: str
    state: str
    flags: list[FlagOut]
    paid_fen: int | None
    paid_on: dt.date | None
    payment_ref: str


class DecisionIn(Schema):
    approve: bool
    note: str = ""


class PaymentIn(Schema):
    amount_fen: int
    paid_on: dt.date
    reference: str


class StatementOut(Schema):
    id: int
    period: str
    region: str
    owed_fen: int
    due_fen: int
    net_fen: int
    state: str


class ErrorOut(Schema):
    detail: list[dict[str, str | int]]


# --- answers (plain dicts, so a stored answer of a retried write is the same JSON) -----------
def quota_out(q: Any) -> dict[str, Any]:
    return {
        "id": q.pk,
        "programme": q.programme_id,
        "enterprise": q.enterprise.uscc,
        "state": q.state,
        "requested_fen": q.requested_fen,
        "granted_fen": q.granted_fen,
        "balance": selectors.quota_balance(quota=q).as_dict(),
    }


def order_out(o: Order) -> dict[str, Any]:
    return {
        "id": o.pk,
        "quota": o.quota_id,
        "institution": o.institution_id,
        "issuing_region": o.quota.programme.region.code,
        "service_region": o.institution.region.code,
        "category": o.category,
        "contract_fen": o.contract_fen,
        "voucher_fen": o.voucher_fen,
        "starts_on": o.starts_on,
        "ends_on": o.ends_on,
        "placed_on": o.placed_on,
        "state": o.state,
    }


def claim_out(c: Claim) -> dict[str, Any]:
    return {
        "id": c.pk,
        "order": c.order_id,
        "mode": c.mode,
        "amount_fen": c.amount_fen,
        "invoice_no": c.invoice_no,
        "issuing_region": c.issuing_region.code,
        "service_region": c.service_region.code,
        "state": c.state,
        "flags": [{"rule": f.rule, "reason": f.reason} for f in c.flags.all()],
        "paid_fen": c.paid_fen,
        "paid_on": c.paid_on,
        "payment_ref": c.payment_ref,
    }


def statement_out(st: Statement) -> dict[str, Any]:
    return {
        "id": st.pk,
        "period": st.period.code,
        "region": st.region.code,
        "owed_fen": st.owed_fen,
        "due_fen": st.due_fen,
        "net_fen": st.net_fen,
        "state": st.state,
    }


# --- idempotency -----------------------------------------------------------------------------
def idempotent(
    request: HttpRequest,
    key: str | None,
    out: Callable[[Any], dict[str, Any]],
    write: Callable[[], Any],
) -> Status[Any]:
    """Run `write` once per (caller, key): the answer is stored with the change, in the same
    transaction, so a retry (or a concurrent duplicate, which waits on the key's unique index)
    gets the stored answer."""

    def answer() -> dict[str, Any]:
        body: dict[str, Any] = json.loads(json.dumps(out(write()), cls=DjangoJSONEncoder))
        return body

    if not key:
        return Status(200, answer())
    if not 8 <= len(key) <= 64 or not key.isprintable():
        raise DomainError.one("Idempotency-Key", "an idempotency key has 8 to 64 characters")
    fingerprint = hashlib.sha256(
        request.method.encode() + request.path.encode() + b"\n" + request.body  # type: ignore[union-attr]
    ).hexdigest()
    user: Any = request.user

    def stored(row: IdempotentRequest) -> Status[Any]:
        if row.fingerprint != fingerprint:
            raise DomainError.one(
                "Idempotency-Key", "this key was used for another request", code="conflict"
            )
        return Status(row.status, row.body)

    with transaction.atomic():
        seen = IdempotentRequest.objects.filter(user=user, key=key).first()
        if seen is not None:
            return stored(seen)
        try:
            with transaction.atomic():
                row = IdempotentRequest.objects.create(
                    user=user,
                    key=key,
                    fingerprint=fingerprint,
                    status=200,
                    body={},
                    at=timezone.now(),
                )
        except IntegrityError:
            return stored(IdempotentRequest.objects.get(user=user, key=key))
        body = answer()
        row.body = body
        row.save(update_fields=["body"])
        return Status(200, body)


# --- reads -----------------------------------------------------------------------------------
@router.get("/programmes", auth=None, response=list[ProgrammeOut])
def programmes(request: HttpRequest) -> Any:
    """Every region's programmes (public: they are published rules)."""
    return Programme.objects.select_related("region").prefetch_related("partners__region")


@router.get("/institutions", auth=None, response=list[InstitutionOut])
def institutions(request: HttpRequest) -> Any:
    """Admitted institutions of every region (public)."""
    return selectors.institutions_admitted()


@router.get("/quotas", response=list[QuotaOut])
def quotas(request: HttpRequest) -> Any:
    return [quota_out(q) for q in selectors.quotas_visible(user=request.user)]


@router.get("/orders", response=list[OrderOut])
def orders(request: HttpRequest, state: str | None = None) -> Any:
    """A region sees its enterprises' orders wherever served, and those its institutions serve."""
    qs = selectors.orders_visible(user=request.user)
    return [order_out(o) for o in (qs.filter(state=state) if state else qs)[:500]]


@router.get("/claims", response=list[ClaimOut])
def claims(request: HttpRequest, state: str | None = None) -> Any:
    qs = selectors.claims_visible(user=request.user)
    return [claim_out(c) for c in (qs.filter(state=state) if state else qs)[:500]]


@router.get("/clearing/{period}", auth=None, response={200: dict[str, Any], 404: ErrorOut})
def clearing(request: HttpRequest, period: str) -> Any:
    """Gross flows, net pairs and net positions of a period (regions only, never enterprises)."""
    return clearing_report(period=get_object_or_404(ClearingPeriod, code=period)).as_json()


@router.get("/statements", response=list[StatementOut])
def statements(request: HttpRequest) -> Any:
    qs = Statement.objects.select_related("period", "region")
    if not getattr(request.user, "is_superuser", False) and request.user.role != "office":  # type: ignore[union-attr]
        qs = qs.filter(region_id=request.user.organisation_id)  # type: ignore[union-attr]
    return [statement_out(st) for st in qs]


@router.get("/open-data", auth=None, response=list[dict[str, Any]])
def open_data(request: HttpRequest) -> Any:
    """Aggregate issuance and redemption by region, year and category: no enterprise-level
    data. Issuance is granted quota; redemption is paid claims less reversals."""
    granted = (
        LedgerEntry.objects.filter(kind="grant")
        .values("quota__programme__region__code", "quota__programme__year")
        .annotate(fen=Sum("amount_fen"), n=Count("quota", distinct=True))
        .order_by()
    )
    redeemed = (
        Claim.objects.filter(state="paid")
        .values("issuing_region__code", "service_region__code", "order__category", "paid_on__year")
        .annotate(fen=Sum("paid_fen"), n=Count("id"))
        .order_by()
    )
    return [
        {
            "measure": "granted",
            "region": r["quota__programme__region__code"],
            "year": r["quota__programme__year"],
            "amount_fen": r["fen"],
            "count": r["n"],
        }
        for r in granted
    ] + [
        {
            "measure": "redeemed",
            "region": r["issuing_region__code"],
            "service_region": r["service_region__code"],
            "category": r["order__category"],
            "year": r["paid_on__year"],
            "amount_fen": r["fen"],
            "count": r["n"],
        }
        for r in redeemed
    ]


# --- writes ----------------------------------------------------------------------------------
def _order(request: HttpRequest, order_id: int) -> Order:
    return get_object_or_404(selectors.orders_visible(user=request.user), pk=order_id)


def _claim(request: HttpRequest, claim_id: int) -> Claim:
    return get_object_or_404(selectors.claims_visible(user=request.user), pk=claim_id)


@router.post(
    "/quotas/{quota_id}/orders",
    response={200: OrderOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def order_place(
    request: HttpRequest, quota_id: int, payload: OrderIn, idempotency_key: IdempotencyKey = None
) -> Status[Any]:
    """Place an order against a quota; its voucher part is reserved at once."""
    quota = get_object_or_404(selectors.quotas_visible(user=request.user), pk=quota_id)
    institution = get_object_or_404(Institution, pk=payload.institution)
    product = (
        get_object_or_404(Product, pk=payload.product) if payload.product is not None else None
    )
    return idempotent(
        request,
        idempotency_key,
        order_out,
        lambda: services.order_place(
            quota=quota,
            institution=institution,
            category=payload.category,
            contract_fen=payload.contract_fen,
            voucher_fen=payload.voucher_fen,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            product=product,
            by=request.user,
        ),
    )


@router.post(
    "/orders/{order_id}/accept",
    response={200: OrderOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def order_accept(
    request: HttpRequest, order_id: int, idempotency_key: IdempotencyKey = None
) -> Status[Any]:
    order = _order(request, order_id)
    return idempotent(
        request,
        idempotency_key,
        order_out,
        lambda: services.order_accept(order=order, by=request.user),
    )


@router.post(
    "/orders/{order_id}/deliver",
    response={200: OrderOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def order_deliver(
    request: HttpRequest,
    order_id: int,
    payload: EvidenceIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[Any]:
    order = _order(request, order_id)
    return idempotent(
        request,
        idempotency_key,
        order_out,
        lambda: services.order_deliver(order=order, evidence=payload.evidence, by=request.user),
    )


@router.post(
    "/orders/{order_id}/confirm",
    response={200: OrderOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def order_confirm(
    request: HttpRequest, order_id: int, idempotency_key: IdempotencyKey = None
) -> Status[Any]:
    order = _order(request, order_id)
    return idempotent(
        request,
        idempotency_key,
        order_out,
        lambda: services.order_confirm(order=order, by=request.user),
    )


@router.post(
    "/orders/{order_id}/cancel",
    response={200: OrderOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def order_cancel(
    request: HttpRequest, order_id: int, idempotency_key: IdempotencyKey = None
) -> Status[Any]:
    order = _order(request, order_id)
    return idempotent(
        request,
        idempotency_key,
        order_out,
        lambda: services.order_cancel(order=order, by=request.user),
    )


@router.post(
    "/orders/{order_id}/claim",
    response={200: ClaimOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def claim_submit(
    request: HttpRequest,
    order_id: int,
    payload: ClaimIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[Any]:
    """Claim redemption: 通用 (tongyong) by the enterprise, 通兑 (tongdui) by the institution."""
    order = _order(request, order_id)
    return idempotent(
        request,
        idempotency_key,
        claim_out,
        lambda: services.claim_submit(
            order=order,
            mode=payload.mode,
            amount_fen=payload.amount_fen,
            invoice_no=payload.invoice_no,
            by=request.user,
        ),
    )


@router.post(
    "/claims/{claim_id}/review",
    response={200: ClaimOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def claim_review(
    request: HttpRequest,
    claim_id: int,
    payload: DecisionIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[Any]:
    claim = _claim(request, claim_id)
    return idempotent(
        request,
        idempotency_key,
        claim_out,
        lambda: services.claim_review(
            claim=claim, approve=payload.approve, note=payload.note, by=request.user
        ),
    )


@router.post(
    "/claims/{claim_id}/decide",
    response={200: ClaimOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def claim_decide(
    request: HttpRequest,
    claim_id: int,
    payload: DecisionIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[Any]:
    claim = _claim(request, claim_id)
    return idempotent(
        request,
        idempotency_key,
        claim_out,
        lambda: services.claim_decide(
            claim=claim, approve=payload.approve, note=payload.note, by=request.user
        ),
    )


@router.post(
    "/claims/{claim_id}/pay",
    response={200: ClaimOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def claim_pay(
    request: HttpRequest,
    claim_id: int,
    payload: PaymentIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[Any]:
    """Record a payment (amount, date, reference) by the paying region."""
    claim = _claim(request, claim_id)
    return idempotent(
        request,
        idempotency_key,
        claim_out,
        lambda: services.claim_pay(
            claim=claim,
            amount_fen=payload.amount_fen,
            paid_on=payload.paid_on,
            reference=payload.reference,
            by=request.user,
        ),
    )


@router.post(
    "/statements/{statement_id}/confirm",
    response={200: StatementOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def statement_confirm(
    request: HttpRequest, statement_id: int, idempotency_key: IdempotencyKey = None
) -> Status[Any]:
    """A region confirms its settlement statement of a closed period."""
    statement = get_object_or_404(Statement, pk=statement_id)
    return idempotent(
        request,
        idempotency_key,
        statement_out,
        lambda: services.statement_confirm(statement=statement, by=request.user),
    )
