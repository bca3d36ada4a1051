"""Public pages: thin views over `nengji.portal.selectors` and `.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nengji.cockpit import charts
from nengji.cockpit.export import table_response
from nengji.core.http import client_ip
from nengji.plan.models import Indicator, Section
from nengji.plan.selectors import plan_of
from nengji.portal.forms import CommentForm, ReplyForm
from nengji.portal.models import Comment
from nengji.portal.selectors import (
    OPEN_TABLES,
    comments_approved,
    comments_for_moderation,
    dictionary_table,
    indicator_page_get,
    open_catalogue,
    open_table,
    published_get,
    task_page_get,
)
from nengji.portal.services import (
    PortalError,
    client_key,
    comment_moderate,
    comment_post,
    comment_reply,
)

PUBLIC_CHARTS = ("index", "tasks-area")


def _public_chart(pub: Any, key: str) -> charts.Chart:
    """The portal's charts, built from published figures only; their downloads are open data."""
    if key == "index":
        chart = charts.chart_index(pub.index)
    else:
        chart = charts.chart_tasks(pub.tasks, by="area")
    chart.data_view = "open-data-chart"
    return chart


def portal_home(request: HttpRequest) -> HttpResponse:
    plan = plan_of(request)
    pub = published_get(plan=plan)
    reported = [t for t in pub.tasks if t.status]
    index_code = pub.index.official_code
    return render(
        request,
        "portal/home.html",
        {
            "plan": plan,
            "pub": pub,
            "index_code": index_code,
            "chart": _public_chart(pub, "index"),
            "tasks_chart": _public_chart(pub, "tasks-area"),
            "reported": reported,
            "task_list": [t for t in pub.tasks if t.section.kind == "task"],
            "with_value": [s for s in pub.indicators if s.latest],
        },
    )


def portal_indicator(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator for the public: the plan's words, the published series, the target and
    where it comes from, the status in words."""
    plan = plan_of(request)
    page = indicator_page_get(plan=plan, code=code)
    if page is None:
        raise Http404(code)
    return render(request, "portal/indicator.html", {"plan": plan, "page": page})


def portal_task(request: HttpRequest, code: str) -> HttpResponse:
    """One task, measure or key project: lead department and the latest published progress."""
    plan = plan_of(request)
    page = task_page_get(plan=plan, code=code)
    if page is None:
        raise Http404(code)
    return render(request, "portal/task.html", {"plan": plan, "page": page})


def _target(plan: Any, kind: str, code: str | None) -> dict[str, Any]:
    if kind == "plan":
        return {}
    if kind == "task":
        return {"section": get_object_or_404(Section, plan=plan, code=code)}
    if kind == "indicator":
        return {"indicator": get_object_or_404(Indicator, plan=plan, code=code)}
    raise Http404


def portal_comments(request: HttpRequest, kind: str, code: str | None = None) -> HttpResponse:
    plan = plan_of(request)
    target = _target(plan, kind, code)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comment_post(
                plan=plan,
                client=client_key(client_ip(request)),
                name=form.cleaned_data["name"],
                text=form.cleaned_data["text"],
                **target,
            )
        except PortalError as exc:
            if exc.code != "rate_limited":
                for field, errors in exc.by_field().items():
                    form.add_error(None if field == "__all__" else field, errors)
                return render(
                    request,
                    "portal/comments.html",
                    {"plan": plan, "kind": kind, "target": target, "form": form, "comments": []},
                    status=exc.status,
                )
            retry_after = exc.retry_after or 60
            minutes = max(1, (retry_after + 59) // 60)
            form.add_error(
                None,
                _(
                    "You have sent several comments in a short time. To keep the discussion "
                    "open to everyone, please wait %(minutes)s minutes before sending another."
                )
                % {"minutes": minutes},
            )
            response = render(
                request,
                "portal/comments.html",
                {"plan": plan, "kind": kind, "target": target, "form": form, "comments": []},
                status=429,
            )
            response["Retry-After"] = str(retry_after)
            return response
        else:
            messages.success(
                request,
                _("Thank you. Your comment will appear here once the plan office has reviewed it."),
            )
            return redirect(request.path)
    comments = comments_approved(plan=plan, **{f"{k}": v for k, v in target.items()})
    if not target:
        comments = comments.filter(section__isnull=True, indicator__isnull=True)
    return render(
        request,
        "portal/comments.html",
        {"plan": plan, "kind": kind, "target": target, "form": form, "comments": comments},
    )


@login_required
def portal_moderation(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "is_office", False):
        raise PermissionDenied
    items = list(comments_for_moderation()[:200])
    return render(request, "portal/moderation.html", {"items": items, "reply_form": ReplyForm()})


@login_required
@require_POST
def portal_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=pk)
    action = request.POST.get("action", "")
    if action in ("approve", "reject"):
        comment_moderate(comment=comment, approve=action == "approve", by=request.user)
        messages.success(
            request,
            _("Comment %(id)s: %(status)s.")
            % {"id": comment.pk, "status": comment.get_status_display()},
        )
    elif action == "reply":
        form = ReplyForm(request.POST)
        if form.is_valid():
            comment_reply(comment=comment, text=form.cleaned_data["reply"], by=request.user)
            messages.success(request, _("Reply saved."))
    return redirect("portal-moderation")


def open_data(request: HttpRequest) -> HttpResponse:
    plan = plan_of(request)
    tables = open_catalogue(plan=plan)
    return render(
        request,
        "portal/open_data.html",
        {"plan": plan, "tables": tables, "dictionary": dictionary_table(tables)},
    )


def open_data_chart(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """The numbers behind a public chart, as open data (no login: only published figures)."""
    if fmt not in ("csv", "json", "xlsx") or key not in PUBLIC_CHARTS:
        raise Http404
    chart = _public_chart(published_get(plan=plan_of(request)), key)
    if not chart.columns:
        raise Http404
    notes = [chart.title, chart.summary]
    if chart.is_demo:
        notes.append(_("Contains demo data (演示数据), not official figures."))
    response = table_response(
        fmt,
        filename=f"nengji-{chart.key}",
        columns=chart.columns,
        rows=chart.rows,
        title=chart.key,
        notes=notes,
        meta={"title": chart.title, "summary": chart.summary, "is_demo": chart.is_demo},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def open_data_table(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "json", "xlsx"):
        raise Http404
    plan = plan_of(request)
    if key == "dictionary":
        table = dictionary_table(open_catalogue(plan=plan))
    elif key in OPEN_TABLES:
        table = open_table(plan=plan, key=key)
    else:
        raise Http404
    columns = [c.name for c in table.columns]
    response = table_response(
        fmt,
        filename=table.key,
        columns=columns,
        rows=table.rows,
        title=table.key,
        notes=[table.title_zh, table.title_en, "/open-data/dictionary.csv"],
        meta={
            "table": table.key,
            "title_zh": table.title_zh,
            "title_en": table.title_en,
            "plan": plan.code,
            "dictionary": {c.name: {"type": c.type, "zh": c.zh, "en": c.en} for c in table.columns},
        },
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
