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
