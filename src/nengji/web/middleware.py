"""Request handling shared by every page: the chosen language, domain errors as 4xx pages."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from nengji.core.errors import DomainError
from nengji.plan.selectors import PlanNotChosenError


class RequestSizeMiddleware:
    """Refuse a request whose declared body exceeds `NENGJI_REQUEST_MAX_BYTES` (413) before
    anything reads it: JSON for the API, a short page elsewhere. The proxy in front should cap
    bodies at the same size (docs/operations.md); Django then streams file uploads over
    `FILE_UPLOAD_MAX_MEMORY_SIZE` to disk and refuses other bodies over
    `DATA_UPLOAD_MAX_MEMORY_SIZE`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = settings.NENGJI_REQUEST_MAX_BYTES
        if declared > limit:
            message = f"the request body is larger than {limit // (1024 * 1024)} MB"
            if request.path.startswith("/api/"):
                body = {"detail": [{"field": "__all__", "message": message}]}
                return JsonResponse(body, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but ignore Accept-Language.

    District office machines often run English-language browsers; the platform still opens
    in Simplified Chinese (or the configured default) until the user presses the language
    switch, which stores the choice in the language cookie.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class DomainErrorMiddleware:
    """A domain error that a page did not show against its form becomes a 4xx page (never a
    500): the status of its code, the messages in the user's language, the site's layout."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PlanNotChosenError):
            target = reverse("plans") + "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        if not isinstance(exception, DomainError):
            return None
        titles = {
            "permission": _("Not allowed"),
            "not_found": _("Not found"),
            "conflict": _("Changed in the meantime"),
            "rate_limited": _("Too many requests"),
        }
        back = request.META.get("HTTP_REFERER", "")
        response = render(
            request,
            "web/domain_error.html",
            {
                "title": titles.get(exception.code, _("Cannot be done")),
                "details": exception.detail,
                "back": back if url_has_allowed_host_and_scheme(back, request.get_host()) else "",
            },
            status=exception.status,
        )
        if exception.retry_after is not None:
            response["Retry-After"] = str(exception.retry_after)
        return response
