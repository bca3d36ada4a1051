"""Report pages: the office asks for a report, watches the job, downloads the file."""

from __future__ import annotations

import uuid

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from nengji.plan.selectors import plan_of
from nengji.reports.jobs import job_create, job_download_name, job_file, job_refresh
from nengji.reports.models import ReportJob
from nengji.reports.services import FORMATS, KINDS

KIND_LABELS = {"annual": _("Annual monitoring report"), "midterm": _("Mid-term evaluation")}


def _require_reader(request: HttpRequest) -> None:
    user = request.user
    if not (getattr(user, "is_office", False) or getattr(user, "is_leader", False)):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _require_reader(request)
    plan = plan_of(request)
    years = list(range(plan.period_start, plan.period_end + 1))
    error = ""
    if request.method == "POST":
        if not request.user.is_office:
            raise PermissionDenied
        kind, fmt = request.POST.get("kind", ""), request.POST.get("fmt", "")
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            year = 0
        # the report's language: the one chosen, else the page's
        lang = request.POST.get("lang") or (
            "en" if (get_language() or "").startswith("en") else "zh"
        )
        if kind in KINDS and fmt in FORMATS and year in years and lang in ("zh", "en"):
            job = job_create(plan=plan, kind=kind, year=year, fmt=fmt, by=request.user, lang=lang)
            return redirect("report-job", job_id=job.pk)
        error = "invalid"
    jobs = [
        job_refresh(j)
        for j in ReportJob.objects.filter(plan=plan).select_related("requested_by")[:30]
    ]
    return render(
        request,
        "reports/list.html",
        {
            "plan": plan,
            "years": years,
            "default_year": min(max(timezone.localdate().year - 1, years[0]), years[-1]),
            "kinds": {kind: KIND_LABELS[kind] for kind in KINDS},
            "formats": FORMATS,
            "page_lang": "en" if (get_language() or "").startswith("en") else "zh",
            "jobs": jobs,
            "error": error,
        },
        status=400 if error else 200,
    )


def _job(request: HttpRequest, job_id: uuid.UUID) -> ReportJob:
    if not request.user.is_authenticated:
        raise Http404
    _require_reader(request)
    return job_refresh(get_object_or_404(ReportJob, pk=job_id))


def report_job(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = _job(request, job_id)
    return render(request, "reports/job.html", {"job": job, "kinds": KINDS, "formats": FORMATS})


def report_job_status(request: HttpRequest, job_id: uuid.UUID) -> JsonResponse:
    job = _job(request, job_id)
    return JsonResponse(
        {
            "id": str(job.pk),
            "status": job.status,
            "progress": job.progress,
            "message": job.message,
            "finished": job.is_finished,
            "download": reverse("report-job-download", args=[job.pk])
            if job.status == ReportJob.Status.DONE
            else None,
        }
    )


def report_job_download(request: HttpRequest, job_id: uuid.UUID) -> FileResponse:
    job = _job(request, job_id)
    path = job_file(job)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=job_download_name(job))
