from __future__ import annotations

import pytest

from tests.monitoring.conftest import (  # noqa: F401 - shared fixtures
    drc,
    fast_passwords,
    leader,
    office,
    stc,
    yp,
)


class ApiClient:
    """Django's test client speaking JSON with a Bearer token."""

    def __init__(self, client, token=None):  # type: ignore[no-untyped-def]
        self.client = client
        self.token = token

    def _h(self):  # type: ignore[no-untyped-def]
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def get(self, url, **kw):  # type: ignore[no-untyped-def]
        return self.client.get("/api" + url, **kw, **self._h())

    def post(self, url, data=None, **kw):  # type: ignore[no-untyped-def]
        if "files" in kw:
            return self.client.post("/api" + url, kw.pop("files"), **self._h())
        return self.client.post(
            "/api" + url, data or {}, content_type="application/json", **self._h()
        )

    def put(self, url, data):  # type: ignore[no-untyped-def]
        return self.client.put("/api" + url, data, content_type="application/json", **self._h())

    def patch(self, url, data):  # type: ignore[no-untyped-def]
        return self.client.patch("/api" + url, data, content_type="application/json", **self._h())


@pytest.fixture
def as_user(client):  # type: ignore[no-untyped-def]
    def login(user):  # type: ignore[no-untyped-def]
        if user is None:
            return ApiClient(client)
        r = client.post(
            "/api/auth/token",
            {"username": user.username, "password": "pw-" + user.username},
            content_type="application/json",
        )
        assert r.status_code == 200, r.content
        return ApiClient(client, r.json()["token"])

    return login
