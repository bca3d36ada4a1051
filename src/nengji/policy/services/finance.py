"""The loan risk-compensation pool (风险补偿) and the policy finance products.

Banks are admitted into a pool with their loan products; banks register loans (loans already
backed by other fiscal compensation are excluded); on a default the bank claims; the office
approves at the programme's ratio (plus the first-loan bonus), within the caps per enterprise
and per bank, and pays from the pool. The pool's money moves only by append-only ledger
entries; a claim is paid at most once (one ledger entry per claim, one live claim per loan), and
the caps are checked under a lock on the pool row, so two approvals at once cannot both pass a
cap that only one fits.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record, snapshot
from nengji.core.events import emit
from nengji.core.models import Organisation
from nengji.core.numbers import bounded_decimal
from nengji.core.roles import OrgKind, Role, require_member, require_office
from nengji.plan.models import Plan
from nengji.policy.errors import PolicyError
from nengji.policy.events import CompensationPaid
from nengji.policy.models import (
    Claim,
    LedgerEntry,
    Loan,
    PoolBank,
    Programme,
    ProgrammeUse,
    RiskPool,
)
from nengji.policy.states import CLAIM, transition
from nengji.registry.models import Enterprise

CENT = Decimal("0.01")
ZERO = Decimal(0)
POOL_FIELDS = (
    "ratio",
    "first_loan_bonus",
    "cap_per_enterprise",
    "cap_per_bank",
    "max_loan",
    "max_term_months",
)


def _yuan(raw: Any, field: str, *, positive: bool = True) -> Decimal:
    value = bounded_decimal(raw, field=field, places=2, minimum=ZERO)
    if positive and value == 0:
        raise PolicyError.one(field, _("Must be more than zero."))
    return value


def _ratio(raw: Any, field: str) -> Decimal:
    return bounded_decimal(raw, field=field, places=4, minimum=ZERO, maximum=Decimal(1))


def _locked_pool(pool: RiskPool) -> RiskPool:
    return RiskPool.objects.select_for_update().get(pk=pool.pk)


@transaction.atomic
def pool_create(
    *,
    plan: Plan,
    code: str,
    name_zh: str,
    ratio: Any,
    cap_per_enterprise: Any,
    cap_per_bank: Any,
    max_loan: Any,
    max_term_months: Any,
    by: Any,
    first_loan_bonus: Any = 0,
    source: str = "",
    is_demo: bool = False,
) -> RiskPool:
    require_office(by)
    code = (code or "").strip()
    if not code or len(code) > 40:
        raise PolicyError.one("code", _("Give a short code."))
    if not (name_zh or "").strip() or len(name_zh) > 200:
        raise PolicyError.one("name_zh", _("Give a name of at most 200 characters."))
    ratio_d, bonus = _ratio(ratio, "ratio"), _ratio(first_loan_bonus, "first_loan_bonus")
    if ratio_d == 0 or ratio_d + bonus > 1:
        raise PolicyError.one("ratio", _("The ratio (with the bonus) lies in (0, 1]."))
    term = bounded_decimal(
        max_term_months, field="max_term_months", places=0, minimum=Decimal(1), maximum=Decimal(360)
    )
    pool = RiskPool(
        plan=plan,
        code=code,
        name_zh=name_zh.strip(),
        ratio=ratio_d,
        first_loan_bonus=bonus,
        cap_per_enterprise=_yuan(cap_per_enterprise, "cap_per_enterprise"),
        cap_per_bank=_yuan(cap_per_bank, "cap_per_bank"),
        max_loan=_yuan(max_loan, "max_loan"),
        max_term_months=int(term),
        source=(source or "")[:2000],
        is_demo=is_demo,
    )
    try:
        with transaction.atomic():
            pool.save()
    except IntegrityError:
        raise PolicyError.one("code", _("A pool with this code exists."), code="conflict") from None
    audit_record(actor=by, action="create", obj=pool, after=snapshot(pool, POOL_FIELDS))
    return pool


@transaction.atomic
def pool_contribute(*, pool: RiskPool, amount: Any, reference: str, by: Any) -> LedgerEntry:
    """Money put into the pool (a fiscal allocation). The reference (the allocation's 文号 or
    voucher) identifies it: a second submit of the same reference and amount returns the entry
    already written; the same reference with another amount is refused. Checked under the
    pool's row lock, so two submits at once write one entry."""
    require_office(by)
    pool = _locked_pool(pool)
    value = _yuan(amount, "amount")
    ref = (reference or "").strip()[:100] or "contribution"
    earlier: LedgerEntry | None = LedgerEntry.objects.filter(
        pool=pool, kind=LedgerEntry.Kind.CONTRIBUTION, reference=ref
    ).first()
    if earlier is not None and ref != "contribution":
        if earlier.amount == value:
            return earlier
        raise PolicyError.one(
            "reference",
            _("This reference was recorded with %(n)s yuan.") % {"n": earlier.amount},
            code="conflict",
        )
    entry = LedgerEntry.objects.create(
        pool=pool,
        kind=LedgerEntry.Kind.CONTRIBUTION,
        amount=value,
        reference=ref,
        at=timezone.now(),
        by=by,
        is_demo=pool.is_demo,
    )
    audit_record(actor=by, action="contribute", obj=pool, after={"amount": entry.amount})
    return entry


