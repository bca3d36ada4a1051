"""Findings 10 and 11: uploads bounded before they are read; evidence named by its content.

10 a request whose Content-Length exceeds the cap is refused (413) before its body is read; an
   evidence file over the limit is refused from its size, before it is read into memory;
11 a file checked as PDF is sent as .pdf whatever the uploader called it."""

from __future__ import annotations

import io

import pytest

from nengji.monitoring.models import Evidence, Submission

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _sub(yp, key):  # type: ignore[no-untyped-def]
    return Submission.objects.get(round=yp["round"], assignment=yp[key], sequence=1)


def _upload(api, sub, data, name):  # type: ignore[no-untyped-def]
    f = io.BytesIO(data)
    f.name = name
    return api.post(f"/monitoring/submissions/{sub.pk}/evidence", files={"file": f})


def test_content_length_over_the_cap_is_413_before_reading(as_user, stc, yp, settings):
    settings.NENGJI_REQUEST_MAX_BYTES = 1024
    api = as_user(stc)
    sub = _sub(yp, "a_ht")
    r = api.client.post(
        f"/api/monitoring/submissions/{sub.pk}/evidence",
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=zzz",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **api._h(),
    )
    assert r.status_code == 413
    assert r["Content-Type"].startswith("application/json")
    assert r.json()["detail"][0]["field"] == "__all__"


def test_pages_refuse_oversized_bodies_too(client, settings):
    settings.NENGJI_REQUEST_MAX_BYTES = 1024
    r = client.post(
        "/accounts/login/", data=b"x", content_type="text/plain", CONTENT_LENGTH="999999999"
    )
    assert r.status_code == 413


def test_evidence_over_the_limit_refused_from_its_size(as_user, stc, yp, settings):
    settings.NENGJI_EVIDENCE_MAX_BYTES = 1000
    sub = _sub(yp, "a_ht")
    r = _upload(as_user(stc), sub, PDF + b"0" * 5000, "big.pdf")
    assert r.status_code == 400 and r.json()["detail"][0]["field"] == "evidence"
    assert not Evidence.objects.exists()


def test_upload_settings_stream_large_files_to_disk(settings):
    from django.conf import settings as live

    assert live.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2621440
    assert live.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2621440
    assert live.NENGJI_REQUEST_MAX_BYTES >= live.NENGJI_EVIDENCE_MAX_BYTES


@pytest.mark.parametrize("name", ["report.html", "report.exe", "report", "../../etc/passwd"])
def test_evidence_download_named_by_detected_type(as_user, stc, yp, name):
    sub = _sub(yp, "a_ht")
    api = as_user(stc)
    r = _upload(api, sub, PDF, name)
    assert r.status_code == 201, r.content
    ev = Evidence.objects.get()
    r = api.get(f"/monitoring/evidence/{ev.pk}")
    disposition = r["Content-Disposition"]
    assert r["Content-Type"] == "application/pdf"
    assert ".pdf" in disposition and ".html" not in disposition and ".exe" not in disposition
    assert "/" not in disposition.split("filename")[-1]
