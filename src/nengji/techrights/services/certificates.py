"""Issuing, revoking and superseding certificates; the signed revocation list.

A certificate is issued inside the transaction of the registration it attests (so there is
never a registration without its certificate, nor a certificate of a registration that was
rolled back). Its payload is canonical JSON signed with the installation's current key; the
stored ``payload`` text is exactly the signed bytes.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record
from nengji.core.models import Organisation
from nengji.core.roles import Role, require_role
from nengji.techrights import keys as keystore
from nengji.techrights.errors import TechrightsError
from nengji.techrights.models import Certificate, Revocation
from nengji.techrights.signing import (
    REVOCATIONS_FORMAT,
    canonical,
    document_sign,
    key_id_of,
)

ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud, typed from paper


def certificate_id_new(on: dt.date) -> str:
    """``NJ-YYYYMMDD-XXXXXXXXXX``: the issue date and 50 random bits (not enumerable)."""
    return f"NJ-{on:%Y%m%d}-" + "".join(secrets.choice(ID_ALPHABET) for _ in range(10))


def party(org: Organisation, role: str) -> dict[str, str]:
    return {"role": role, "name": org.name_zh, "kind": org.kind, "code": org.code}


def certificate_issue(
    *,
    kind: str,
    subject: dict[str, Any],
    parties: Sequence[tuple[Organisation, str]],
    amounts: dict[str, str] | None = None,
    dates: dict[str, str] | None = None,
    procedure: dict[str, Any] | None = None,
    is_demo: bool = False,
    links: dict[str, Any] | None = None,
    by: Any = None,
) -> Certificate:
    """Sign and store one certificate. Callers run inside their own atomic registration."""
    private = keystore.signing_key()
    kid = key_id_of(private.public_key())
    now = timezone.now().replace(microsecond=0)
    payload: dict[str, Any] = {
        "id": "",
        "kind": kind,
        "issuer": keystore.issuer_name(),
        "key_id": kid,
        "issued_at": now.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "subject": subject,
        "parties": [party(org, role) for org, role in parties],
        "amounts": amounts or {},
        "dates": dates or {},
        "procedure": procedure or None,
        "demo": is_demo,
    }
    for _attempt in range(5):
        payload["id"] = certificate_id_new(timezone.localdate())
        document = document_sign(payload, private_key=private)
        try:
            with transaction.atomic():
                cert = Certificate.objects.create(
                    cert_id=payload["id"],
                    kind=kind,
                    payload=canonical(payload).decode(),
                    signature=document["signature"]["value"],
                    key_id=kid,
                    issued_at=now,
                    is_demo=is_demo,
                    **(links or {}),
                )
            break
        except IntegrityError:  # an ID collision (2^-50); draw another
            continue
    else:  # pragma: no cover - would need five collisions in a row
        raise TechrightsError.one("id", _("Could not draw a unique certificate ID."))
    cert.parties.set([org for org, _role in parties])
    audit_record(actor=by, action="certificate.issue", obj=cert, after={"kind": kind})
    return cert


@transaction.atomic
def certificate_revoke(
    *,
    certificate: Certificate,
    reason: str,
    by: Any,
    superseded_by: Certificate | None = None,
) -> Revocation:
    """Withdraw a certificate (or mark it replaced by another). A certificate is revoked once:
    a second revocation, even a concurrent one, is refused."""
    require_role(by, Role.EXCHANGE, Role.OFFICE)
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise TechrightsError.one("reason", _("Give a reason (at most 300 characters)."))
    if superseded_by is not None and superseded_by.pk == certificate.pk:
        raise TechrightsError.one("superseded_by", _("A certificate cannot supersede itself."))
    Certificate.objects.select_for_update().filter(pk=certificate.pk).first()
    if Revocation.objects.filter(certificate=certificate).exists():
        raise TechrightsError.one(
            "certificate", _("This certificate is already revoked."), code="conflict"
        )
    try:
        with transaction.atomic():
            rev = Revocation.objects.create(
                certificate=certificate, reason=reason, superseded_by=superseded_by, by=by
            )
    except IntegrityError:
        raise TechrightsError.one(
            "certificate", _("This certificate is already revoked."), code="conflict"
        ) from None
    audit_record(
        actor=by,
        action="certificate.revoke",
        obj=certificate,
        after={"reason": reason, "superseded_by": getattr(superseded_by, "cert_id", None)},
    )
    return rev


def revocation_entry(rev: Revocation) -> dict[str, Any]:
    return {
        "id": rev.certificate.cert_id,
        "at": rev.at.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "reason": rev.reason,
        "superseded_by": rev.superseded_by.cert_id if rev.superseded_by else None,
    }


def revocation_list_signed() -> dict[str, Any]:
    """Every revocation, signed with the current key (format ``nengji-revocations/1``)."""
    private = keystore.signing_key()
    rows = Revocation.objects.select_related("certificate", "superseded_by").order_by("id")
    payload = {
        "issuer": keystore.issuer_name(),
        "key_id": key_id_of(private.public_key()),
        "issued_at": timezone.now()
        .astimezone(dt.UTC)
        .replace(microsecond=0)
        .isoformat()
        .replace("+00:00", "Z"),
        "revoked": [revocation_entry(r) for r in rows],
    }
    return document_sign(payload, private_key=private, format=REVOCATIONS_FORMAT)
