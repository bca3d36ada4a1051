"""Technology contract registration (技术合同认定登记): submission, expert review, decision,
change and cancellation.

The seller submits the complete contract once, where it is located. The registrar decides
within 15 working days, or 30 with expert review when the 技术交易额 is 500万元 or more.
A registered contract gets a certificate; a change registration (a new version that
supersedes it) or a cancellation revokes that certificate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record
from nengji.core.models import Organisation
from nengji.core.roles import Role, require_role, role_of
from nengji.techrights import workdays
from nengji.techrights.errors import DomainError, TechrightsError, refused
from nengji.techrights.models import (
    Achievement,
    CertificateKind,
    ContractCategory,
    ContractEvent,
    ContractStatus,
    TechContract,
)
from nengji.techrights.services import validate as v
from nengji.techrights.services.certificates import (
    ID_ALPHABET,
    certificate_issue,
    certificate_revoke,
)

EXPERT_THRESHOLD = Decimal("5000000")  # 500万元
DAYS = 15
DAYS_WITH_EXPERTS = 30
MIN_TEXT = 200
MAX_TEXT = 500_000

#: status → the statuses it may move to
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ContractStatus.SUBMITTED: (
        ContractStatus.EXPERT_REVIEW,
        ContractStatus.REGISTERED,
        ContractStatus.REFUSED,
    ),
    ContractStatus.EXPERT_REVIEW: (ContractStatus.REGISTERED, ContractStatus.REFUSED),
    ContractStatus.REGISTERED: (ContractStatus.CHANGED, ContractStatus.CANCELLED),
    ContractStatus.REFUSED: (),
    ContractStatus.CHANGED: (),
    ContractStatus.CANCELLED: (),
}


def _move(contract: TechContract, to: str, *, on: dt.date, note: str, by: Any) -> None:
    if to not in TRANSITIONS[contract.status]:
        raise TechrightsError.one(
            "status",
            _("A contract that is %(s)s cannot become %(t)s.")
            % {"s": contract.get_status_display(), "t": ContractStatus(to).label},
            code="conflict",
        )
    before = contract.status
    contract.status = to
    if to in (ContractStatus.REGISTERED, ContractStatus.REFUSED):
        contract.decided_on = on
    contract.save(update_fields=["status", "decided_on"])
    ContractEvent.objects.create(
        contract=contract,
        status=to,
        on=on,
        note=note,
        by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(
        actor=by,
        action=f"contract.{to}",
        obj=contract,
        before={"status": before},
        after={"status": to, "note": note},
    )


def _may_submit(by: Any, seller: Organisation) -> None:
    role = role_of(by)
    if role in (Role.OFFICE, Role.EXCHANGE):
        return
    if role in (Role.UNIVERSITY, Role.ENTERPRISE) and by.organisation_id == seller.pk:
        return
    raise refused(_("Only the seller (or the registrar) may submit its contract."))


@transaction.atomic
def contract_submit(
    *,
    seller: Organisation,
    buyer_name: str,
    category: str,
    title: str,
    signed_on: Any,
    starts_on: Any,
    ends_on: Any,
    contract_amount: Any,
    tech_amount: Any,
    text: str,
    by: Any,
    submitted_on: Any = None,
    achievement: Achievement | None = None,
    supersedes: TechContract | None = None,
    is_demo: bool = False,
) -> TechContract:
    """Submit a contract with every statutory field; the due date follows from the working-day
    calendar. Every problem found is reported at once, and nothing is recorded."""
    _may_submit(by, seller)
    problems: list[DomainError] = []

    def check(fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except TechrightsError as exc:
            problems.append(exc)
            return None

    buyer_name = check(v.text, buyer_name, field="buyer_name", max_length=200)
    category = check(v.choice, category, field="category", choices=ContractCategory)
    title = check(v.text, title, field="title", max_length=300)
    signed = check(v.date, signed_on, field="signed_on")
    start = check(v.date, starts_on, field="starts_on", allow_future=True)
    end = check(v.date, ends_on, field="ends_on", allow_future=True)
    total = check(v.amount, contract_amount, field="contract_amount")
    tech = check(v.amount, tech_amount, field="tech_amount", allow_zero=True)
    body = check(v.text, text, field="text", max_length=MAX_TEXT)
    submitted = check(v.date, submitted_on or timezone.localdate(), field="submitted_on")
    if body is not None and len(body) < MIN_TEXT:
        problems.append(
            TechrightsError.one(
                "text",
                _("Give the complete contract text (at least %(n)s characters).") % {"n": MIN_TEXT},
            )
        )
    if total is not None and tech is not None and tech > total:
        problems.append(
            TechrightsError.one(
                "tech_amount", _("The technology turnover cannot exceed the contract turnover.")
            )
        )
    if start and end and end < start:
        problems.append(TechrightsError.one("ends_on", _("Performance ends before it starts.")))
    if signed and end and end < signed:
        problems.append(TechrightsError.one("ends_on", _("Performance ends before signature.")))
    if signed and submitted and submitted < signed:
        problems.append(
            TechrightsError.one("submitted_on", _("Submitted before the contract was signed."))
        )
    if problems:
        raise TechrightsError([d for p in problems for d in p.detail])
    assert body is not None and submitted is not None and tech is not None
    digest = hashlib.sha256(body.encode()).hexdigest()
    live = TechContract.objects.filter(
        seller=seller,
        text_sha256=digest,
        status__in=(
            ContractStatus.SUBMITTED,
            ContractStatus.EXPERT_REVIEW,
            ContractStatus.REGISTERED,
        ),
    )
    if supersedes is not None:
        live = live.exclude(pk=supersedes.pk)
    if live.exists():
        raise TechrightsError.one(
            "text", _("This contract is already submitted for registration."), code="conflict"
        )
    expert = tech >= EXPERT_THRESHOLD
    contract = TechContract.objects.create(
        number=f"JSHT-{submitted:%Y}-" + "".join(secrets.choice(ID_ALPHABET) for _ in range(8)),
        registrar=None,
        seller=seller,
        buyer_name=buyer_name,
        category=category,
        title=title,
        signed_on=signed,
        starts_on=start,
        ends_on=end,
        contract_amount=total,
        tech_amount=tech,
        text=body,
        text_sha256=digest,
        submitted_on=submitted,
        due_on=workdays.add_workdays(submitted, DAYS_WITH_EXPERTS if expert else DAYS),
        expert_review=expert,
        achievement=achievement,
        supersedes=supersedes,
        version=(supersedes.version + 1) if supersedes else 1,
        is_demo=is_demo,
    )
    ContractEvent.objects.create(
        contract=contract,
        status=ContractStatus.SUBMITTED,
        on=submitted,
        by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(
        actor=by,
        action="contract.submit",
        obj=contract,
        organisation=seller,
        after={"number": contract.number, "tech_amount": tech, "expert_review": expert},
    )
    return contract


def _locked(contract: TechContract) -> TechContract:
    return TechContract.objects.select_for_update().select_related("seller").get(pk=contract.pk)


@transaction.atomic
def contract_review_start(*, contract: TechContract, by: Any, on: Any = None) -> TechContract:
    """Send a contract to expert review (required at or above the threshold)."""
    require_role(by, Role.OFFICE)
    contract = _locked(contract)
    day = v.date(on or timezone.localdate(), field="on")
    _move(contract, ContractStatus.EXPERT_REVIEW, on=day, note="", by=by)
    return contract


@transaction.atomic
def contract_decide(
    *, contract: TechContract, register: bool, note: str = "", by: Any, on: Any = None
) -> TechContract:
    """Register or refuse. A contract that needs expert review is decided only after it.
    Registering issues the certificate, and supersedes the version this one changes."""
    require_role(by, Role.OFFICE)
    contract = _locked(contract)
    day = v.date(on or timezone.localdate(), field="on")
    note = v.text(note, field="note", max_length=500, required=not register)
    if day < contract.submitted_on:
        raise TechrightsError.one("on", _("The decision cannot precede the submission."))
    if contract.expert_review and contract.status == ContractStatus.SUBMITTED:
        raise TechrightsError.one(
            "status", _("This contract needs expert review before a decision."), code="conflict"
        )
    _move(
        contract,
        ContractStatus.REGISTERED if register else ContractStatus.REFUSED,
        on=day,
        note=note,
        by=by,
    )
    if not register:
        return contract
    cert = certificate_issue(
        kind=CertificateKind.CONTRACT,
        subject={
            "contract": {
                "number": contract.number,
                "category": contract.category,
                "title": contract.title,
                "buyer": contract.buyer_name,
                "version": contract.version,
                "text_sha256": contract.text_sha256,
            }
        },
        parties=[(contract.seller, "seller")],
        amounts={
            "contract_turnover_yuan": format(contract.contract_amount, "f"),
            "technology_turnover_yuan": format(contract.tech_amount, "f"),
        },
        dates={
            "signed_on": contract.signed_on.isoformat(),
            "performance_from": contract.starts_on.isoformat(),
            "performance_until": contract.ends_on.isoformat(),
            "submitted_on": contract.submitted_on.isoformat(),
            "registered_on": day.isoformat(),
        },
        is_demo=contract.is_demo,
        links={"contract": contract, "achievement": contract.achievement},
        by=by,
    )
    old = contract.supersedes
    if old is not None:
        old = _locked(old)
        _move(old, ContractStatus.CHANGED, on=day, note=contract.number, by=by)
        for previous in old.certificates.filter(revocation__isnull=True):
            certificate_revoke(
                certificate=previous,
                reason=_("Changed by %(n)s") % {"n": contract.number},
                superseded_by=cert,
                by=by,
            )
    return contract


@transaction.atomic
def contract_cancel(
    *, contract: TechContract, reason: str, by: Any, on: Any = None
) -> TechContract:
    """Cancel a registered contract; its certificate is revoked with the reason."""
    require_role(by, Role.OFFICE)
    contract = _locked(contract)
    day = v.date(on or timezone.localdate(), field="on")
    reason = v.text(reason, field="reason", max_length=300)
    _move(contract, ContractStatus.CANCELLED, on=day, note=reason, by=by)
    for cert in contract.certificates.filter(revocation__isnull=True):
        certificate_revoke(certificate=cert, reason=reason, by=by)
    return contract


@transaction.atomic
def contract_change(*, contract: TechContract, by: Any, **fields: Any) -> TechContract:
    """Submit a change registration: a new version of a registered contract, with the fields
    given replacing the old ones. The old version stays registered until the new one is."""
    if contract.status != ContractStatus.REGISTERED:
        raise TechrightsError.one(
            "status", _("Only a registered contract can be changed."), code="conflict"
        )
    if TechContract.objects.filter(supersedes=contract).exists():
        raise TechrightsError.one(
            "status", _("A change of this contract is already submitted."), code="conflict"
        )
    names = (
        "buyer_name",
        "category",
        "title",
        "signed_on",
        "starts_on",
        "ends_on",
        "contract_amount",
        "tech_amount",
        "text",
    )
    unknown = set(fields) - set(names) - {"submitted_on"}
    if unknown:
        raise TechrightsError.one(sorted(unknown)[0], _("This field cannot be changed."))
    values = {name: fields.get(name, getattr(contract, name)) for name in names}
    return contract_submit(
        seller=contract.seller,
        by=by,
        achievement=contract.achievement,
        supersedes=contract,
        submitted_on=fields.get("submitted_on"),
        is_demo=contract.is_demo,
        **values,
    )
