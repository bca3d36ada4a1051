"""Finding 9: login throttling on the login page and on `POST /api/auth/token`.

After `AXES_FAILURE_LIMIT` wrong passwords for one username from one client (the address
`core.http.client_ip` gives, so behind a trusted proxy the real client), that pair is locked out:
429 with Retry-After, JSON naming the field for the API, a page saying so in Chinese and
English. A success before the limit resets the count; another user, or the same user from
another client, is not locked. The office sees the lock-outs and unlocks them; both are audited.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from nengji.core.models import AuditEntry

TOKEN = "/api/auth/token"
LOGIN = "/accounts/login/"


@pytest.fixture
def limit(settings):  # type: ignore[no-untyped-def]
    return getattr(django_settings, "AXES_FAILURE_LIMIT", 5)


def _token(client, user, password, ip="203.0.113.5"):  # type: ignore[no-untyped-def]
    return client.post(
        TOKEN,
        {"username": user.username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def _login(client, user, password, ip="203.0.113.5"):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": user.username, "password": password}, REMOTE_ADDR=ip)


def _right(user) -> str:  # type: ignore[no-untyped-def]
    return "pw-" + user.username


def test_api_locks_out_after_the_limit_with_429_retry_after_and_json(client, office, limit):
    for _ in range(limit - 1):
        assert _token(client, office, "wrong").status_code == 401
    r = _token(client, office, "wrong")
    assert r.status_code == 429
    # locked: even the right password is refused now, without checking it
    r = _token(client, office, _right(office))
    assert r.status_code == 429
    assert int(r["Retry-After"]) > 0
    body = r.json()
    assert body["detail"][0]["field"] == "username"
    assert body["detail"][0]["message"]


def test_login_page_locks_out_and_says_so_in_both_languages(client, office, limit):
    for _ in range(limit):
        _login(client, office, "wrong")
    r = _login(client, office, _right(office))
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    page = r.content.decode()
    assert "登录失败次数过多" in page
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    r = _login(client, office, _right(office))
    assert r.status_code == 429
    assert "Too many failed sign-ins" in r.content.decode()


def test_a_success_resets_the_count(client, office, limit):
    for _ in range(limit - 1):
        _token(client, office, "wrong")
    assert _token(client, office, _right(office)).status_code == 200
    for _ in range(limit - 1):
        _token(client, office, "wrong")
    assert _token(client, office, _right(office)).status_code == 200


def test_another_user_and_another_client_are_not_locked(client, office, stc, limit):
    for _ in range(limit):
        _token(client, office, "wrong")
    assert _token(client, office, _right(office)).status_code == 429
    assert _token(client, stc, _right(stc)).status_code == 200
    assert _token(client, office, _right(office), ip="198.51.100.7").status_code == 200


def test_the_client_behind_a_trusted_proxy_counts(client, office, stc, limit, settings):
    settings.TRUST_PROXY = True

    def attempt(forwarded, password):  # type: ignore[no-untyped-def]
        return client.post(
            TOKEN,
            {"username": stc.username, "password": password},
            content_type="application/json",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for _ in range(limit):
        attempt("203.0.113.5", "wrong")
    assert attempt("203.0.113.5", _right(stc)).status_code == 429
    # another member of the public behind the same proxy still gets in
    assert attempt("198.51.100.7", _right(stc)).status_code == 200


def test_office_sees_and_unlocks_a_lockout_and_both_are_audited(client, office, stc, limit):
    for _ in range(limit):
        _token(client, stc, "wrong")
    assert AuditEntry.objects.filter(action="lock", object_label__contains=stc.username).exists()
    client.force_login(office)
    page = client.get("/accounts/access/")
    assert page.status_code == 200 and stc.username in page.content.decode()
    r = client.post("/accounts/access/unlock/", {"username": stc.username, "ip": "203.0.113.5"})
    assert r.status_code == 302
    entry = AuditEntry.objects.get(action="unlock")
    assert entry.actor == office and stc.username in entry.object_label
    client.logout()
    assert _token(client, stc, _right(stc)).status_code == 200


def test_only_the_office_unlocks(client, office, stc, limit):
    for _ in range(limit):
        _token(client, office, "wrong")
    client.force_login(stc)
    assert client.get("/accounts/access/").status_code == 403
    r = client.post("/accounts/access/unlock/", {"username": office.username, "ip": "203.0.113.5"})
    assert r.status_code == 403
    client.logout()
    assert _token(client, office, _right(office)).status_code == 429
