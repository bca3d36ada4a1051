"""Policy endpoints: the catalogue (public), an enterprise's matches, the office's candidates,
applications through to payment, 免申即享, and the loan risk-compensation pool.

Each endpoint calls one selector or service; permissions are the services' own, and an
enterprise's matches are readable by the office, leaders and that enterprise only (another
enterprise's code is a 404, as if it did not exist).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status

from nengji.api.auth import optional_user
from nengji.api.params import Amount, Code, In, PlanCode, Text, Version
from nengji.core.errors import refused
from nengji.core.roles import Role, has_role
from nengji.plan.selectors import plan_get
from nengji.policy import selectors, services
from nengji.policy.matching import match_enterprise, match_item
from nengji.policy.models import Application, Claim, Loan, PolicyItem, RiskPool
from nengji.policy.services.applications import can_see_enterprise
from nengji.policy.services.finance import pool_figures

router = Router()


class ItemOut(Schema):
    code: str
    title_zh: str
    title_en: str
    group: str
    tier: str
    kind: str
    document: str
    doc_number: str
    article: str
    max_amount: Decimal | None
    amount_rule: dict[str, Any]
    opens: dt.date | None
    closes: dt.date | None
    period: str
    auto_grant: bool
    clauses: list[dict[str, Any]]
    is_demo: bool

    @staticmethod
    def resolve_group(obj: PolicyItem) -> str:
        return obj.group.code

    @staticmethod
    def resolve_tier(obj: PolicyItem) -> str:
        return obj.group.tier

    @staticmethod
    def resolve_document(obj: PolicyItem) -> str:
        return obj.document.title_zh

    @staticmethod
    def resolve_doc_number(obj: PolicyItem) -> str:
        return obj.document.doc_number

    @staticmethod
    def resolve_is_demo(obj: PolicyItem) -> bool:
        return obj.is_demo or obj.document.is_demo


@router.get("/items", auth=None, response=list[ItemOut])
def items(request: HttpRequest, plan_code: PlanCode = None) -> list[PolicyItem]:
    """Every published item of the plan's 1+6+4 catalogue, with its clauses and sources."""
    return list(
        PolicyItem.objects.filter(plan=plan_get(code=plan_code), status="published")
        .select_related("group", "document")
        .order_by("group__order", "code")
    )


@router.get("/items/{code}", auth=None, response=ItemOut)
def item(request: HttpRequest, code: str, plan_code: PlanCode = None) -> PolicyItem:
    found = selectors.item_get(plan_get(code=plan_code), code)
    if found is None or found.status != "published":
        raise Http404
    return found


class MatchesOut(Schema):
    enterprise: str
    name: str
    items: list[dict[str, Any]]


@router.get("/matches/{uscc}", response=MatchesOut)
def matches(request: HttpRequest, uscc: str, plan_code: PlanCode = None) -> dict[str, Any]:
    """Every item for the enterprise: eligible / not_eligible / unknown, each clause with its
    status, value, threshold, gap and source, the estimated amount (yuan) and the window."""
    enterprise = selectors.enterprise_by_code(uscc)
    if enterprise is None or not can_see_enterprise(optional_user(request), enterprise):
        raise Http404
    plan = plan_get(code=plan_code)
    return {
        "enterprise": enterprise.uscc,
        "name": enterprise.name_zh,
        "items": [m.as_dict() for m in match_enterprise(enterprise=enterprise, plan=plan)],
    }


class CandidateOut(Schema):
    uscc: str
    name: str
    estimated_amount: Decimal | None
    not_passed: list[str]


class CandidatesOut(Schema):
    eligible: list[CandidateOut]
    near: list[CandidateOut]
    unknown: list[CandidateOut]


@router.get("/items/{code}/candidates", response=CandidatesOut)
def candidates(request: HttpRequest, code: str, plan_code: PlanCode = None) -> dict[str, Any]:
    """For the office (政策找企业): enterprises eligible now, one clause away, or unknown."""
    user = optional_user(request)
    if not has_role(user, Role.OFFICE, Role.LEADER):
        raise refused("Only the plan office and leaders may list candidates.")
    found = selectors.item_get(plan_get(code=plan_code), code)
    if found is None:
        raise Http404
    return {
        key: [
            {
                "uscc": c.enterprise.uscc,
                "name": c.enterprise.name_zh,
                "estimated_amount": c.amount,
                "not_passed": c.not_passed,
            }
            for c in rows
        ]
        for key, rows in match_item(item=found).items()
    }


