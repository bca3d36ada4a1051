"""Pages per role: the technology-transfer office's achievements, the exchange's transactions
and certificates, the registrar's contract queue, the rights an enterprise holds; an
achievement's rights as of any date. Thin: each form calls one service and shows its error."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nengji.core.errors import DomainError
from nengji.core.roles import Role, role_of
from nengji.techrights import selectors, services
from nengji.techrights.models import (
    AchievementKind,
    Certificate,
    ContractCategory,
    ContractStatus,
    Mode,
    TechContract,
    Transaction,
)


def _as_of(request: HttpRequest) -> dt.date:
    raw = request.GET.get("as_of", "")
    try:
        day = dt.date.fromisoformat(raw[:10]) if raw else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return min(max(day, dt.date(1985, 1, 1)), dt.date(2200, 1, 1))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One page, by role: what this user works on in the register."""
    user: Any = request.user
    role = role_of(user)
    ctx: dict[str, Any] = {"role": role}
    if role in (Role.OFFICE, Role.LEADER, Role.EXCHANGE, Role.UNIVERSITY):
        ctx["achievements"] = list(selectors.achievements_visible(user=user)[:200])
    if role in (Role.OFFICE, Role.LEADER, Role.EXCHANGE):
        ctx["transactions"] = list(selectors.transactions_list()[:100])
        ctx["by_mode"] = [
            {**row, "label": Mode(row["mode"]).label}
            for row in Transaction.objects.values("mode")
            .annotate(n=Count("id"), total=Sum("amount"))
            .order_by("mode")
        ]
        ctx["certificates"] = list(
            Certificate.objects.select_related("revocation").order_by("-issued_at")[:50]
        )
    if role in (Role.OFFICE, Role.LEADER):
        ctx["queue"] = selectors.contracts_queue()
        registered = TechContract.objects.filter(status=ContractStatus.REGISTERED)
        ctx["contract_totals"] = registered.aggregate(
            n=Count("id"), turnover=Sum("contract_amount"), tech=Sum("tech_amount")
        )
    if role in (Role.UNIVERSITY, Role.ENTERPRISE):
        ctx["contracts"] = list(
            TechContract.objects.filter(seller_id=user.organisation_id).order_by("-submitted_on")[
                :100
            ]
        )
    if role == Role.ENTERPRISE and user.organisation is not None:
        ctx["held"] = selectors.rights_held(organisation=user.organisation, as_of=_as_of(request))
    ctx["any_demo"] = any(getattr(a, "is_demo", False) for a in ctx.get("achievements", [])) or any(
        c.is_demo for c in ctx.get("contracts", [])
    )
    return render(request, "techrights/home.html", ctx)


