"""The office's Access page: sign-in lock-outs to unlock (and API tokens to revoke)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nengji.accounts.lockouts import lockout_clear, lockout_list
from nengji.core.errors import DomainError


def _office(request: HttpRequest) -> None:
    if not getattr(request.user, "is_office", False):
        raise PermissionDenied


@login_required
def access(request: HttpRequest) -> HttpResponse:
    _office(request)
    return render(request, "accounts/access.html", {"lockouts": lockout_list()})


@login_required
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    _office(request)
    username = request.POST.get("username", "")
    ip = request.POST.get("ip", "")
    try:
        lockout_clear(username=username, ip=ip, by=request.user)
    except DomainError as exc:
        for d in exc.detail:
            messages.error(request, d.message)
    else:
        messages.success(
            request, _("%(user)s can sign in again from %(ip)s.") % {"user": username, "ip": ip}
        )
    return redirect("access")
