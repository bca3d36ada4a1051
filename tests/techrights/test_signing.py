"""The certificate format on its own (no database): canonical JSON, signatures, attacks."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from nengji.techrights import signing as s


def keyset(*keys: Ed25519PrivateKey) -> s.KeySet:
    return s.KeySet(
        issuer="测试",
        keys={
            s.key_id_of(k.public_key()): s.PublicKey(s.key_id_of(k.public_key()), k.public_key())
            for k in keys
        },
    )


def signed(key: Ed25519PrivateKey, **extra: object) -> dict:
    payload = {
        "id": "NJ-20250303-ABCDEFGHJK",
        "kind": "transaction",
        "key_id": s.key_id_of(key.public_key()),
        "parties": [{"role": "seller", "name": "复旦大学（演示）"}],
        "amounts": {"amount_yuan": "1200000.00"},
        **extra,
    }
    return s.document_sign(payload, private_key=key)


def test_canonical_json_is_sorted_compact_utf8_and_refuses_floats() -> None:
    assert s.canonical({"b": 1, "a": ["中", True, None]}) == '{"a":["中",true,null],"b":1}'.encode()
    with pytest.raises(s.CertificateFormatError):
        s.canonical({"amount": 1.5})


def test_a_signed_document_verifies() -> None:
    key = Ed25519PrivateKey.generate()
    verdict = s.certificate_verify(s.document_bytes(signed(key)), keys=keyset(key))
    assert verdict.ok, verdict.message
    assert verdict.payload is not None and verdict.payload["amounts"]["amount_yuan"] == "1200000.00"


@pytest.mark.parametrize("position", [0, 40, 80, 120, 160, 200])
def test_one_byte_of_the_payload_changed_is_caught(position: int) -> None:
    key = Ed25519PrivateKey.generate()
    document = signed(key)
    raw = bytearray(s.canonical(document["payload"]))
    # change one character inside a string value (keeping the JSON valid)
    eligible = [i for i, b in enumerate(raw) if chr(b) in "0123456789ABCDEFGHJK"]
    i = eligible[position % len(eligible)]
    raw[i] = ord("9") if raw[i] != ord("9") else ord("8")
    document["payload"] = json.loads(raw)
    verdict = s.certificate_verify(s.document_bytes(document), keys=keyset(key))
    assert verdict.status in (s.BAD_SIGNATURE, s.KEY_MISMATCH, s.MALFORMED)
    assert not verdict.ok


def test_an_amount_raised_is_caught_as_altered() -> None:
    key = Ed25519PrivateKey.generate()
    document = signed(key)
    document["payload"]["amounts"]["amount_yuan"] = "9200000.00"
    verdict = s.certificate_verify(document, keys=keyset(key))
    assert verdict.status == s.BAD_SIGNATURE
    assert "altered" in verdict.message


@pytest.mark.parametrize("index", [0, 10, 42, 85])
def test_one_byte_of_the_signature_changed_is_caught(index: int) -> None:
    key = Ed25519PrivateKey.generate()
    document = signed(key)
    raw = bytearray(s.b64url_decode(document["signature"]["value"]))
    raw[min(index, 63)] ^= 0x01
    document["signature"]["value"] = s.b64url(bytes(raw))
    assert s.certificate_verify(document, keys=keyset(key)).status == s.BAD_SIGNATURE


def test_signed_by_an_unknown_key() -> None:
    ours, theirs = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    verdict = s.certificate_verify(signed(theirs), keys=keyset(ours))
    assert verdict.status == s.UNKNOWN_KEY
    assert s.key_id_of(theirs.public_key()) in verdict.message


def test_a_forger_naming_our_key_id_fails_the_signature() -> None:
    ours, theirs = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    document = signed(theirs)
    kid = s.key_id_of(ours.public_key())
    document["payload"]["key_id"] = kid
    document["signature"]["key_id"] = kid
    document["signature"]["value"] = s.b64url(theirs.sign(s.canonical(document["payload"])))
    assert s.certificate_verify(document, keys=keyset(ours)).status == s.BAD_SIGNATURE


def test_the_signature_key_id_must_be_the_signed_one() -> None:
    a, b = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    document = signed(a)
    document["signature"]["key_id"] = s.key_id_of(b.public_key())
    assert s.certificate_verify(document, keys=keyset(a, b)).status == s.KEY_MISMATCH


def test_revoked_and_superseded() -> None:
    key = Ed25519PrivateKey.generate()
    document = signed(key)
    cid = document["payload"]["id"]
    revoked = s.certificate_verify(
        document, keys=keyset(key), revoked={cid: {"reason": "合同解除", "at": "2025-04-01"}}
    )
    assert revoked.status == s.REVOKED and "合同解除" in revoked.message
    superseded = s.certificate_verify(
        document, keys=keyset(key), revoked={cid: {"superseded_by": "NJ-X", "reason": "变更"}}
    )
    assert superseded.status == s.SUPERSEDED and "NJ-X" in superseded.message


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b"[]",
        b'{"format": "nengji-certificate/1"}',
        b'{"format": "other", "payload": {}, "signature": {}}',
        b"\xff\xfe\x00",
        b'{"format":"nengji-certificate/1","payload":{"id":"x","n":1.5},'
        b'"signature":{"alg":"Ed25519","key_id":"k","value":"v"}}',
        b'{"format":"nengji-certificate/1","payload":{"id":"x","n":NaN},'
        b'"signature":{"alg":"Ed25519","key_id":"k","value":"v"}}',
        b"[" * 100_000,
        b" " * (s.MAX_DOCUMENT_BYTES + 1),
    ],
)
def test_hostile_files_are_malformed_never_an_exception(data: bytes) -> None:
    verdict = s.certificate_verify(data, keys=keyset(Ed25519PrivateKey.generate()))
    assert verdict.status == s.MALFORMED


def test_a_key_set_round_trips_and_rejects_a_wrong_key_id() -> None:
    key = Ed25519PrivateKey.generate()
    published = json.dumps(keyset(key).as_json()).encode()
    parsed = s.keyset_parse(published)
    assert list(parsed.keys) == [s.key_id_of(key.public_key())]
    forged = keyset(key).as_json()
    forged["keys"][0]["key_id"] = "0000000000000000"
    with pytest.raises(s.CertificateFormatError):
        s.keyset_parse(json.dumps(forged).encode())
    with pytest.raises(s.CertificateFormatError):
        s.keyset_parse(b"-----BEGIN PUBLIC KEY-----\ngarbage\n-----END PUBLIC KEY-----\n")


def test_a_revocation_list_with_a_bad_signature_is_refused() -> None:
    key = Ed25519PrivateKey.generate()
    payload = {"key_id": s.key_id_of(key.public_key()), "revoked": [{"id": "NJ-1"}]}
    document = s.document_sign(payload, private_key=key, format=s.REVOCATIONS_FORMAT)
    assert "NJ-1" in s.revocations_parse(s.document_bytes(document), keys=keyset(key))
    document["payload"]["revoked"] = []
    with pytest.raises(s.CertificateFormatError):
        s.revocations_parse(s.document_bytes(document), keys=keyset(key))
