"""The public verification page and API: valid, altered, revoked, a QR code of another
certificate, unknown IDs, hostile uploads."""

from __future__ import annotations

import io
import json

import pytest
from django.db import connection
from django.urls import reverse

from nengji.techrights import services
from nengji.techrights.selectors import certificate_document
from nengji.techrights.signing import document_bytes
from tests.techrights import factories as f

pytestmark = pytest.mark.django_db


def test_the_public_page_verifies_by_id_and_by_qr(client) -> None:  # type: ignore[no-untyped-def]
    one = f.achievement().certificates.get()
    other = f.achievement().certificates.get()
    url = reverse("techrights:verify", kwargs={"cert_id": one.cert_id})
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-status="valid"' in page.content.decode()
    assert client.get(url, {"s": one.signature}).content.decode().count('data-status="valid"') == 1
    # the QR code of another certificate carries another signature
    copied = client.get(url, {"s": other.signature})
    assert 'data-status="qr_mismatch"' in copied.content.decode()
    api = client.get(f"/api/techrights/verify/{one.cert_id}", {"s": other.signature}).json()
    assert api["status"] == "qr_mismatch" and not api["valid"]
    assert client.get("/api/techrights/verify/NJ-NOPE").status_code == 404
    assert (
        client.get(reverse("techrights:verify", kwargs={"cert_id": "x" * 500})).status_code == 404
    )


def test_revoked_and_altered_show_as_such(client) -> None:  # type: ignore[no-untyped-def]
    cert = f.achievement().certificates.get()
    services.certificate_revoke(certificate=cert, reason="登记错误", by=f.user())
    api = client.get(f"/api/techrights/verify/{cert.cert_id}").json()
    assert api["status"] == "revoked" and "登记错误" in api["message"]
    listed = client.get("/api/techrights/revocations").json()
    assert [r["id"] for r in listed["payload"]["revoked"]] == [cert.cert_id]
    fresh = f.achievement().certificates.get()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE techrights_certificate SET signature = %s WHERE id = %s",
            [
                "A" + fresh.signature[1:]
                if fresh.signature[0] != "A"
                else "B" + fresh.signature[1:],
                fresh.pk,
            ],
        )
    assert client.get(f"/api/techrights/verify/{fresh.cert_id}").json()["status"] == "bad_signature"


def test_uploads_are_verified_and_bounded(client) -> None:  # type: ignore[no-untyped-def]
    cert = f.achievement().certificates.get()
    good = document_bytes(certificate_document(cert))
    res = client.post("/api/techrights/verify", {"file": io.BytesIO(good)})
    assert res.status_code == 200 and res.json()["valid"]
    bad = json.loads(good)
    bad["payload"]["parties"][0]["name"] = "冒名单位"
    res = client.post("/api/techrights/verify", {"file": io.BytesIO(json.dumps(bad).encode())})
    assert res.json()["status"] == "bad_signature"
    huge = io.BytesIO(b" " * (70 * 1024))
    res = client.post("/api/techrights/verify", {"file": huge})
    assert res.status_code == 400 and res.json()["detail"][0]["field"] == "file"
    page = client.post(reverse("techrights:verify-form"), {"file": io.BytesIO(b"\x00\xff" * 10)})
    assert page.status_code == 200 and 'data-status="malformed"' in page.content.decode()
    big = client.post(reverse("techrights:verify-form"), {"file": io.BytesIO(b"x" * 70_000)})
    assert "64 KB" in big.content.decode()


def test_keys_and_documents_are_public(client) -> None:  # type: ignore[no-untyped-def]
    cert = f.achievement().certificates.get()
    keys = client.get("/api/techrights/keys").json()
    assert keys["current"] == cert.key_id and keys["keys"][0]["alg"] == "Ed25519"
    doc = client.get(f"/api/techrights/certificates/{cert.cert_id}").json()
    assert doc["signature"]["value"] == cert.signature
    pdf = client.get(reverse("techrights:certificate-pdf", kwargs={"cert_id": cert.cert_id}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
