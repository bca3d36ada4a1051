"""Finding 14: API errors that were 500s or HTML; bodies of the wrong type accepted.

Every API error is a 4xx JSON body naming the field; a PATCH whose body is not an object is
refused with nothing changed (no version bump, no audit entry)."""

from __future__ import annotations

import pytest

from nengji.core.models import AuditEntry
from nengji.monitoring.models import MonitoringSettings, Submission


def _sub(yp, key):
    return Submission.objects.get(round=yp["round"], assignment=yp[key], sequence=1)


def _raw(api, method, url, body):
    return getattr(api.client, method)(
        "/api" + url, body, content_type="application/json", **api._h()
    )


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_settings_non_finite_is_422_json(as_user, office, yp, literal):
    api = as_user(office)
    r = _raw(api, "patch", "/monitoring/settings", f'{{"on_track_ratio": {literal}}}')
    assert r.status_code == 422, r.content
    assert r["Content-Type"].startswith("application/json")
    assert r.json()["detail"][0]["field"] == "on_track_ratio"
    assert not MonitoringSettings.objects.filter(on_track_ratio__gt=1e300).exists()


@pytest.mark.parametrize("body", ["[1,2]", '"x"', "3", "null", "{", "\x00"])
def test_patch_with_wrong_body_type_changes_nothing(as_user, stc, yp, body):
    sub = _sub(yp, "a_ht")
    audits = AuditEntry.objects.count()
    r = _raw(as_user(stc), "patch", f"/monitoring/submissions/{sub.pk}", body)
    assert 400 <= r.status_code < 500, r.content
    assert r["Content-Type"].startswith("application/json")
    assert r.json()["detail"][0]["field"]
    sub.refresh_from_db()
    assert sub.version == 1 and AuditEntry.objects.count() == audits


def test_empty_patch_changes_nothing(as_user, stc, yp):
    sub = _sub(yp, "a_ht")
    audits = AuditEntry.objects.count()
    r = as_user(stc).patch(f"/monitoring/submissions/{sub.pk}", {})
    assert r.status_code == 200
    sub.refresh_from_db()
    assert sub.version == 1 and AuditEntry.objects.count() == audits


def test_unknown_task_status_refused(as_user, stc, yp):
    sub = _sub(yp, "a_m")
    r = as_user(stc).patch(f"/monitoring/submissions/{sub.pk}", {"task_status": "bogus"})
    assert r.status_code in (400, 422) and r.json()["detail"][0]["field"] == "task_status"
    sub.refresh_from_db()
    assert sub.task_status == "" and sub.version == 1


def test_unknown_fields_refused(as_user, stc, yp):
    sub = _sub(yp, "a_ht")
    r = as_user(stc).patch(f"/monitoring/submissions/{sub.pk}", {"status": "approved"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "status"
    sub.refresh_from_db()
    assert sub.status == Submission.Status.DRAFT and sub.version == 1


def test_body_over_the_limit_is_json_413(as_user, stc, yp, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    sub = _sub(yp, "a_ht")
    r = as_user(stc).patch(f"/monitoring/submissions/{sub.pk}", {"note": "x" * 5000})
    assert r.status_code == 413, r.content
    assert r["Content-Type"].startswith("application/json")
    assert r.json()["detail"][0]["field"] == "__all__"


def test_unexpected_error_is_json_500_without_a_traceback(as_user, office, yp, monkeypatch):
    """A bug still answers JSON (never Django's HTML page), and says nothing of the code."""
    from nengji.monitoring import selectors

    def boom(**kw):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "proposals", boom)
    api = as_user(office)
    api.client.raise_request_exception = False
    r = api.get("/monitoring/proposals")
    assert r.status_code == 500
    assert r["Content-Type"].startswith("application/json")
    assert "secret" not in r.content.decode()


@pytest.mark.parametrize("limit", ["-1", "99999999999999999999", "x"])
def test_query_numbers_bounded(as_user, office, yp, limit):
    r = as_user(office).get(f"/monitoring/audit?limit={limit}")
    assert r.status_code in (200, 422)
    assert r["Content-Type"].startswith("application/json")


def test_the_api_knows_every_task_status():
    import typing

    from nengji.api.monitoring import TaskStatusIn
    from nengji.monitoring.models import TaskStatus

    assert set(typing.get_args(TaskStatusIn)) == {"", *TaskStatus.values}
