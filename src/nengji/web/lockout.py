"""The answer to a locked-out sign-in (django-axes' ``AXES_LOCKOUT_CALLABLE``).

429 with Retry-After everywhere; the API gets our JSON error naming the field (as every API
error does), the login page says so in the user's language and keeps the username.
"""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_client_username
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from nengji.accounts.lockouts import lockout_retry_after
from nengji.core.http import client_ip


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    username = get_client_username(request, credentials) or ""
    retry_after = lockout_retry_after(username=username, ip=client_ip(request))
    message = _(
        "Too many failed sign-ins for this account from your address: signing in is locked for "
        "%(minutes)s more minutes. Try again later, or ask the plan office to unlock it."
    ) % {"minutes": math.ceil(retry_after / 60)}
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": [{"field": "username", "message": message}]}, status=429)
    else:
        form = AuthenticationForm(request, initial={"username": username})
        response = render(
            request,
            "web/login.html",
            {"form": form, "locked": message, "next": request.POST.get("next", "")},
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    return response
