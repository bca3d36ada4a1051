"""Technology-rights endpoints: verification, keys and revocations (public); achievements,
rights as of a date, transactions, certificates and contracts (by role).

Each endpoint calls one selector or service; the services check roles and bounds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from nengji.core.errors import DomainError
from nengji.core.models import Organisation
from nengji.core.roles import Role, require_role
from nengji.techrights import keys as keystore
from nengji.techrights import selectors, services
from nengji.techrights.models import Achievement, TechContract
from nengji.techrights.signing import MAX_DOCUMENT_BYTES, key_id_of
from nengji.techrights.verification import verify_by_id, verify_upload

router = Router()


# --- public: verification, keys, revocations -------------------------------------------------
class VerifyOut(Schema):
    id: str
    status: str = Field(
        description="valid, revoked, superseded, bad_signature, unknown_key, key_mismatch, "
        "malformed, qr_mismatch or not_found"
    )
    valid: bool
    message: str
    key_id: str
    revocation: dict[str, Any] | None
    certificate: dict[str, Any] | None = Field(description="the signed payload, when readable")


@router.get(
    "/verify/{cert_id}", auth=None, response={200: VerifyOut, 404: VerifyOut}, tags=["techrights"]
)
def verify(request: HttpRequest, cert_id: str, s: str | None = None) -> Status[Any]:
    """Verify a certificate issued here by its ID (and, from a QR code, its signature `s`)."""
    result = verify_by_id(cert_id=cert_id[:40], qr_signature=s)
    return Status(404 if result.verdict.status == "not_found" else 200, result.as_json())


@router.post("/verify", auth=None, response=VerifyOut, tags=["techrights"])
def verify_file(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    """Verify an uploaded certificate file (at most 64 KB; checked, not stored)."""
    if file.size is None or file.size > MAX_DOCUMENT_BYTES:
        raise DomainError.one(
            "file", _("The file is too large to be a certificate (at most 64 KB).")
        )
    return verify_upload(data=file.read(MAX_DOCUMENT_BYTES + 1)).as_json()


@router.get("/keys", auth=None, url_name="techrights_public_keys", tags=["techrights"])
def public_keys(request: HttpRequest) -> dict[str, Any]:
    """The issuer's key set (current and retired Ed25519 public keys) for offline verifiers."""
    current = key_id_of(keystore.signing_key().public_key())
    return {**keystore.own_keyset().as_json(), "current": current}


@router.get("/revocations", auth=None, url_name="techrights_revocations", tags=["techrights"])
def revocations(request: HttpRequest) -> dict[str, Any]:
    """Every revoked or superseded certificate, as a list signed with the current key."""
    return services.revocation_list_signed()


@router.get("/certificates/{cert_id}", auth=None, tags=["techrights"])
def certificate(request: HttpRequest, cert_id: str) -> dict[str, Any]:
    """The signed certificate document (canonical JSON), as `nengji cert export` writes it."""
    found = selectors.certificate_get(cert_id=cert_id)
    if found is None:
        raise DomainError.one("cert_id", _("No such certificate."), code="not_found")
    return selectors.certificate_document(found)


# --- achievements and rights -------------------------------------------------------------------
class OwnerIn(Schema):
    organisation: int
    share: Decimal


class AchievementIn(Schema):
    institution: int
    kind: str
    title: str = Field(max_length=300)
    identifier: str = Field("", max_length=64)
    is_service_invention: bool
    inventors: list[str] = Field(max_length=50)
    owners: list[OwnerIn] = Field(max_length=20)
    registered_on: dt.date


class AchievementOut(Schema):
    id: int
    institution: int = Field(alias="institution_id")
    kind: str
    title: str
    identifier: str
    is_service_invention: bool
    inventors: list[str]
    registered_on: dt.date
    is_demo: bool


def _user(request: HttpRequest) -> Any:
    return getattr(request, "auth", None)


def _org(pk: int, field: str) -> Organisation:
    found = Organisation.objects.filter(pk=pk).first()
    if found is None:
        raise DomainError.one(field, _("No such organisation."), code="not_found")
    return found


