"""Monitoring pages: thin views over `selectors` and `services`.

A report another department owns is a 404 for a reporter; office-only pages are a 403 for
others; anonymous visitors see only the published page.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nengji.core import selectors as core_selectors
from nengji.core.errors import DomainError
from nengji.core.exports import cell_value
from nengji.core.uploads import read_bounded
from nengji.monitoring import selectors, services
from nengji.monitoring.audit_display import action_label, audit_changes
from nengji.monitoring.errors import ErrorDetail, MonitoringError
from nengji.monitoring.excel import template_build
from nengji.monitoring.forms import (
    AssignmentForm,
    IndicatorReportForm,
    KeyProjectForm,
    RoundOpenForm,
    SettingsForm,
    TargetForm,
    TaskReportForm,
)
from nengji.monitoring.models import (
    Assignment,
    Observation,
    ProposedValue,
    Round,
    Submission,
    Target,
)
from nengji.monitoring.permissions import evidence_readable, submission_can_read
from nengji.monitoring.services.evidence import download_name, read_upload
from nengji.monitoring.services.imports import MAX_WORKBOOK_BYTES
from nengji.monitoring.services.targets import settings_for
from nengji.plan import services as plan_services
from nengji.plan.models import Department, Plan, Section
from nengji.plan.selectors import plan_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _office(request: HttpRequest) -> None:
    if not getattr(request.user, "is_office", False):
        raise PermissionDenied


def _reader(request: HttpRequest) -> None:
    if not getattr(request.user, "can_read_all", False):
        raise PermissionDenied


def _flash_errors(request: HttpRequest, exc: DomainError) -> None:
    for d in exc.detail:
        messages.error(request, f"{d.where()}: {d.message}")


@login_required
def monitoring_home(request: HttpRequest) -> HttpResponse:
    plan = plan_of(request)
    user: Any = request.user
    form = RoundOpenForm(initial={"year": timezone.now().year - 1, "quarter": 0})
    ctx: dict[str, Any] = {"plan": plan, "rounds": selectors.round_list(plan=plan), "form": form}
    if user.is_office:
        ctx["alerts"] = selectors.alerts(plan=plan)
        ctx["queue_count"] = selectors.review_queue(plan=plan).count()
    return render(request, "monitoring/home.html", ctx)


@login_required
@require_POST
def round_open_view(request: HttpRequest) -> HttpResponse:
    _office(request)
    form = RoundOpenForm(request.POST)
    if form.is_valid():
        try:
            rnd = services.round_open(plan=plan_of(request), by=request.user, **form.cleaned_data)
        except DomainError as exc:
            _flash_errors(request, exc)
        else:
            messages.success(request, _("Round %(label)s opened.") % {"label": rnd.label})
            return redirect("monitoring-round", pk=rnd.pk)
    else:
        for field, errs in form.errors.items():
            messages.error(request, f"{field}: {' '.join(str(e) for e in errs)}")
    return redirect("monitoring-home")


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    rnd = get_object_or_404(Round, pk=pk)
    subs = selectors.round_submissions(round=rnd, user=user)
    by_dept: dict[Department, list[Submission]] = {}
    for s in sorted(subs, key=lambda s: (s.department.order, s.department.code, s.assignment_id)):
        by_dept.setdefault(s.department, []).append(s)
    latest: dict[int, Submission] = {}
    for s in subs:  # the newest version of each report decides what publishing takes
        if s.assignment_id not in latest or s.sequence > latest[s.assignment_id].sequence:
            latest[s.assignment_id] = s
    approved = sum(1 for s in latest.values() if s.status == Submission.Status.APPROVED)
    return render(
        request,
        "monitoring/round.html",
        {
            "round": rnd,
            "by_dept": by_dept,
            "is_demo": any(s.is_demo for s in subs),
            "n_approved": approved,
            "n_unpublished": len(latest) - approved,
        },
    )


@login_required
@require_POST
def round_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    rnd = get_object_or_404(Round, pk=pk)
    try:
        services.round_publish(round=rnd, by=request.user, version=_int(request.POST, "version"))
        messages.success(request, _("Round %(label)s published.") % {"label": rnd.label})
    except DomainError as exc:
        _flash_errors(request, exc)
    return redirect("monitoring-round", pk=pk)


@login_required
@require_POST
def round_complete_view(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    rnd = get_object_or_404(Round, pk=pk)
    try:
        n = services.round_reports_complete(round=rnd, by=request.user)
        messages.success(request, _("%(n)s reports added.") % {"n": n})
    except DomainError as exc:
        _flash_errors(request, exc)
    return redirect("monitoring-round", pk=pk)


@login_required
@require_POST
def round_remind_view(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    rnd = get_object_or_404(Round, pk=pk)
    sent = services.reminders_send(round=rnd, by=request.user)
    messages.success(request, _("%(n)s reminder e-mails sent.") % {"n": sent})
    return redirect("monitoring-round", pk=pk)


def _own_department(request: HttpRequest) -> Department:
    user: Any = request.user
    department: Department | None = user.department if user.is_reporter else None
    if department is None:
        raise PermissionDenied
    return department


@login_required
def template_download(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_object_or_404(Round, pk=pk)
    dept = _own_department(request)
    data = template_build(round=rnd, department=dept)
    resp = HttpResponse(data, content_type=XLSX)
    name = f"nengji-{rnd.label.replace(' ', '')}-{dept.code}.xlsx"
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


@login_required
@require_POST
def template_upload(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_object_or_404(Round, pk=pk)
    dept = _own_department(request)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose the filled template to upload."))
        return redirect("monitoring-round", pk=pk)
    try:
        result = services.submissions_import(
            round=rnd,
            department=dept,
            data=read_bounded(upload, limit=MAX_WORKBOOK_BYTES, field="file"),
            by=request.user,
            submit=bool(request.POST.get("submit")),
        )
    except DomainError as exc:
        messages.error(request, _("The upload was rejected; nothing was changed."))
        _flash_errors(request, exc)
    else:
        messages.success(
            request, _("%(n)s reports updated from the workbook.") % {"n": result.updated}
        )
        if result.skipped:
            messages.info(
                request,
                _(
                    "%(n)s rows skipped: their reports are submitted or approved and the rows "
                    "were unchanged."
                )
                % {"n": result.skipped},
            )
    return redirect("monitoring-round", pk=pk)


def _visible_submission(request: HttpRequest, pk: int) -> Submission:
    sub = get_object_or_404(
        Submission.objects.select_related(
            "round", "assignment__indicator", "assignment__section", "department"
        ),
        pk=pk,
    )
    if not submission_can_read(request.user, sub):
        raise Http404
    return sub


def _int(data: Any, key: str) -> int | None:
    try:
        return int(data.get(key))
    except (TypeError, ValueError):
        return None


def _act(
    request: HttpRequest, sub: Submission, action: str, version: int | None, form_cls: type
) -> tuple[Submission, str]:
    """One form action on a report: the report to show next and the message to flash."""
    user: Any = request.user
    if action in ("save", "submit"):
        form = form_cls(request.POST)
        if not form.is_valid():
            raise MonitoringError(
                [
                    ErrorDetail(field, " ".join(str(e) for e in errs))
                    for field, errs in form.errors.items()
                ]
            )
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        sub = services.submission_save(submission=sub, by=user, version=version, **values)
        upload = request.FILES.get("evidence")
        if upload is not None:
            services.evidence_add(
                submission=sub,
                name=upload.name or "evidence",
                data=read_upload(upload),
                by=user,
            )
        if action == "submit":
            sub = services.submission_submit(submission=sub, by=user)
            return sub, _("Submitted to the plan office.")
        return sub, _("Draft saved.")
    if action == "return":
        sub = services.submission_return(
            submission=sub, by=user, version=version, comment=request.POST.get("comment", "")
        )
        return sub, _("Returned to the department.")
    if action == "approve":
        sub = services.submission_approve(
            submission=sub, by=user, version=version, comment=request.POST.get("comment", "")
        )
        return sub, _("Approved: the value is now official.")
    if action == "revise":
        new = services.submission_revise(
            submission=sub, by=user, reason=request.POST.get("reason", "")
        )
        return new, _("Revision started.")
    raise Http404


def _as_entered(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def _previous_report(sub: Submission) -> Submission | None:
    """The same item's approved report of the period before, shown beside the form (as in the
    Excel template) so that the change is visible while it is typed."""
    return (
        Submission.objects.filter(assignment=sub.assignment, status=Submission.Status.APPROVED)
        .filter(
            Q(round__year__lt=sub.round.year)
            | Q(round__year=sub.round.year, round__quarter__lt=sub.round.quarter)
        )
        .select_related("round")
        .order_by("-round__year", "-round__quarter", "-sequence")
        .first()
    )


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _visible_submission(request, pk)
    user: Any = request.user
    form_cls = IndicatorReportForm if sub.assignment.is_indicator else TaskReportForm
    field_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        action = request.POST.get("action", "save")
        version = _int(request.POST, "version")
        try:
            with transaction.atomic():  # save + evidence + submit: all or nothing
                sub, done = _act(request, sub, action, version, form_cls)
        except DomainError as exc:
            if exc.code == "permission":
                raise PermissionDenied(str(exc)) from exc
            for d in exc.detail:
                field_errors.setdefault(d.field, []).append(d.message)
            messages.error(request, _("Nothing was changed: see the errors below."))
        else:
            messages.success(request, done)
            return redirect("monitoring-submission", pk=sub.pk)
        sub.refresh_from_db()
        form = form_cls(request.POST)
    else:
        # a stored decimal shows as entered (7, not 7.000000)
        initial = {f: _as_entered(getattr(sub, f)) for f in form_cls.base_fields}
        form = form_cls(initial=initial)
    can_write = user.is_reporter and user.department_id == sub.department_id and sub.editable
    history = Submission.objects.filter(round=sub.round, assignment=sub.assignment).order_by(
        "sequence"
    )
    indicator_id = sub.assignment.indicator_id
    vintages = (
        list(
            Observation.objects.filter(
                indicator_id=indicator_id, year=sub.round.year, quarter=sub.round.quarter
            ).order_by("vintage")
        )
        if indicator_id is not None
        else []
    )
    labels = {name: str(f.label) for name, f in form_cls.base_fields.items()}
    labels["evidence"] = _("Evidence")
    labels["revision_reason"] = _("Reason for the revision")
    error_list = [
        (field, labels.get(field, ""), msg) for field, msgs in field_errors.items() for msg in msgs
    ]
    return render(
        request,
        "monitoring/submission.html",
        {
            "sub": sub,
            "form": form,
            "field_errors": field_errors,
            "error_list": error_list,
            "can_write": can_write,
            "is_office": user.is_office,
            "history": history,
            "previous": _previous_report(sub),
            "vintages": vintages,
            "evidence": sub.evidence.all(),
            "audit": core_selectors.audit_list(object_type="submission", object_id=str(sub.pk)),
        },
    )


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    ev = evidence_readable(user=request.user, pk=pk)
    return FileResponse(
        ev.file.open("rb"),
        as_attachment=True,
        filename=download_name(ev),
        content_type=ev.content_type,
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    _office(request)
    return render(
        request, "monitoring/review.html", {"queue": selectors.review_queue(plan=plan_of(request))}
    )


@login_required
def proposals_view(request: HttpRequest) -> HttpResponse:
    """Figures counted by other apps (registry, vouchers, contracts), waiting for the office."""
    _reader(request)
    plan = plan_of(request)
    if request.method == "POST":
        _office(request)
        proposal = get_object_or_404(ProposedValue, pk=_int(request.POST, "proposal"), plan=plan)
        reason = request.POST.get("reason", "")[:2000]
        try:
            if request.POST.get("action") == "accept":
                services.proposal_accept(proposal=proposal, by=request.user, reason=reason)
                messages.success(request, _("The figure was accepted and approved."))
            else:
                services.proposal_reject(proposal=proposal, by=request.user, reason=reason)
                messages.success(request, _("The figure was rejected."))
        except DomainError as exc:
            _flash_errors(request, exc)
        return redirect("monitoring-proposals")
    return render(
        request,
        "monitoring/proposals.html",
        {"plan": plan, "proposals": selectors.proposals(plan=plan)},
    )


@login_required
def alerts_view(request: HttpRequest) -> HttpResponse:
    _reader(request)
    return render(
        request, "monitoring/alerts.html", {"alerts": selectors.alerts(plan=plan_of(request))}
    )


@login_required
def audit_view(request: HttpRequest) -> HttpResponse:
    _office(request)
    filters = {k: request.GET.get(k, "") for k in ("object_type", "action", "actor", "object_id")}
    entries = core_selectors.audit_list(
        object_type=filters["object_type"],
        action=filters["action"],
        actor=filters["actor"],
        object_id=filters["object_id"],
    )
    if request.GET.get("format") == "csv":
        resp = HttpResponse(content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = 'attachment; filename="nengji-audit.csv"'
        resp.write("\ufeff")  # so Excel opens the UTF-8 file with Chinese intact
        w = csv.writer(resp)
        w.writerow(
            ["at", "actor", "action", "object_type", "object_id", "object", "before", "after"]
        )
        for e in entries.iterator():
            w.writerow(
                [
                    cell_value(x)
                    for x in (
                        e.at.isoformat(),
                        e.actor_label,
                        e.action,
                        e.object_type,
                        e.object_id,
                        e.object_label,
                        json.dumps(e.before, ensure_ascii=False),
                        json.dumps(e.after, ensure_ascii=False),
                    )
                ]
            )
        return resp
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    rows = [(e, action_label(e.action), audit_changes(e.before, e.after)) for e in page]
    return render(
        request, "monitoring/audit.html", {"page": page, "rows": rows, "filters": filters}
    )


def published(request: HttpRequest) -> HttpResponse:
    """What the public sees: official values, their vintages and on-track status; task progress."""
    plan = plan_of(request)
    statuses = selectors.indicator_statuses(plan=plan)
    history = selectors.vintages(plan=plan)
    progress = selectors.task_progress(plan=plan)
    nodes = selectors.progress_nodes(progress)
    has_demo = any(s.is_demo for s in statuses) or any(n.is_demo for n in nodes)
    has_progress = any(n.reported for n in nodes)
    return render(
        request,
        "monitoring/published.html",
        {
            "plan": plan,
            "statuses": [
                (s, history.get(s.indicator.pk, [])) for s in statuses if s.points or s.target
            ],
            "progress": progress,
            "has_demo": has_demo,
            "has_progress": has_progress,
            "rounds": selectors.round_list(plan=plan, public=True),
        },
    )


def _project_initial(plan: Plan, code: str) -> dict[str, str]:
    """Initial values of the key-project form when the office edits `?project=<code>`."""
    row = (
        plan.sections.filter(code=code, kind=Section.Kind.PROJECT, origin=Section.Origin.OFFICE)
        .select_related("parent")
        .first()
        if code
        else None
    )
    if row is None:
        return {}
    return {
        "project": row.code,
        "parent": row.parent.code if row.parent else "",
        "code": row.code,
        "title_zh": row.title_zh,
        "title_en": row.title_en,
        "description_zh": row.description_zh,
    }


@login_required
def setup_view(request: HttpRequest) -> HttpResponse:
    """The office's set-up: assignments, targets and the on-track thresholds."""
    _office(request)
    plan = plan_of(request)
    user: Any = request.user
    kind = request.POST.get("form", "")
    a_form = AssignmentForm(request.POST if kind == "assignment" else None, plan=plan)
    t_form = TargetForm(request.POST if kind == "target" else None, plan=plan)
    s_form = SettingsForm(request.POST if kind == "settings" else None, instance=settings_for(plan))
    p_form = KeyProjectForm(
        request.POST if kind == "project" else None,
        plan=plan,
        initial=_project_initial(plan, request.GET.get("project", "")),
    )
    errors: list[str] = []
    if request.method == "POST":
        try:
            if kind == "assignment" and a_form.is_valid():
                d = a_form.cleaned_data
                prefix, code = d["item"].split(":", 1)
                item = (
                    {"indicator": plan.indicators.get(code=code)}
                    if prefix == "i"
                    else {"section": plan.sections.get(code=code)}
                )
                services.assignment_set(
                    plan=plan,
                    by=user,
                    lead=d["lead"],
                    supporting=list(d["supporting"]),
                    frequency=d["frequency"],
                    min_value=d["min_value"],
                    max_value=d["max_value"],
                    evidence_required=d["evidence_required"],
                    **item,
                )
            elif kind == "target" and t_form.is_valid():
                d = t_form.cleaned_data
                services.target_set(
                    indicator=plan.indicators.get(code=d["indicator"]),
                    by=user,
                    target_year=d["target_year"],
                    target_value=d["target_value"],
                    nature=d["nature"],
                    basis=d["basis"],
                    milestones=t_form.milestone_map(),
                )
            elif kind == "project" and p_form.is_valid():
                d = p_form.cleaned_data
                plan_services.key_project_save(
                    plan=plan,
                    by=user,
                    project=(
                        plan.sections.get(code=d["project"], kind=Section.Kind.PROJECT)
                        if d["project"]
                        else None
                    ),
                    parent=plan.sections.filter(code=d["parent"]).first(),
                    code=d["code"],
                    title_zh=d["title_zh"],
                    title_en=d["title_en"],
                    description_zh=d["description_zh"],
                )
            elif kind == "settings" and s_form.is_valid():
                services.settings_update(
                    plan=plan, by=user, **{k: v for k, v in s_form.cleaned_data.items()}
                )
            else:
                raise MonitoringError.one("__all__", _("Check the form."))
        except DomainError as exc:
            for problem in exc.detail:
                if kind == "project" and problem.field in p_form.fields:
                    p_form.add_error(problem.field, problem.message)  # shown against the field
                else:
                    errors.append(f"{problem.field}: {problem.message}")
        else:
            messages.success(request, _("Saved."))
            return redirect("monitoring-setup")
    return render(
        request,
        "monitoring/setup.html",
        {
            "a_form": a_form,
            "t_form": t_form,
            "s_form": s_form,
            "p_form": p_form,
            "errors": errors,
            "projects": plan.sections.filter(kind=Section.Kind.PROJECT)
            .select_related("parent")
            .order_by("order", "id"),
            "assignments": Assignment.objects.filter(plan=plan)
            .select_related("indicator", "section", "lead")
            .prefetch_related("supporting"),
            "targets": Target.objects.filter(indicator__plan=plan).select_related(
                "indicator", "set_by"
            ),
        },
    )
