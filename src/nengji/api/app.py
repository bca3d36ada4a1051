"""The NinjaAPI object, its error format and its routers.

Every error is JSON: `{"detail": [{"field": …, "message": …, (sheet, row, column)}]}` with
400 (invalid, or a body that is not JSON), 401, 403, 404, 409 (conflict), 413 (body too
large), 422 (request does not match the schema), 429 (throttled) — and 500, still JSON and
without internals, for a bug. No error of the API is ever an HTML page.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.responses import Status

from nengji.accounts.lockouts import lockout_reset_on_success
from nengji.api.auth import Bearer, token_issue
from nengji.api.index import router as index_router
from nengji.api.monitoring import router as monitoring_router
from nengji.api.plan import router as plan_router
from nengji.api.policy import router as policy_router
from nengji.api.registry import router as registry_router
from nengji.api.techrights import router as techrights_router
from nengji.api.vouchers import router as vouchers_router
from nengji.core.errors import DomainError
from nengji.core.http import client_ip

api = NinjaAPI(
    title="nengji API",
    version="1",
    description="Plan, indicators, targets, reporting rounds, submissions, publications and "
    "the audit log of the nengji plan platform.",
    auth=Bearer(),
    urls_namespace="api",
)


log = logging.getLogger("nengji.api")


def _detail(field: str, message: str) -> dict[str, list[dict[str, str]]]:
    return {"detail": [{"field": field, "message": message}]}


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """Every app's domain error: 4xx with the fields it names (never a 500)."""
    response = api.create_response(request, exc.as_json(), status=exc.status)
    if exc.retry_after is not None:
        response["Retry-After"] = str(exc.retry_after)
    return response


def _loc(loc: tuple[object, ...] | list[object]) -> str:
    """("body", "payload", "milestones", "2023") → "milestones.2023"; the whole body → __all__."""
    parts = [str(p) for p in list(loc)[1:] if p != "payload"]
    return ".".join(p for p in parts if "[" not in p) or "__all__"  # no union member tags


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = [
        {"field": _loc(e.get("loc", ())), "message": e.get("msg", "invalid")} for e in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own refusals (a body that is not JSON: 400) in our format."""
    return api.create_response(request, _detail("__all__", str(exc)), status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request, _detail("__all__", "the request body is too large"), status=413
    )


@api.exception_handler(SuspiciousOperation)
def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    """Too many fields or files, a malformed multipart body: a 400, as Django would, but JSON."""
    return api.create_response(request, _detail("__all__", "malformed request"), status=400)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, _detail("__all__", "not allowed"), status=403)


@api.exception_handler(Exception)
def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: logged with its traceback, answered as JSON that says nothing of the code."""
    log.exception("API error on %s %s", request.method, request.path)
    return api.create_response(
        request, _detail("__all__", "internal error; it has been logged"), status=500
    )


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, _detail("Authorization", "a valid Bearer token is required"), status=401
    )


@api.exception_handler(OperationalError)
def database_busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    """SQLite's "database is locked" after its timeout: another write held the database."""
    if "locked" not in str(exc):
        return unexpected(request, exc)
    return api.create_response(
        request,
        _detail("__all__", "the database is busy with another change; try again"),
        status=409,
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, _detail("__all__", "not found"), status=404)


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class ErrorOut(Schema):
    detail: list[dict[str, str | int]]


@api.post(
    "/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut}, tags=["auth"]
)
def auth_token(request: HttpRequest, payload: TokenIn) -> Status[Any]:
    """Exchange a username and password for a token valid 12 hours.

    Repeated wrong passwords for one username from one client lock that pair out: 429 with
    Retry-After (django-axes, `nengji.web.lockout`)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        return Status(401, _detail("password", "wrong username or password"))
    lockout_reset_on_success(username=payload.username, ip=client_ip(request))
    return Status(200, {"token": token_issue(user)})


api.add_router("/plan", plan_router, tags=["plan"])
api.add_router("/monitoring", monitoring_router, tags=["monitoring"])
api.add_router("/index", index_router, tags=["index"])
api.add_router("/registry", registry_router, tags=["registry"])
api.add_router("/vouchers", vouchers_router, tags=["vouchers"])
api.add_router("/policy", policy_router, tags=["policy"])
api.add_router("/techrights", techrights_router, tags=["techrights"])