def _achievement(request: HttpRequest, pk: int) -> Achievement:
    found = selectors.achievements_visible(user=_user(request)).filter(pk=pk).first()
    if found is None:
        raise DomainError.one("achievement", _("No such achievement."), code="not_found")
    return found


@router.get("/achievements", response=list[AchievementOut], tags=["techrights"])
def achievements(request: HttpRequest) -> Any:
    """The achievements the caller may see (its own institution's, or the rights it holds)."""
    return list(selectors.achievements_visible(user=_user(request))[:1000])


@router.post("/achievements", response={201: AchievementOut}, tags=["techrights"])
def achievement_register(request: HttpRequest, payload: AchievementIn) -> Status[Any]:
    """Register an achievement with its owners (shares summing to 100); issues a certificate."""
    owners = [
        (_org(o.organisation, f"owners.{i}.organisation"), o.share)
        for i, o in enumerate(payload.owners)
    ]
    return Status(
        201,
        services.achievement_register(
            institution=_org(payload.institution, "institution"),
            kind=payload.kind,
            title=payload.title,
            identifier=payload.identifier,
            is_service_invention=payload.is_service_invention,
            inventors=payload.inventors,
            owners=owners,
            registered_on=payload.registered_on,
            by=_user(request),
        ),
    )


class HoldingOut(Schema):
    organisation: int
    name: str
    share: Decimal


class LicenceOut(Schema):
    seq: int
    licensee: int
    name: str
    exclusive: bool | None
    field_of_use: str
    territory: str
    starts_on: dt.date | None
    ends_on: dt.date | None


class RightsOut(Schema):
    achievement: int
    as_of: dt.date
    owners: list[HoldingOut]
    licences: list[LicenceOut]
    pledges: list[LicenceOut]


@router.get("/achievements/{pk}/rights", response=RightsOut, tags=["techrights"])
def rights(request: HttpRequest, pk: int, as_of: dt.date | None = None) -> dict[str, Any]:
    """Who holds which right in the achievement on `as_of` (default today)."""
    a = _achievement(request, pk)
    view = selectors.rights_view(achievement_id=a.pk, as_of=as_of)

    def lic(row: Any, org: Organisation) -> dict[str, Any]:
        return {
            "seq": row.seq,
            "licensee": org.pk,
            "name": org.name_zh,
            "exclusive": row.exclusive,
            "field_of_use": row.field_of_use,
            "territory": row.territory,
            "starts_on": row.starts_on,
            "ends_on": row.ends_on,
        }

    return {
        "achievement": a.pk,
        "as_of": view.state.as_of,
        "owners": [
            {"organisation": h.organisation.pk, "name": h.organisation.name_zh, "share": h.share}
            for h in view.owners
        ],
        "licences": [lic(r, o) for r, o in view.licences],
        "pledges": [lic(r, o) for r, o in view.pledges],
    }


# --- transactions ----------------------------------------------------------------------------
class ProcedureIn(Schema):
    venue: str = Field(max_length=200)
    listing_no: str = Field(max_length=64)
    listed_on: dt.date
    notice_days: int


class TransactionIn(Schema):
    reference: str = Field(max_length=64)
    achievement: int
    mode: str
    method: str
    seller: int
    buyer: int
    amount: Decimal
    concluded_on: dt.date
    share: Decimal | None = None
    equity: Decimal | None = None
    exclusive: bool | None = None
    field_of_use: str = Field("", max_length=200)
    territory: str = Field("", max_length=200)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    procedure: ProcedureIn | None = None


class TransactionOut(Schema):
    id: int
    reference: str
    achievement: int = Field(alias="achievement_id")
    mode: str
    method: str
    amount: Decimal
    concluded_on: dt.date
    certificate: str


