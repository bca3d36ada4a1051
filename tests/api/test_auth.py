from __future__ import annotations

from nengji.api.auth import token_issue


def test_token_and_bearer(client, office, as_user):
    api = as_user(office)
    assert api.get("/monitoring/audit").status_code == 200


def test_wrong_password_is_a_json_401(client, office):
    r = client.post(
        "/api/auth/token",
        {"username": office.username, "password": "x"},
        content_type="application/json",
    )
    assert r.status_code == 401 and r.json()["detail"][0]["field"] == "password"


def test_missing_or_bad_token(client, office):
    r = client.get("/api/monitoring/audit")
    assert r.status_code == 401 and r.json()["detail"][0]["field"] == "Authorization"
    r = client.get("/api/monitoring/audit", HTTP_AUTHORIZATION="Bearer nonsense")
    assert r.status_code == 401


def test_password_change_revokes_tokens(client, office):
    token = token_issue(office)
    office.set_password("new-password-123")
    office.save()
    r = client.get("/api/monitoring/audit", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 401


def test_validation_errors_have_field_detail(as_user, office, yp):
    r = as_user(office).post("/monitoring/rounds", {"year": "x"})
    assert r.status_code == 422
    fields = {d["field"] for d in r.json()["detail"]}
    assert {"year", "deadline"} <= fields
