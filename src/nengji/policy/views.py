"""Policy pages: the public catalogue and items; an enterprise's matches with the reason for
each clause and what is missing; the office's applications, candidates and 免申即享; the risk
pool. Thin views over `nengji.policy.selectors`, `matching` and `services`."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from nengji.core.errors import DomainError, refused
from nengji.core.exports import active_sheet, cell_value
from nengji.core.roles import Role, has_role
from nengji.plan.selectors import plan_of
from nengji.policy import selectors, services
from nengji.policy.matching import match_enterprise, match_item
from nengji.policy.models import Application, Claim, PolicyItem
from nengji.policy.services.finance import pool_figures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _flash(request: HttpRequest, exc: DomainError) -> None:
    for d in exc.detail:
        messages.error(request, f"{d.field}: {d.message}" if d.field != "__all__" else d.message)


def _require(request: HttpRequest, *roles: str) -> None:
    if not has_role(request.user, *roles):
        raise refused(_("Your role may not see this page."))


def catalogue(request: HttpRequest) -> HttpResponse:
    """The 1+6+4 system with its items, for everyone."""
    plan = plan_of(request)
    tree = selectors.catalogue_tree(plan)
    span = next((g.source_quote for g, _items in tree if g.source_quote), "")
    return render(
        request,
        "policy/catalogue.html",
        {
            "plan": plan,
            "tree": tree,
            "source_quote": span,
            "documents": selectors.documents(plan),
            "programmes": selectors.programmes(plan),
            "has_demo": any(g.is_demo or any(i.is_demo for i in items) for g, items in tree),
        },
    )


def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An item, its document, clauses and sources; for the office, who qualifies."""
    plan = plan_of(request)
    item = selectors.item_get(plan, code)
    if item is None:
        raise Http404
    candidates = None
    if has_role(request.user, Role.OFFICE, Role.LEADER):
        candidates = match_item(item=item)
    if request.method == "POST":
        _require(request, Role.OFFICE)
        ids = [int(x) for x in request.POST.getlist("enterprise") if x.isdigit()]
        try:
            granted = services.auto_grant_approve(
                item=item,
                period=request.POST.get("period", ""),
                enterprise_ids=ids,
                by=request.user,
            )
            messages.success(request, _("%(n)s awards granted.") % {"n": len(granted)})
        except DomainError as exc:
            _flash(request, exc)
        return redirect(reverse("policy-item", args=[item.code]))
    return render(
        request,
        "policy/item.html",
        {"item": item, "candidates": candidates, "today": timezone.localdate()},
    )


def item_candidates_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    """The outreach list of an item: eligible and one clause away, with the missing clause."""
    _require(request, Role.OFFICE, Role.LEADER)
    item = selectors.item_get(plan_of(request), code)
    if item is None:
        raise Http404
    wb = Workbook()
    ws = active_sheet(wb)
    ws.title = "candidates"
    ws.append(
        [
            _("Result"),
            _("Credit code"),
            _("Enterprise"),
            _("Estimated amount (yuan)"),
            _("Clauses not passed"),
        ]
    )
    for key, rows in match_item(item=item).items():
        for c in rows:
            not_passed = (
                "; ".join(
                    f"{r.label}: {r.words}" for r in c.verdict.rule.clauses if r.status != "pass"
                )
                if c.not_passed
                else ""
            )
            ws.append(
                [
                    cell_value(key),
                    cell_value(c.enterprise.uscc),
                    cell_value(
                        c.enterprise.name_zh + (" （演示数据）" if c.enterprise.is_demo else "")
                    ),
                    c.amount,
                    cell_value(not_passed),
                ]
            )
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="policy-{item.pk}-candidates.xlsx"'
    return response