@router.post(
    "/transactions", response={200: TransactionOut, 201: TransactionOut}, tags=["techrights"]
)
def transaction_register(request: HttpRequest, payload: TransactionIn) -> Status[Any]:
    """Register a concluded transaction (exchange or office). Sending the same reference and
    content again answers 200 with the first registration; other content under it is a 409."""
    require_role(_user(request), Role.EXCHANGE, Role.OFFICE)
    a = Achievement.objects.filter(pk=payload.achievement).first()
    if a is None:
        raise DomainError.one("achievement", _("No such achievement."), code="not_found")
    tx, created = services.transaction_register(
        reference=payload.reference,
        achievement=a,
        mode=payload.mode,
        method=payload.method,
        seller=_org(payload.seller, "seller"),
        buyer=_org(payload.buyer, "buyer"),
        amount=payload.amount,
        concluded_on=payload.concluded_on,
        share=payload.share,
        equity=payload.equity,
        exclusive=payload.exclusive,
        field_of_use=payload.field_of_use,
        territory=payload.territory,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        procedure=payload.procedure.dict() if payload.procedure else None,
        by=_user(request),
    )
    cert = tx.certificates.order_by("id").first()
    out = {
        "id": tx.pk,
        "reference": tx.reference,
        "achievement_id": tx.achievement_id,
        "mode": tx.mode,
        "method": tx.method,
        "amount": tx.amount,
        "concluded_on": tx.concluded_on,
        "certificate": cert.cert_id if cert else "",
    }
    return Status(201 if created else 200, out)


class RevokeIn(Schema):
    reason: str = Field(max_length=300)


@router.post("/certificates/{cert_id}/revoke", response={200: VerifyOut}, tags=["techrights"])
def certificate_revoke(request: HttpRequest, cert_id: str, payload: RevokeIn) -> Any:
    """Revoke a certificate (exchange or office); it then verifies as revoked everywhere the
    revocation list reaches."""
    found = selectors.certificate_get(cert_id=cert_id)
    if found is None:
        raise DomainError.one("cert_id", _("No such certificate."), code="not_found")
    services.certificate_revoke(certificate=found, reason=payload.reason, by=_user(request))
    return verify_by_id(cert_id=found.cert_id).as_json()


# --- technology contracts ----------------------------------------------------------------------
class ContractIn(Schema):
    seller: int
    buyer_name: str = Field(max_length=200)
    category: str
    title: str = Field(max_length=300)
    signed_on: dt.date
    starts_on: dt.date
    ends_on: dt.date
    contract_amount: Decimal
    tech_amount: Decimal
    text: str = Field(max_length=500_000)


class ContractOut(Schema):
    id: int
    number: str
    status: str
    category: str
    title: str
    contract_amount: Decimal
    tech_amount: Decimal
    submitted_on: dt.date
    due_on: dt.date
    expert_review: bool
    version: int


@router.post("/contracts", response={201: ContractOut}, tags=["techrights"])
def contract_submit(request: HttpRequest, payload: ContractIn) -> Status[TechContract]:
    """Submit a technology contract for registration (the seller, or the registrar for it)."""
    data = payload.dict()
    seller = _org(data.pop("seller"), "seller")
    return Status(201, services.contract_submit(seller=seller, by=_user(request), **data))


@router.get("/contracts/queue", response=list[ContractOut], tags=["techrights"])
def contract_queue(request: HttpRequest) -> list[TechContract]:
    """The registrar's queue: awaiting a decision, earliest due first (plan office)."""
    require_role(_user(request), Role.OFFICE, Role.LEADER)
    return [c for c, _overdue in selectors.contracts_queue()]


class DecisionIn(Schema):
    registered: bool = Field(description="true: register; false: refuse (give a note)")
    note: str = Field("", max_length=500)


@router.post("/contracts/{pk}/decision", response=ContractOut, tags=["techrights"])
def contract_decide(request: HttpRequest, pk: int, payload: DecisionIn) -> TechContract:
    """Register or refuse a contract (plan office); registering issues its certificate."""
    require_role(_user(request), Role.OFFICE)
    found = TechContract.objects.filter(pk=pk).first()
    if found is None:
        raise DomainError.one("contract", _("No such contract."), code="not_found")
    return services.contract_decide(
        contract=found, register=payload.registered, note=payload.note, by=_user(request)
    )
