"""A certificate as a printable PDF, with a QR code that carries its ID and signature.

The QR code holds the verification address ``<verify base>/verify/<ID>?s=<signature>``: the
public page checks that the signature in the code is the certificate's own (a code copied
from another certificate is named as such), then verifies the certificate. The signed JSON
document is attached to the PDF (``<ID>.json``), so the PDF alone carries everything an
offline verifier needs besides the issuer's public key.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any
from urllib.parse import quote

import segno
from django.urls import reverse
from django.utils.translation import gettext as _

from nengji.techrights import keys as keystore
from nengji.techrights.models import Certificate

SANS = '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", sans-serif'


def qr_text(cert: Certificate, *, base: str | None = None) -> str:
    """What the QR code says: the verification address with the signature."""
    root = (base if base is not None else keystore.verify_base()).rstrip("/")
    path = reverse("techrights:verify", kwargs={"cert_id": cert.cert_id})
    return f"{root}{path}?s={quote(cert.signature)}"


def qr_svg(text: str) -> str:
    """The QR code as inline SVG (error correction M: survives a smudge, stays small)."""
    return str(segno.make(text, error="m", micro=False).svg_inline(scale=3, border=2))


def _rows(payload: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [
        (_("Certificate ID"), payload["id"]),
        (_("Kind"), str(payload.get("kind", ""))),
        (_("Issuer"), str(payload.get("issuer", ""))),
        (_("Issued at"), str(payload.get("issued_at", ""))),
    ]
    for party in payload.get("parties", []):
        rows.append((str(party.get("role", "")), f"{party.get('name')} ({party.get('code')})"))
    for section in payload.get("subject", {}).values():
        if isinstance(section, dict):
            for k, value in section.items():
                text = "、".join(map(str, value)) if isinstance(value, list) else str(value)
                rows.append((k, text))
    for k, value in (payload.get("amounts") or {}).items():
        rows.append((k, str(value)))
    for k, value in (payload.get("dates") or {}).items():
        rows.append((k, str(value)))
    procedure = payload.get("procedure")
    if procedure:
        rows.append(
            (
                _("Listed procedure (进场免责)"),
                "; ".join(f"{k}: {value}" for k, value in procedure.items()),
            )
        )
    rows.append((_("Signing key ID"), str(payload.get("key_id", ""))))
    return rows


def certificate_html(cert: Certificate, *, base: str | None = None) -> str:
    payload = json.loads(cert.payload)
    demo = (
        f'<p class="demo">{escape(_("Demo data (演示数据): not a real registration."))}</p>'
        if payload.get("demo")
        else ""
    )
    rows = "".join(
        f"<tr><th>{escape(k)}</th><td>{escape(value)}</td></tr>" for k, value in _rows(payload)
    )
    return f"""<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 20mm 18mm; }}
body {{ font-family: {SANS}; font-size: 10.5pt; color: #111; }}
h1 {{ font-size: 18pt; text-align: center; margin: 0 0 4mm; }}
p.sub {{ text-align: center; color: #444; margin: 0 0 6mm; }}
p.demo {{ border: 1px solid #b45309; color: #b45309; padding: 2mm; text-align: center; }}
table {{ width: 100%; border-collapse: collapse; }}
th, td {{ border: 1px solid #999; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }}
th {{ width: 32%; background: #f3f4f6; font-weight: normal; }}
.qr {{ float: right; margin: 0 0 4mm 4mm; text-align: center; font-size: 8pt; }}
.sig {{ font-family: monospace; font-size: 7.5pt; word-break: break-all; color: #333; }}
</style></head><body>
<h1>{escape(_("Certificate of technology rights and transactions"))}</h1>
<p class="sub">一证通用 · {escape(cert.cert_id)}</p>{demo}
<div class="qr">{qr_svg(qr_text(cert, base=base))}<br>{escape(_("Scan to verify"))}</div>
<table>{rows}</table>
<p>{escape(_("Signature (Ed25519, base64url):"))}</p><p class="sig">{escape(cert.signature)}</p>
<p>{escape(_("Verify offline: nengji cert verify FILE --public-key KEYFILE"))}</p>
</body></html>"""


def certificate_pdf(cert: Certificate, *, base: str | None = None) -> bytes:
    """The PDF, with the signed JSON document attached."""
    from weasyprint import HTML, Attachment

    from nengji.techrights.selectors import certificate_document
    from nengji.techrights.signing import document_bytes

    attachment = Attachment(
        string=document_bytes(certificate_document(cert)).decode(),
        name=f"{cert.cert_id}.json",
        description="nengji-certificate/1",
    )
    document = HTML(string=certificate_html(cert, base=base)).render()
    return document.write_pdf(attachments=[attachment], pdf_identifier=None) or b""
