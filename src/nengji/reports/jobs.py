"""Background report generation for the web.

A request creates a `ReportJob` and, once its transaction commits, queues the generation on the
task queue (`report_job_task`); a worker process (`nengji worker`, started
beside the web server by `nengji serve`) generates the report, writing progress to the job row,
and the page polls the job. The job lives in the database, so it survives the web worker that
queued it. A job still "running" after `STALE_AFTER` (its worker died mid-way) is marked
failed when it is next looked at, saying so.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from nengji.plan.models import Plan
from nengji.reports.models import ReportJob
from nengji.reports.services import (
    FORMATS,
    KINDS,
    LANGS,
    ReportError,
    report_generate,
    reports_dir,
)

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(minutes=15)


def job_create(
    *,
    plan: Plan,
    kind: str,
    year: int,
    fmt: str,
    by: Any,
    start: bool = True,
    lang: str = "zh",
) -> ReportJob:
    """Record a report request; with `start`, queue its generation once the request's
    transaction commits."""
    if kind not in KINDS or fmt not in FORMATS or lang not in LANGS:
        raise ReportError(f"unknown report {kind!r}, format {fmt!r} or language {lang!r}")
    job = ReportJob.objects.create(
        plan=plan,
        kind=kind,
        year=year,
        fmt=fmt,
        lang=lang,
        requested_by=by,
        requested_at=timezone.now(),
    )
    if start:
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: uuid.UUID) -> None:
    result = report_job_task.enqueue(str(job_id))
    ReportJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


@task()
def report_job_task(job_id: str) -> str:
    """The queued job (run by `nengji worker`): generate the report; return its final status."""
    return str(job_run(uuid.UUID(job_id)).status)


def _save(job: ReportJob, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ReportJob.objects.filter(pk=job.pk).update(**fields)


def job_run(job_id: uuid.UUID) -> ReportJob:
    """Generate the job's report now (in the calling thread), recording progress and outcome."""
    job = ReportJob.objects.get(pk=job_id)
    if job.is_finished:  # the queue delivered it twice: once is enough
        return job
    _save(
        job,
        status=ReportJob.Status.RUNNING,
        progress=1,
        message="开始生成",
        started_at=timezone.now(),
    )

    def progress(percent: int, message: str) -> None:
        _save(job, progress=percent, message=message[:200])

    try:
        path = report_generate(
            plan=job.plan,
            kind=job.kind,
            year=job.year,
            fmt=job.fmt,
            by=job.requested_by,
            out=reports_dir() / f"{job.pk}.{job.fmt}",
            progress=progress,
            lang=job.lang if job.lang in LANGS else "zh",
        )
    except Exception as exc:  # any failure ends the job with its reason, for the page
        log.exception("report job %s failed", job.pk)
        _save(
            job,
            status=ReportJob.Status.FAILED,
            message=f"生成失败：{exc}"[:200],
            finished_at=timezone.now(),
        )
        return job
    relative = path.relative_to(Path(settings.MEDIA_ROOT)).as_posix()
    _save(
        job,
        status=ReportJob.Status.DONE,
        progress=100,
        message="已完成",
        file=relative,
        finished_at=timezone.now(),
    )
    return job


def job_refresh(job: ReportJob) -> ReportJob:
    """Mark a job whose worker died while running it as failed (a queued job just waits for a
    worker)."""
    if job.status == ReportJob.Status.RUNNING and (
        timezone.now() - (job.started_at or job.requested_at) > STALE_AFTER
    ):
        _save(
            job,
            status=ReportJob.Status.FAILED,
            message="生成中断（后台任务进程退出或超时），请重新生成",
            finished_at=timezone.now(),
        )
    return job


def job_file(job: ReportJob) -> Path | None:
    if job.status != ReportJob.Status.DONE or not job.file:
        return None
    path = Path(settings.MEDIA_ROOT) / job.file
    return path if path.is_file() else None


def job_download_name(job: ReportJob) -> str:
    if job.lang == "en":
        name = (
            f"monitoring-report-{job.year}"
            if job.kind == "annual"
            else f"midterm-evaluation-{job.year}"
        )
        return f"{name}.{job.fmt}"
    name = f"{job.year}年度监测报告" if job.kind == "annual" else f"{job.year}年中期评估报告"
    return f"{name}.{job.fmt}"
