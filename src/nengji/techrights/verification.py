"""Verification as the public page and the API give it: a certificate looked up by ID, or a
certificate file uploaded, checked against the published keys and revocations; and the
check that a QR code's signature belongs to the certificate it names."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from nengji.techrights import keys as keystore
from nengji.techrights.models import Certificate
from nengji.techrights.selectors import certificate_check, certificate_get, revoked_map
from nengji.techrights.signing import (
    MALFORMED,
    MAX_DOCUMENT_BYTES,
    Verdict,
    certificate_verify,
)

NOT_FOUND = "not_found"
QR_MISMATCH = "qr_mismatch"


@dataclass(frozen=True)
class Result:
    """A verdict with what the page shows: the stored certificate, if one was found."""

    verdict: Verdict
    certificate: Certificate | None = None

    @property
    def text(self) -> str:
        return verdict_text(self.verdict)

    @property
    def rows(self) -> list[tuple[str, str]]:
        return certificate_rows(self.verdict.payload) if self.verdict.payload else []

    def as_json(self) -> dict[str, Any]:
        v = self.verdict
        return {
            "id": v.certificate_id,
            "status": v.status,
            "valid": v.ok,
            "message": v.message,
            "key_id": v.key_id,
            "revocation": v.revocation,
            "certificate": v.payload,
        }


def verify_by_id(*, cert_id: str, qr_signature: str | None = None) -> Result:
    """The certificate `cert_id` as stored here. If the QR code's signature is given, it must
    be this certificate's own: a code copied from another certificate is named as such."""
    cert = certificate_get(cert_id=cert_id)
    if cert is None:
        return Result(
            Verdict(NOT_FOUND, _("No certificate with this ID was issued here."), cert_id[:40])
        )
    if qr_signature is not None and not hmac.compare_digest(
        qr_signature.strip().encode(), cert.signature.encode()
    ):
        return Result(
            Verdict(
                QR_MISMATCH,
                _(
                    "The signature in the QR code is not this certificate's: the code was "
                    "copied from another certificate or altered."
                ),
                cert.cert_id,
                cert.key_id,
            ),
            cert,
        )
    return Result(certificate_check(cert), cert)


def verify_upload(*, data: bytes) -> Result:
    """An uploaded certificate file (bounded before parsing), against this installation's own
    and trusted keys and its revocations."""
    if len(data) > MAX_DOCUMENT_BYTES:
        return Result(
            Verdict(MALFORMED, _("The file is too large to be a certificate (at most 64 KB)."))
        )
    keys = keystore.own_keyset().merged(keystore.trusted_keysets())
    verdict = certificate_verify(data, keys=keys, revoked=revoked_map())
    return Result(verdict, certificate_get(cert_id=verdict.certificate_id) if verdict.ok else None)


def _labels() -> dict[str, str]:
    """Names of the payload's fields and roles, in the reader's language."""
    return {
        "seller": _("seller"),
        "buyer": _("buyer"),
        "registrar": _("registrar"),
        "institution": _("institution"),
        "owner": _("owner"),
        "pledgor": _("pledgor"),
        "pledgee": _("pledgee"),
        "type": _("type"),
        "title": _("title"),
        "identifier": _("identifier"),
        "service_invention": _("service invention (职务科技成果)"),
        "inventors": _("inventors"),
        "reference": _("reference"),
        "mode": _("mode"),
        "method": _("pricing"),
        "share": _("share (%)"),
        "equity": _("equity (%)"),
        "exclusive": _("exclusive"),
        "field_of_use": _("field of use"),
        "territory": _("territory"),
        "starts_on": _("from"),
        "ends_on": _("until"),
        "number": _("registration number"),
        "category": _("category"),
        "version": _("version"),
        "text_sha256": _("SHA-256 of the contract text"),
        "amount_yuan": _("amount (yuan)"),
        "secured_yuan": _("secured amount (yuan)"),
        "contract_turnover_yuan": _("contract turnover (成交额, yuan)"),
        "technology_turnover_yuan": _("technology turnover (技术交易额, yuan)"),
        "concluded_on": _("concluded on"),
        "registered_on": _("registered on"),
        "signed_on": _("signed on"),
        "submitted_on": _("submitted on"),
        "performance_from": _("performance from"),
        "performance_until": _("performance until"),
        "kind": _("kind"),
        "seq": _("entry no."),
    }


def _value(key: str, value: Any) -> str:
    from nengji.techrights.models import (
        AchievementKind,
        CertificateKind,
        ContractCategory,
        Method,
        Mode,
    )

    vocab: dict[str, Any] = {
        "type": AchievementKind,
        "mode": Mode,
        "method": Method,
        "category": ContractCategory,
        "kind": CertificateKind,
    }
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "、".join(map(str, value))
    choices = vocab.get(key)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return "" if value is None else str(value)


def certificate_rows(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """The certificate's content as (label, value) rows for the page and the PDF."""
    labels = _labels()
    rows = [
        (_("Certificate ID"), str(payload.get("id", ""))),
        (_("Kind"), _value("kind", payload.get("kind"))),
        (_("Issuer"), str(payload.get("issuer", ""))),
        (_("Issued at"), str(payload.get("issued_at", ""))),
    ]
    for party in payload.get("parties") or []:
        if isinstance(party, dict):
            role = str(party.get("role", ""))
            rows.append((str(labels.get(role, role)), f"{party.get('name')} ({party.get('code')})"))
    for section in (payload.get("subject") or {}).values():
        if isinstance(section, dict):
            for k, v in section.items():
                rows.append((str(labels.get(k, k)), _value(k, v)))
    for group in ("amounts", "dates"):
        for k, v in (payload.get(group) or {}).items():
            rows.append((str(labels.get(k, k)), _value(k, v)))
    procedure = payload.get("procedure")
    if isinstance(procedure, dict):
        rows.append(
            (
                _("Listed procedure (进场免责)"),
                _("%(venue)s, listing %(no)s of %(on)s, notice %(days)s days (until %(end)s)")
                % {
                    "venue": procedure.get("venue", ""),
                    "no": procedure.get("listing_no", ""),
                    "on": procedure.get("listed_on", ""),
                    "days": procedure.get("notice_days", ""),
                    "end": procedure.get("notice_ended_on", ""),
                },
            )
        )
    rows.append((_("Signing key ID"), str(payload.get("key_id", ""))))
    return rows


def verdict_text(verdict: Verdict) -> str:
    """The verdict in the reader's language, with the revocation's reason or the unknown key."""
    texts = {
        "valid": _("Valid: signed by the issuer's key and not revoked."),
        "revoked": _("Revoked on %(at)s: %(reason)s"),
        "superseded": _("Superseded by %(by)s."),
        "bad_signature": _(
            "The signature does not match the content: the certificate was altered or forged."
        ),
        "unknown_key": _("Signed by key %(kid)s, which is not among the issuer's published keys."),
        "key_mismatch": _("The signature's key ID differs from the signed key ID."),
        "malformed": _("Not a valid certificate file."),
    }
    rev = verdict.revocation or {}
    text = texts.get(verdict.status)
    if text is None:
        return verdict.message
    return text % {
        "at": rev.get("at", ""),
        "reason": rev.get("reason", ""),
        "by": rev.get("superseded_by", ""),
        "kid": verdict.key_id,
    }