@transaction.atomic
def pool_bank_admit(
    *,
    pool: RiskPool,
    bank: Organisation,
    products: list[str],
    by: Any,
    admitted_on: dt.date | None = None,
) -> PoolBank:
    """Admit a bank and the loan products it may register under the pool."""
    require_office(by)
    if bank.kind != OrgKind.BANK:
        raise PolicyError.one("bank", _("Choose an organisation of kind bank."))
    names = [p.strip()[:100] for p in products if p and p.strip()]
    if not names or len(names) > 50:
        raise PolicyError.one("products", _("Name between 1 and 50 loan products."))
    row, _created = PoolBank.objects.update_or_create(
        pool=pool,
        bank=bank,
        defaults={
            "products": names,
            "admitted_on": admitted_on or timezone.localdate(),
            "active": True,
        },
    )
    audit_record(
        actor=by, action="admit", obj=row, label=f"{bank} in {pool}", after={"products": names}
    )
    return row


@transaction.atomic
def loan_register(
    *,
    pool: RiskPool,
    bank: Organisation,
    product: str,
    enterprise: Enterprise,
    contract_no: str,
    amount: Any,
    term_months: Any,
    rate: Any,
    guarantee: str,
    start_on: dt.date,
    by: Any,
    first_loan: bool = False,
    other_fiscal_backing: bool = False,
) -> Loan:
    """A bank registers a loan under the pool (its own bank only)."""
    require_member(by, bank.pk, Role.BANK)
    admitted = PoolBank.objects.filter(pool=pool, bank=bank, active=True).first()
    if admitted is None:
        raise PolicyError.one("bank", _("This bank is not admitted into the pool."))
    if product not in admitted.products:
        raise PolicyError.one("product", _("This loan product is not admitted into the pool."))
    if other_fiscal_backing:
        raise PolicyError.one(
            "other_fiscal_backing",
            _("Loans backed by a policy guarantee or other fiscal compensation are excluded."),
        )
    value = _yuan(amount, "amount")
    if value > pool.max_loan:
        raise PolicyError.one(
            "amount", _("Above the pool's largest loan of %(n)s yuan.") % {"n": pool.max_loan}
        )
    term = bounded_decimal(
        term_months,
        field="term_months",
        places=0,
        minimum=Decimal(1),
        maximum=Decimal(pool.max_term_months),
    )
    if guarantee not in Loan.Guarantee.values:
        raise PolicyError.one("guarantee", _("Choose a kind of guarantee."))
    contract = (contract_no or "").strip()
    if not contract or len(contract) > 64:
        raise PolicyError.one("contract_no", _("Give the contract number."))
    loan = Loan(
        pool=pool,
        bank=bank,
        product=product,
        enterprise=enterprise,
        contract_no=contract,
        amount=value,
        term_months=int(term),
        rate=bounded_decimal(rate, field="rate", places=3, minimum=ZERO, maximum=Decimal(36)),
        guarantee=guarantee,
        first_loan=bool(first_loan),
        start_on=start_on,
        registered_by=by,
        registered_at=timezone.now(),
        is_demo=pool.is_demo,
    )
    try:
        with transaction.atomic():
            loan.save()
    except IntegrityError:
        # a second submit of the same loan returns the one registered; other terms conflict
        same = Loan.objects.filter(
            bank=bank,
            contract_no=contract,
            pool=pool,
            product=product,
            enterprise=enterprise,
            amount=value,
            term_months=int(term),
            start_on=start_on,
        ).first()
        if same is not None:
            return same
        raise PolicyError.one(
            "contract_no", _("This contract is already registered."), code="conflict"
        ) from None
    audit_record(
        actor=by,
        action="register",
        obj=loan,
        organisation=bank,
        after={
            "amount": loan.amount,
            "enterprise": enterprise.uscc,
            "term_months": loan.term_months,
        },
    )
    return loan


