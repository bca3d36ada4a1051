"""Certificates as files: canonical JSON, Ed25519 signatures, key sets, and the verifier.

Nothing here touches the database: `certificate_verify` needs only the certificate document and
the issuer's published key set, so any system (another nengji installation, a bank, a court)
can check a certificate without calling the issuer. The format is specified in
docs/techrights.md; a change to it is a change of ``FORMAT``.

- **Canonical JSON**: UTF-8, keys sorted by code point, no whitespace, no floats (amounts are
  decimal strings), non-ASCII characters written as themselves. For the values allowed here
  (strings, integers, booleans, null, arrays, objects) this is RFC 8785 (JCS).
- **Document**: ``{"format": FORMAT, "payload": {...}, "signature": {"alg": "Ed25519",
  "key_id": KID, "value": BASE64URL}}``; the signature is over the canonical bytes of
  ``payload``, and ``payload.key_id`` must equal ``signature.key_id`` (so the key is signed).
- **Key ID**: the first 16 hex digits of SHA-256 of the raw 32-byte public key.
- **Key set**: ``{"format": KEYSET_FORMAT, "issuer": NAME, "keys": [{"key_id", "alg",
  "public_key" (base64url of the raw key), "created", "retired"}]}``; a retired key no longer
  signs but still verifies what it signed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

FORMAT = "nengji-certificate/1"
KEYSET_FORMAT = "nengji-keyset/1"
REVOCATIONS_FORMAT = "nengji-revocations/1"
ALG = "Ed25519"
#: a certificate file is small; anything larger is refused before parsing
MAX_DOCUMENT_BYTES = 64 * 1024
MAX_DEPTH = 8


class CertificateFormatError(ValueError):
    """The bytes are not a certificate document of this format."""


def canonical(value: Any) -> bytes:
    """The canonical JSON bytes of `value` (refusing floats, which have no canonical form)."""
    _check_canonical(value, depth=0)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _check_canonical(value: Any, *, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise CertificateFormatError("nested too deeply")
    if isinstance(value, float):
        raise CertificateFormatError("floats are not allowed; write numbers as decimal strings")
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                raise CertificateFormatError("object keys must be strings")
            _check_canonical(v, depth=depth + 1)
    elif isinstance(value, list):
        for v in value:
            _check_canonical(v, depth=depth + 1)
    elif not (value is None or isinstance(value, str | int | bool)):
        raise CertificateFormatError(f"{type(value).__name__} is not a JSON value")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not isinstance(text, str) or not text.isascii():
        raise CertificateFormatError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise CertificateFormatError("not base64url") from None


def public_raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id_of(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(public_raw(key)).hexdigest()[:16]


def document_sign(
    payload: Mapping[str, Any], *, private_key: Ed25519PrivateKey, format: str = FORMAT
) -> dict[str, Any]:
    """The signed document for `payload` (which must already carry this key's ``key_id``)."""
    kid = key_id_of(private_key.public_key())
    if payload.get("key_id") != kid:
        raise ValueError("the payload must name the signing key's key_id")
    signature = private_key.sign(canonical(dict(payload)))
    return {
        "format": format,
        "payload": dict(payload),
        "signature": {"alg": ALG, "key_id": kid, "value": b64url(signature)},
    }


def document_bytes(document: Mapping[str, Any]) -> bytes:
    """A document as its file holds it: canonical JSON and a final newline."""
    return canonical(dict(document)) + b"\n"


def document_parse(data: bytes) -> dict[str, Any]:
    """The document in `data`, bounded before parsing; `CertificateFormatError` if not one."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise CertificateFormatError(f"larger than {MAX_DOCUMENT_BYTES} bytes")
    try:
        document = json.loads(data.decode("utf-8"), parse_float=_no_float, parse_constant=_no_nan)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise CertificateFormatError(f"not JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CertificateFormatError(f"not a {FORMAT} document")
    payload, signature = document.get("payload"), document.get("signature")
    if not isinstance(payload, dict) or not isinstance(signature, dict):
        raise CertificateFormatError("payload and signature must be objects")
    for name in ("alg", "key_id", "value"):
        if not isinstance(signature.get(name), str):
            raise CertificateFormatError(f"signature.{name} is missing")
    if not isinstance(payload.get("id"), str):
        raise CertificateFormatError("payload.id is missing")
    _check_canonical(document, depth=0)
    return document


def _no_float(text: str) -> Any:
    raise CertificateFormatError("floats are not allowed; numbers are decimal strings")


def _no_nan(text: str) -> Any:
    raise CertificateFormatError(f"{text} is not JSON")


@dataclass(frozen=True)
class PublicKey:
    key_id: str
    key: Ed25519PublicKey
    created: str = ""
    retired: str = ""


@dataclass
class KeySet:
    """An issuer's public keys (current and retired), by key ID."""

    issuer: str
    keys: dict[str, PublicKey] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": KEYSET_FORMAT,
            "issuer": self.issuer,
            "keys": [
                {
                    "key_id": k.key_id,
                    "alg": ALG,
                    "public_key": b64url(public_raw(k.key)),
                    "created": k.created,
                    "retired": k.retired,
                }
                for k in self.keys.values()
            ],
        }

    def merged(self, other: KeySet) -> KeySet:
        return KeySet(issuer=self.issuer, keys={**other.keys, **self.keys})


