"""Error pages in the site's own layout and the user's language, each with a way back.

Django's defaults are bare English pages without the header; these render ``web/error.html``
(the base template). The 500 page renders without the request's context processors if the
full render fails too (the database may be what broke), so it never raises in turn.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


def _texts(status: int) -> tuple[str, str]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Nothing was changed.")),
        403: (
            _("Not allowed"),
            _(
                "Your account may not open this page. If you need it, ask the plan office to "
                "change your role; or log in with another account."
            ),
        ),
        404: (
            _("Page not found"),
            _("There is no page at this address. It may have moved, or the link is mistyped."),
        ),
        500: (
            _("Something went wrong"),
            _(
                "The server could not answer this request. Nothing was changed; please try again "
                "in a moment. The error has been logged for the administrator."
            ),
        ),
    }[status]


def _back(request: HttpRequest) -> str:
    """The page the user came from, if it is on this site (never a link off-site)."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except Exception:  # a disallowed Host header is itself the 400 being shown
        return ""
    return referer if url_has_allowed_host_and_scheme(referer, allowed_hosts={host}) else ""


def _render(request: HttpRequest, status: int) -> HttpResponse:
    title, text = _texts(status)
    context = {"status": status, "title": title, "text": text, "back": _back(request)}
    template = loader.get_template("web/error.html")
    try:
        body = template.render(context, request)
    except Exception:  # an error page must not fail: render without the request
        if status != 500:
            raise
        log.exception("the 500 page could not render with the request's context")
        body = template.render(context)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _render(request, 500)