def _committed(pool: RiskPool, q: Q) -> Decimal:
    """Compensation approved or paid (not yet rejected) under the pool for the filter."""
    total = Claim.objects.filter(q, loan__pool=pool, status__in=["approved", "paid"]).aggregate(
        s=Sum("amount")
    )["s"]
    return total or ZERO


def _check_caps(pool: RiskPool, loan: Loan, amount: Decimal, field: str) -> None:
    ent = _committed(pool, Q(loan__enterprise=loan.enterprise))
    if ent + amount > pool.cap_per_enterprise:
        raise PolicyError.one(
            field,
            _("Above the cap per enterprise: %(used)s of %(cap)s yuan already committed.")
            % {"used": ent, "cap": pool.cap_per_enterprise},
        )
    bank = _committed(pool, Q(loan__bank=loan.bank))
    if bank + amount > pool.cap_per_bank:
        raise PolicyError.one(
            field,
            _("Above the cap per bank: %(used)s of %(cap)s yuan already committed.")
            % {"used": bank, "cap": pool.cap_per_bank},
        )


@transaction.atomic
def claim_submit(*, loan: Loan, loss: Any, by: Any) -> Claim:
    """The bank claims compensation for the principal lost on a defaulted loan."""
    loan = Loan.objects.select_for_update().select_related("pool").get(pk=loan.pk)
    require_member(by, loan.bank_id, Role.BANK)
    lost = _yuan(loss, "loss")
    if lost > loan.amount:
        raise PolicyError.one(
            "loss", _("The loss cannot exceed the loan (%(n)s yuan).") % {"n": loan.amount}
        )
    live = Claim.objects.filter(loan=loan).exclude(status="rejected").first()
    if live is not None and live.loss == lost and live.status == Claim.Status.SUBMITTED:
        return live  # the same claim submitted again
    if live is not None:
        raise PolicyError.one("loan", _("This loan already has a claim."), code="conflict")
    pool = loan.pool
    ratio = pool.ratio + (pool.first_loan_bonus if loan.first_loan else ZERO)
    amount = (lost * ratio).quantize(CENT, rounding=ROUND_HALF_UP)
    _check_caps(pool, loan, amount, "loss")
    claim = Claim.objects.create(
        loan=loan,
        loss=lost,
        ratio=ratio,
        amount=amount,
        status=Claim.Status.SUBMITTED,
        submitted_by=by,
        submitted_at=timezone.now(),
        is_demo=loan.is_demo,
    )
    loan.status = Loan.Status.DEFAULTED
    loan.save(update_fields=["status"])
    audit_record(
        actor=by,
        action="claim",
        obj=claim,
        organisation=loan.bank,
        after={"loss": lost, "ratio": ratio, "amount": amount},
    )
    return claim


@transaction.atomic
def claim_decide(*, claim: Claim, action: str, by: Any, reason: str = "") -> Claim:
    """The office approves (caps checked again under the pool's lock) or rejects with a reason."""
    require_office(by)
    claim = Claim.objects.select_related("loan").get(pk=claim.pk)
    pool = _locked_pool(claim.loan.pool)
    claim = (
        Claim.objects.select_for_update()
        .select_related("loan__bank", "loan__enterprise")
        .get(pk=claim.pk)
    )
    if action not in ("approve", "reject"):
        raise PolicyError.one("action", _("Choose approve or reject."))
    before = snapshot(claim, ("status", "amount", "reason"))
    claim.status = transition(CLAIM, action, claim.status)
    if action == "reject":
        if not (reason or "").strip():
            raise PolicyError.one("reason", _("Give a reason."))
    else:
        _check_caps(pool, claim.loan, claim.amount, "amount")
    claim.reason = (reason or "").strip()[:2000]
    claim.decided_at = timezone.now()
    claim.save()
    audit_record(
        actor=by,
        action=action,
        obj=claim,
        before=before,
        after=snapshot(claim, ("status", "amount", "reason")),
    )
    return claim