class ApplicationOut(Schema):
    id: int
    item: str
    enterprise: str
    period: str
    status: str
    origin: str
    requested: Decimal | None
    awarded: Decimal | None
    decision_reason: str
    version: int
    is_demo: bool

    @staticmethod
    def resolve_item(obj: Application) -> str:
        return obj.item.code

    @staticmethod
    def resolve_enterprise(obj: Application) -> str:
        return obj.enterprise.uscc


class ApplicationIn(In):
    item: Code
    enterprise: Code = Field(description="统一社会信用代码 of the applying enterprise")
    period: Code
    note: Text = ""
    requested: Amount | None = None


def _application(request: HttpRequest, pk: int) -> Application:
    app = get_object_or_404(Application.objects.select_related("item", "enterprise"), pk=pk)
    if not can_see_enterprise(optional_user(request), app.enterprise):
        raise Http404
    return app


@router.get("/applications", response=list[ApplicationOut])
def applications(
    request: HttpRequest, status: str | None = None, plan_code: PlanCode = None
) -> list[Application]:
    """The office's and leaders' every application; an enterprise's own."""
    user = optional_user(request)
    plan = plan_get(code=plan_code)
    if has_role(user, Role.OFFICE, Role.LEADER):
        return list(selectors.applications(plan=plan, status=status)[:1000])
    enterprise = selectors.enterprise_of_user(user)
    if enterprise is None:
        return []
    return list(selectors.applications(plan=plan, enterprise=enterprise, status=status))


@router.post("/applications", response={201: ApplicationOut})
def application_create(
    request: HttpRequest, payload: ApplicationIn, plan_code: PlanCode = None
) -> Status[Any]:
    found = selectors.item_get(plan_get(code=plan_code), payload.item)
    enterprise = selectors.enterprise_by_code(payload.enterprise)
    if found is None or enterprise is None:
        raise Http404
    app = services.application_create(
        item=found,
        enterprise=enterprise,
        period=payload.period,
        note=payload.note,
        requested=payload.requested,
        by=optional_user(request),
    )
    return Status(201, app)


class VersionIn(In):
    version: Version | None = None


@router.post("/applications/{pk}/submit", response=ApplicationOut)
def application_submit(request: HttpRequest, pk: int, payload: VersionIn) -> Application:
    return services.application_submit(
        application=_application(request, pk), by=optional_user(request), version=payload.version
    )


class DecisionIn(In):
    action: Literal["approve", "return", "reject"]
    reason: Text = ""
    awarded: Amount | None = None
    version: Version | None = None


@router.post("/applications/{pk}/decision", response=ApplicationOut)
def application_decide(request: HttpRequest, pk: int, payload: DecisionIn) -> Application:
    return services.application_decide(
        application=_application(request, pk),
        action=payload.action,
        reason=payload.reason,
        awarded=payload.awarded,
        version=payload.version,
        by=optional_user(request),
    )


class PaymentIn(In):
    paid_on: dt.date
    reference: Code


class PaymentOut(Schema):
    id: int
    amount: Decimal
    paid_on: dt.date
    reference: str


@router.post("/applications/{pk}/payment", response={201: PaymentOut})
def payment_record(request: HttpRequest, pk: int, payload: PaymentIn) -> Status[Any]:
    payment = services.payment_record(
        application=_application(request, pk),
        paid_on=payload.paid_on,
        reference=payload.reference,
        by=optional_user(request),
    )
    return Status(201, payment)


class AutoGrantIn(In):
    period: Code
    enterprises: list[Code] = Field(max_length=20000)


