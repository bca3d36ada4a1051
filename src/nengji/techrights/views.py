"""Pages of the technology-rights register. Verification is public (no login)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from nengji.techrights.selectors import certificate_document, certificate_get
from nengji.techrights.signing import MAX_DOCUMENT_BYTES, document_bytes
from nengji.techrights.verification import verify_by_id, verify_upload


def _wants_json(request: HttpRequest) -> bool:
    return request.GET.get("format") == "json" or "application/json" in request.headers.get(
        "Accept", ""
    )


@require_GET
def verify(request: HttpRequest, cert_id: str) -> HttpResponse:
    """The public verification of one certificate (what a QR code opens)."""
    result = verify_by_id(cert_id=cert_id, qr_signature=request.GET.get("s"))
    status = 404 if result.verdict.status == "not_found" else 200
    if _wants_json(request):
        return JsonResponse(
            result.as_json(), status=status, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "techrights/verify.html", {"result": result}, status=status)


@require_http_methods(["GET", "POST"])
def verify_form(request: HttpRequest) -> HttpResponse:
    """Enter a certificate ID, or upload a certificate file (checked, never stored)."""
    result = None
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "file"
        elif upload.size is None or upload.size > MAX_DOCUMENT_BYTES:
            error = "size"
        else:
            result = verify_upload(data=upload.read(MAX_DOCUMENT_BYTES + 1))
    elif request.GET.get("id"):
        result = verify_by_id(cert_id=request.GET["id"][:40])
    return render(request, "techrights/verify_form.html", {"result": result, "error": error})


def _found(cert_id: str):  # type: ignore[no-untyped-def]
    cert = certificate_get(cert_id=cert_id)
    if cert is None:
        raise Http404
    return cert


@require_GET
def certificate_json_download(request: HttpRequest, cert_id: str) -> HttpResponse:
    cert = _found(cert_id)
    response = HttpResponse(
        document_bytes(certificate_document(cert)), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{cert.cert_id}.json"'
    return response


@require_GET
def certificate_pdf_download(request: HttpRequest, cert_id: str) -> HttpResponse:
    from nengji.techrights.pdf import certificate_pdf

    cert = _found(cert_id)
    response = HttpResponse(certificate_pdf(cert), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{cert.cert_id}.pdf"'
    return response
