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
from urllib.parse import quote

import segno
from django.urls import reverse
from django.utils.translation import gettext as _

from nengji.techrights import keys as keystore
from nengji.techrights.models import Certificate
from nengji.techrights.verification import certificate_rows

SANS = '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", sans-serif'


def qr_text(cert: Certificate, *, base: str | None = None) -> str:
    """What the QR code says: the verification address with the signature."""
    root = (base if base is not None else keystore.verify_base()).rstrip("/")
    path = reverse("techrights:verify", kwargs={"cert_id": cert.cert_id})
    return f"{root}{path}?s={quote(cert.signature)}"


def qr_svg(text: str) -> str:
    """The QR code as inline SVG (error correction M: survives a smudge, stays small)."""
    return str(segno.make(text, error="m", micro=False).svg_inline(scale=3, border=2))


def certificate_html(cert: Certificate, *, base: str | None = None) -> str:
    payload = json.loads(cert.payload)
    # the words first, outside the f-string, where makemessages finds them
    words = {
        "title": _("Certificate of technology rights and transactions"),
        "demo": _("Demo data (演示数据): not a real registration."),
        "scan": _("Scan to verify"),
        "signature": _("Signature (Ed25519, base64url):"),
        "offline": _("Verify offline: nengji cert verify FILE --public-key KEYFILE"),
    }
    w = {k: escape(v) for k, v in words.items()}
    demo = f'<p class="demo">{w["demo"]}</p>' if payload.get("demo") else ""
    rows = "".join(
        f"<tr><th>{escape(k)}</th><td>{escape(value)}</td></tr>"
        for k, value in certificate_rows(payload)
    )
    return f"""<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 20mm 18mm; }}
body {{ font-family: {SANS}; font-size: 10.5pt; color: #111; }}
h1 {{ font-size: 17pt; text-align: center; margin: 0 0 4mm; }}
p.sub {{ text-align: center; color: #444; margin: 0 0 6mm; }}
p.demo {{ border: 1px solid #b45309; color: #b45309; padding: 2mm; text-align: center; }}
table {{ width: 100%; border-collapse: collapse; }}
th, td {{ border: 1px solid #999; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }}
th {{ width: 32%; background: #f3f4f6; font-weight: normal; }}
table.head td {{ border: none; vertical-align: middle; }}
td.qr {{ width: 40mm; text-align: center; font-size: 8pt; }}
.sig {{ font-family: monospace; font-size: 7.5pt; word-break: break-all; color: #333; }}
</style></head><body>
<table class="head"><tr><td>
<h1>{w["title"]}</h1>
<p class="sub">一证通用 · {escape(cert.cert_id)}</p></td>
<td class="qr">{qr_svg(qr_text(cert, base=base))}<br>{w["scan"]}</td></tr></table>
{demo}
<table>{rows}</table>
<p>{w["signature"]}</p><p class="sig">{escape(cert.signature)}</p>
<p>{w["offline"]}</p>
</body></html>"""


def certificate_pdf(cert: Certificate, *, base: str | None = None) -> bytes:
    """The PDF (in the site's first language: it is a document of record), with the signed
    JSON document attached."""
    from django.conf import settings
    from django.utils import translation
    from weasyprint import HTML, Attachment

    from nengji.techrights.selectors import certificate_document
    from nengji.techrights.signing import document_bytes

    attachment = Attachment(
        string=document_bytes(certificate_document(cert)).decode(),
        name=f"{cert.cert_id}.json",
        description="nengji-certificate/1",
    )
    with translation.override(settings.LANGUAGE_CODE):
        html = certificate_html(cert, base=base)
    document = HTML(string=html).render()
    return document.write_pdf(attachments=[attachment], pdf_identifier=None) or b""
