"""Token authentication for scripts: `POST /api/auth/token` → `{"token"}`, then
`Authorization: Bearer <token>`.

A token is a signed, time-limited statement "user N, password state H" (Django's signing with
the secret key). Nothing is stored; changing the password or deactivating the user revokes
every token at once.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from ninja.security import HttpBearer

SALT = "nengji.api.token"
MAX_AGE = 12 * 3600


def _password_state(user: Any) -> str:
    return salted_hmac(SALT, user.password).hexdigest()[:16]


def token_issue(user: Any) -> str:
    return signing.dumps({"u": user.pk, "h": _password_state(user)}, salt=SALT)


def token_user(token: str) -> Any | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    user = (
        get_user_model()
        .objects.select_related("organisation__department")
        .filter(pk=data.get("u"), is_active=True)
        .first()
    )
    if user is None or data.get("h") != _password_state(user):
        return None
    return user


class Bearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


def optional_user(request: HttpRequest) -> Any:
    """The caller of a public endpoint: the token's user if one is sent, else anonymous."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = token_user(header[7:].strip())
        if user is not None:
            return user
    return AnonymousUser()