@login_required
def achievement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An achievement: its rights on any date, its register, lifecycle and certificates."""
    found = selectors.achievements_visible(user=request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    day = _as_of(request)
    return render(
        request,
        "techrights/achievement.html",
        {
            "a": found,
            "as_of": day,
            "view": selectors.rights_view(achievement_id=found.pk, as_of=day),
            "entries": found.entries.select_related("holder", "from_holder", "transaction"),
            "events": found.events.all(),
            "certificates": found.certificates.select_related("revocation"),
            "transactions": selectors.transactions_list(achievement=found),
        },
    )


def _owners(post: Any) -> list[tuple[Any, str]]:
    from nengji.core.models import Organisation

    out = []
    for i in range(5):
        code, share = post.get(f"owner{i}", "").strip(), post.get(f"share{i}", "").strip()
        if not code and not share:
            continue
        org = Organisation.objects.filter(code=code[:64]).first()
        if org is None:
            raise DomainError.one(f"owner{i}", _("No organisation with this code."))
        out.append((org, share))
    return out


@login_required
@require_http_methods(["GET", "POST"])
def achievement_new(request: HttpRequest) -> HttpResponse:
    """The technology-transfer office registers an achievement with its owners."""
    user: Any = request.user
    if role_of(user) != Role.UNIVERSITY or user.organisation is None:
        raise Http404
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        post = request.POST
        try:
            a = services.achievement_register(
                institution=user.organisation,
                kind=post.get("kind", ""),
                title=post.get("title", ""),
                identifier=post.get("identifier", ""),
                is_service_invention=post.get("service") == "on",
                inventors=[
                    n for n in post.get("inventors", "").replace("，", ",").split(",") if n.strip()
                ][:60],
                owners=_owners(post) or [(user.organisation, "100")],
                registered_on=post.get("registered_on", ""),
                by=user,
            )
        except DomainError as exc:
            errors = exc.by_field()
        else:
            messages.success(request, _("Registered; its certificate is issued."))
            return redirect("techrights:achievement", pk=a.pk)
    return render(
        request,
        "techrights/achievement_new.html",
        {
            "kinds": AchievementKind.choices,
            "errors": errors,
            "post": request.POST,
            "slots": range(5),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_new(request: HttpRequest) -> HttpResponse:
    """The seller submits a technology contract for registration (complete text)."""
    user: Any = request.user
    if role_of(user) not in (Role.UNIVERSITY, Role.ENTERPRISE) or user.organisation is None:
        raise Http404
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        post = request.POST
        try:
            c = services.contract_submit(
                seller=user.organisation,
                by=user,
                buyer_name=post.get("buyer_name", ""),
                category=post.get("category", ""),
                title=post.get("title", ""),
                signed_on=post.get("signed_on", ""),
                starts_on=post.get("starts_on", ""),
                ends_on=post.get("ends_on", ""),
                contract_amount=post.get("contract_amount", ""),
                tech_amount=post.get("tech_amount", ""),
                text=post.get("text", ""),
            )
        except DomainError as exc:
            errors = exc.by_field()
        else:
            messages.success(
                request,
                _("Submitted as %(n)s; decision due by %(d)s.") % {"n": c.number, "d": c.due_on},
            )
            return redirect("techrights:home")
    return render(
        request,
        "techrights/contract_new.html",
        {"categories": ContractCategory.choices, "errors": errors, "post": request.POST},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A contract with its history; the registrar decides here."""
    user: Any = request.user
    found = TechContract.objects.select_related("seller", "achievement").filter(pk=pk).first()
    role = role_of(user)
    if found is None or not (
        role in (Role.OFFICE, Role.LEADER)
        or found.seller_id == getattr(user, "organisation_id", None)
    ):
        raise Http404
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "review":
                services.contract_review_start(contract=found, by=user)
            elif action in ("register", "refuse"):
                services.contract_decide(
                    contract=found,
                    register=action == "register",
                    note=request.POST.get("note", ""),
                    by=user,
                )
            elif action == "cancel":
                services.contract_cancel(
                    contract=found, reason=request.POST.get("note", ""), by=user
                )
            else:
                raise DomainError.one("action", _("Choose an action."))
        except DomainError as exc:
            errors = exc.by_field()
        else:
            messages.success(request, _("Saved."))
            return redirect("techrights:contract", pk=found.pk)
    return render(
        request,
        "techrights/contract.html",
        {
            "c": found,
            "events": found.events.all(),
            "certificates": found.certificates.select_related("revocation"),
            "errors": errors,
            "overdue": found.status in (ContractStatus.SUBMITTED, ContractStatus.EXPERT_REVIEW)
            and found.due_on < timezone.localdate(),
            "text_preview": found.text[:2000],
        },
    )


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, cert_id: str) -> HttpResponse:
    found = selectors.certificate_get(cert_id=cert_id)
    if found is None:
        raise Http404
    try:
        services.certificate_revoke(
            certificate=found, reason=request.POST.get("reason", ""), by=request.user
        )
    except DomainError as exc:
        for d in exc.detail:
            messages.error(request, d.message)
    else:
        messages.success(request, _("Certificate %(id)s revoked.") % {"id": found.cert_id})
    return redirect("techrights:home")