def keyset_parse(data: bytes) -> KeySet:
    """A key set from its JSON, or a single key given as PEM (``-----BEGIN PUBLIC KEY-----``)."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise CertificateFormatError("key file too large")
    if data.lstrip().startswith(b"-----BEGIN PUBLIC KEY-----"):
        from cryptography.hazmat.primitives.serialization import load_pem_public_key

        try:
            key = load_pem_public_key(data)
        except ValueError:
            raise CertificateFormatError("not a PEM public key") from None
        if not isinstance(key, Ed25519PublicKey):
            raise CertificateFormatError("not an Ed25519 public key")
        return KeySet(issuer="", keys={key_id_of(key): PublicKey(key_id_of(key), key)})
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CertificateFormatError("not a key set (JSON) nor a PEM public key") from None
    if not isinstance(raw, dict) or raw.get("format") != KEYSET_FORMAT:
        raise CertificateFormatError(f"not a {KEYSET_FORMAT} document")
    keys: dict[str, PublicKey] = {}
    for item in raw.get("keys") or []:
        if not isinstance(item, dict) or item.get("alg") != ALG:
            raise CertificateFormatError("every key must be an Ed25519 key")
        try:
            key = Ed25519PublicKey.from_public_bytes(b64url_decode(str(item.get("public_key"))))
        except ValueError:
            raise CertificateFormatError("a public key is not 32 bytes") from None
        kid = key_id_of(key)
        if item.get("key_id") != kid:
            raise CertificateFormatError(f"key_id {item.get('key_id')!r} does not match its key")
        keys[kid] = PublicKey(kid, key, str(item.get("created", "")), str(item.get("retired", "")))
    return KeySet(issuer=str(raw.get("issuer", "")), keys=keys)


#: verification outcomes; only VALID means the certificate may be relied on
VALID = "valid"
MALFORMED = "malformed"
UNKNOWN_KEY = "unknown_key"
BAD_SIGNATURE = "bad_signature"
KEY_MISMATCH = "key_mismatch"
REVOKED = "revoked"
SUPERSEDED = "superseded"


@dataclass(frozen=True)
class Verdict:
    status: str
    message: str
    certificate_id: str = ""
    key_id: str = ""
    payload: dict[str, Any] | None = None
    revocation: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.status == VALID


def certificate_verify(
    data: bytes | Mapping[str, Any],
    *,
    keys: KeySet,
    revoked: Mapping[str, Mapping[str, Any]] | None = None,
) -> Verdict:
    """Check a certificate document against the issuer's keys and, if given, its revocations
    (certificate ID → ``{"reason", "at", "superseded_by"}``). Never raises on bad input."""
    try:
        document = document_parse(data if isinstance(data, bytes) else canonical(dict(data)))
    except CertificateFormatError as exc:
        return Verdict(MALFORMED, f"not a valid certificate file: {exc}")
    payload, signature = document["payload"], document["signature"]
    cid, kid = payload["id"], signature["key_id"]
    if signature["alg"] != ALG:
        return Verdict(MALFORMED, f"unsupported algorithm {signature['alg']!r}", cid, kid)
    if payload.get("key_id") != kid:
        return Verdict(
            KEY_MISMATCH, "the signature's key ID differs from the signed key ID", cid, kid
        )
    public = keys.keys.get(kid)
    if public is None:
        return Verdict(
            UNKNOWN_KEY,
            f"signed by key {kid}, which is not among the issuer's published keys",
            cid,
            kid,
        )
    try:
        value = b64url_decode(signature["value"])
        public.key.verify(value, canonical(payload))
    except (InvalidSignature, CertificateFormatError):
        return Verdict(
            BAD_SIGNATURE,
            "the signature does not match the content: the certificate was altered or forged",
            cid,
            kid,
        )
    gone = (revoked or {}).get(cid)
    if gone is not None:
        status = SUPERSEDED if gone.get("superseded_by") else REVOKED
        text = (
            f"superseded by {gone['superseded_by']}"
            if status == SUPERSEDED
            else f"revoked on {gone.get('at', '')}: {gone.get('reason', '')}"
        )
        return Verdict(status, text, cid, kid, payload, dict(gone))
    return Verdict(VALID, "valid: signed by the issuer's key and not revoked", cid, kid, payload)


def revocations_parse(data: bytes, *, keys: KeySet) -> dict[str, dict[str, Any]]:
    """A signed revocation list (verified with `keys`) as certificate ID → entry."""
    if len(data) > 16 * 1024 * 1024:
        raise CertificateFormatError("revocation list too large")
    try:
        raw = json.loads(data.decode("utf-8"), parse_float=_no_float)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CertificateFormatError("the revocation list is not JSON") from None
    if not isinstance(raw, dict) or raw.get("format") != REVOCATIONS_FORMAT:
        raise CertificateFormatError(f"not a {REVOCATIONS_FORMAT} document")
    payload, signature = raw.get("payload"), raw.get("signature")
    if not isinstance(payload, dict) or not isinstance(signature, dict):
        raise CertificateFormatError("payload and signature must be objects")
    public = keys.keys.get(str(signature.get("key_id")))
    if public is None or payload.get("key_id") != signature.get("key_id"):
        raise CertificateFormatError("the revocation list is signed by an unknown key")
    try:
        public.key.verify(b64url_decode(str(signature.get("value"))), canonical(payload))
    except InvalidSignature:
        raise CertificateFormatError("the revocation list's signature does not match") from None
    return {str(item["id"]): item for item in payload.get("revoked", []) if isinstance(item, dict)}
