"""Facts about a request every app may need."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind a trusted proxy (`NENGJI_TRUST_PROXY`) the last address of
    X-Forwarded-For, the one the proxy itself added (earlier ones the client can forge);
    otherwise REMOTE_ADDR — behind a proxy that would be the proxy, shared by the whole public."""
    if getattr(settings, "TRUST_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return str(hops[-1])
    return str(request.META.get("REMOTE_ADDR", ""))