@router.post("/items/{code}/auto-grant", response=list[ApplicationOut])
def auto_grant(
    request: HttpRequest, code: str, payload: AutoGrantIn, plan_code: PlanCode = None
) -> list[Application]:
    """免申即享: approve the listed enterprises (by 信用代码) the registry shows eligible."""
    found = selectors.item_get(plan_get(code=plan_code), code)
    if found is None:
        raise Http404
    ids = [e.pk for c in payload.enterprises if (e := selectors.enterprise_by_code(c)) is not None]
    return services.auto_grant_approve(
        item=found, period=payload.period, enterprise_ids=ids, by=optional_user(request)
    )


# --- the loan risk-compensation pool ---------------------------------------------------------


class PoolOut(Schema):
    code: str
    name_zh: str
    ratio: Decimal
    first_loan_bonus: Decimal
    cap_per_enterprise: Decimal
    cap_per_bank: Decimal
    max_loan: Decimal
    max_term_months: int
    source: str
    is_demo: bool
    figures: dict[str, Decimal | None]


def _pool(request: HttpRequest, code: str, plan_code: str | None) -> RiskPool:
    if not has_role(optional_user(request), Role.OFFICE, Role.LEADER, Role.BANK):
        raise refused("Only the plan office, leaders and banks see the pool.")
    return get_object_or_404(RiskPool, plan=plan_get(code=plan_code), code=code)


@router.get("/pools/{code}", response=PoolOut)
def pool(request: HttpRequest, code: str, plan_code: PlanCode = None) -> dict[str, Any]:
    """The pool's parameters and figures: balance, loans, compensation paid, leverage, loss rate."""
    p = _pool(request, code, plan_code)
    return {
        **{f: getattr(p, f) for f in PoolOut.model_fields if f != "figures"},
        "figures": pool_figures(p),
    }


class LoanIn(In):
    product: Code
    enterprise: Code
    contract_no: Code
    amount: Amount
    term_months: int = Field(ge=1, le=360)
    rate: Amount
    guarantee: Code
    start_on: dt.date
    first_loan: bool = False
    other_fiscal_backing: bool = False


class LoanOut(Schema):
    id: int
    contract_no: str
    amount: Decimal
    term_months: int
    status: str


@router.post("/pools/{code}/loans", response={201: LoanOut})
def loan_register(
    request: HttpRequest, code: str, payload: LoanIn, plan_code: PlanCode = None
) -> Status[Any]:
    """A bank registers a loan under the pool (its own bank: the user's organisation)."""
    p = _pool(request, code, plan_code)
    user = optional_user(request)
    enterprise = selectors.enterprise_by_code(payload.enterprise)
    if enterprise is None or user.organisation is None:
        raise Http404
    data = payload.model_dump(exclude={"enterprise"})
    loan = services.loan_register(
        pool=p, bank=user.organisation, enterprise=enterprise, by=user, **data
    )
    return Status(201, loan)


class ClaimIn(In):
    loss: Amount


class ClaimOut(Schema):
    id: int
    loss: Decimal
    ratio: Decimal
    amount: Decimal
    status: str
    reason: str


def _loan(request: HttpRequest, pk: int) -> Loan:
    loan = get_object_or_404(Loan, pk=pk)
    user = optional_user(request)
    if not (has_role(user, Role.OFFICE) or getattr(user, "organisation_id", None) == loan.bank_id):
        raise Http404
    return loan


@router.post("/loans/{pk}/claims", response={201: ClaimOut})
def claim_submit(request: HttpRequest, pk: int, payload: ClaimIn) -> Status[Any]:
    claim = services.claim_submit(
        loan=_loan(request, pk), loss=payload.loss, by=optional_user(request)
    )
    return Status(201, claim)


class ClaimDecisionIn(In):
    action: Literal["approve", "reject"]
    reason: Text = ""


@router.post("/claims/{pk}/decision", response=ClaimOut)
def claim_decide(request: HttpRequest, pk: int, payload: ClaimDecisionIn) -> Claim:
    claim = get_object_or_404(Claim, pk=pk)
    return services.claim_decide(
        claim=claim, action=payload.action, reason=payload.reason, by=optional_user(request)
    )


@router.post("/claims/{pk}/payment", response=ClaimOut)
def claim_pay(request: HttpRequest, pk: int) -> Claim:
    claim = get_object_or_404(Claim, pk=pk)
    services.claim_pay(claim=claim, by=optional_user(request))
    claim.refresh_from_db()
    return claim