@login_required
def my_matches(request: HttpRequest) -> HttpResponse:
    """An enterprise's matches, each clause with its reason and what is missing; apply here."""
    plan = plan_of(request)
    enterprise = selectors.enterprise_of_user(request.user)
    if enterprise is None:
        if has_role(request.user, Role.OFFICE, Role.LEADER) and request.GET.get("uscc"):
            enterprise = selectors.enterprise_by_code(request.GET["uscc"])
        if enterprise is None:
            raise refused(_("This page is for an enterprise's own users."))
    if request.method == "POST":
        item = get_object_or_404(PolicyItem, plan=plan, code=request.POST.get("item", ""))
        try:
            app = services.application_create(
                item=item,
                enterprise=enterprise,
                period=item.period or str(timezone.localdate().year),
                note=request.POST.get("note", ""),
                by=request.user,
            )
            upload = request.FILES.get("evidence")
            if upload is not None:
                if upload.size and upload.size > 20 * 1024 * 1024:
                    raise DomainError.one("evidence", _("The file is too large."))
                services.evidence_attach(
                    application=app,
                    name=upload.name or "evidence",
                    data=upload.read(),
                    by=request.user,
                )
            services.application_submit(application=app, by=request.user)
            messages.success(request, _("Application submitted."))
        except DomainError as exc:
            _flash(request, exc)
        return redirect("policy-matches")
    matches = match_enterprise(enterprise=enterprise, plan=plan)
    live = {
        a.item_id: a
        for a in selectors.applications(plan=plan, enterprise=enterprise).exclude(
            status__in=["rejected", "withdrawn"]
        )
    }
    return render(
        request,
        "policy/matches.html",
        {
            "enterprise": enterprise,
            "matches": [
                (m, live.get(m.item.pk), m.window_state(timezone.localdate())) for m in matches
            ],
            "applications": selectors.applications(plan=plan, enterprise=enterprise),
            "notices": selectors.notices_of(enterprise)[:20],
            "counts": {
                k: sum(1 for m in matches if m.outcome == k)
                for k in ("eligible", "unknown", "not_eligible")
            },
        },
    )


@login_required
def office(request: HttpRequest) -> HttpResponse:
    """Applications to review and pay, and the funds disbursed."""
    _require(request, Role.OFFICE, Role.LEADER)
    plan = plan_of(request)
    if request.method == "POST":
        _require(request, Role.OFFICE)
        app = get_object_or_404(
            Application, pk=request.POST.get("application", "0"), item__plan=plan
        )
        action = request.POST.get("action", "")
        try:
            if action == "pay":
                services.payment_record(
                    application=app,
                    paid_on=timezone.localdate(),
                    reference=request.POST.get("reference", ""),
                    by=request.user,
                )
            else:
                services.application_decide(
                    application=app,
                    action=action,
                    reason=request.POST.get("reason", ""),
                    awarded=request.POST.get("awarded") or None,
                    by=request.user,
                )
            messages.success(request, _("Saved."))
        except DomainError as exc:
            _flash(request, exc)
        return redirect("policy-office")
    status = request.GET.get("status") or None
    return render(
        request,
        "policy/office.html",
        {
            "applications": selectors.applications(plan=plan, status=status)[:500],
            "status": status,
            "statuses": Application.Status.choices,
            "disbursed": selectors.disbursed(plan),
            "items": PolicyItem.objects.filter(plan=plan, status="published").order_by("code"),
        },
    )


@login_required
def pool(request: HttpRequest) -> HttpResponse:
    """The loan risk-compensation pool: parameters, figures, loans, claims (a bank sees its own)."""
    _require(request, Role.OFFICE, Role.LEADER, Role.BANK)
    plan = plan_of(request)
    reads_all = has_role(request.user, Role.OFFICE, Role.LEADER)
    bank_id = None if reads_all else getattr(request.user, "organisation_id", None)
    if not reads_all and bank_id is None:
        raise refused(_("Your role may not see this page."))
    if request.method == "POST":
        claim = get_object_or_404(Claim, pk=request.POST.get("claim", "0"), loan__pool__plan=plan)
        action = request.POST.get("action", "")
        try:
            if action == "pay":
                services.claim_pay(claim=claim, by=request.user)
            else:
                services.claim_decide(
                    claim=claim,
                    action=action,
                    reason=request.POST.get("reason", ""),
                    by=request.user,
                )
            messages.success(request, _("Saved."))
        except DomainError as exc:
            _flash(request, exc)
        return redirect("policy-pool")
    pools = [
        (
            p,
            pool_figures(p),
            selectors.loans(p, bank_id=bank_id)[:200],
            selectors.claims(p, bank_id=bank_id)[:200],
        )
        for p in selectors.pools(plan)
    ]
    return render(request, "policy/pool.html", {"pools": pools})