@transaction.atomic
def claim_pay(*, claim: Claim, by: Any) -> LedgerEntry:
    """Pay an approved claim from the pool: once, and only while the pool holds the money."""
    require_office(by)
    claim = Claim.objects.select_related("loan").get(pk=claim.pk)
    pool = _locked_pool(claim.loan.pool)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    claim.status = transition(CLAIM, "pay", claim.status)
    balance = pool_balance(pool)
    if claim.amount > balance:
        raise PolicyError.one(
            "amount", _("The pool holds %(b)s yuan, less than the claim.") % {"b": balance}
        )
    entry = LedgerEntry.objects.create(
        pool=pool,
        kind=LedgerEntry.Kind.COMPENSATION,
        amount=-claim.amount,
        claim=claim,
        reference=f"claim {claim.pk}",
        at=timezone.now(),
        by=by,
        is_demo=claim.is_demo,
    )
    claim.save(update_fields=["status"])
    audit_record(
        actor=by, action="pay", obj=claim, after={"amount": claim.amount, "ledger": entry.pk}
    )
    emit(CompensationPaid(actor_id=by.pk, claim_id=claim.pk))
    return entry


def pool_balance(pool: RiskPool) -> Decimal:
    return LedgerEntry.objects.filter(pool=pool).aggregate(s=Sum("amount"))["s"] or ZERO


def pool_figures(pool: RiskPool) -> dict[str, Decimal | None]:
    """Balance, contributions, loans registered and outstanding, compensation paid, leverage
    (loans registered / contributions) and loss rate (principal lost / loans registered)."""
    ledger = LedgerEntry.objects.filter(pool=pool)
    contributed = ledger.filter(kind="contribution").aggregate(s=Sum("amount"))["s"] or ZERO
    paid = -(ledger.filter(kind="compensation").aggregate(s=Sum("amount"))["s"] or ZERO)
    loans = Loan.objects.filter(pool=pool)
    registered = loans.aggregate(s=Sum("amount"))["s"] or ZERO
    active = loans.filter(status="active").aggregate(s=Sum("amount"))["s"] or ZERO
    lost = (
        Claim.objects.filter(loan__pool=pool)
        .exclude(status="rejected")
        .aggregate(s=Sum("loss"))["s"]
        or ZERO
    )
    return {
        "balance": pool_balance(pool),
        "contributed": contributed,
        "loans_registered": registered,
        "loans_active": active,
        "compensation_paid": paid,
        "leverage": (registered / contributed).quantize(CENT) if contributed else None,
        "loss_rate": (lost / registered * 100).quantize(CENT) if registered else None,
    }


@transaction.atomic
def programme_use_record(
    *,
    programme: Programme,
    enterprise: Enterprise,
    institution: str,
    amount: Any,
    used_on: dt.date,
    reference: str,
    by: Any,
) -> ProgrammeUse:
    """An enterprise's use of a policy finance product (a loan, a policy), recorded once."""
    require_office(by)
    institution = (institution or "").strip()
    if institution not in programme.institutions:
        raise PolicyError.one("institution", _("Not a participating institution of this product."))
    ref = (reference or "").strip()
    if not ref or len(ref) > 100:
        raise PolicyError.one("reference", _("Give the contract or policy number."))
    use = ProgrammeUse(
        programme=programme,
        enterprise=enterprise,
        institution=institution,
        amount=_yuan(amount, "amount"),
        used_on=used_on,
        reference=ref,
        recorded_by=by,
        recorded_at=timezone.now(),
        is_demo=programme.is_demo,
    )
    try:
        with transaction.atomic():
            use.save()
    except IntegrityError:
        raise PolicyError.one(
            "reference", _("This use is already recorded."), code="conflict"
        ) from None
    audit_record(
        actor=by,
        action="record",
        obj=use,
        after={"amount": use.amount, "enterprise": enterprise.uscc},
    )
    return use
