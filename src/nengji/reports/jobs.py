"""Background report generation for the web.

A request creates a `ReportJob` and starts a thread after the transaction commits; the thread
generates the report, writing progress to the job row, and the page polls the job. A thread is
enough here: a report takes seconds, the office asks for a few a year, and it needs no worker
process to deploy. A job still "running" after `STALE_AFTER` (its process died) is marked failed
when it is next looked at.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from nengji.plan.models import Plan
from nengji.reports.models import ReportJob
from nengji.reports.services import FORMATS, KINDS, ReportError, report_generate, reports_dir

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(minutes=15)


def job_create(
    *, plan: Plan, kind: str, year: int, fmt: str, by: Any, start: bool = True
) -> ReportJob:
    """Queue a report; with `start`, run it in a thread once the request's transaction commits."""
    if kind not in KINDS or fmt not in FORMATS:
        raise ReportError(f"unknown report {kind!r} or format {fmt!r}")
    job = ReportJob.objects.create(
        plan=plan, kind=kind, year=year, fmt=fmt, requested_by=by, requested_at=timezone.now()
    )
    if start:
        transaction.on_commit(lambda: _start_thread(job.pk))
    return job


def _start_thread(job_id: uuid.UUID) -> None:
    threading.Thread(target=_thread_main, args=(job_id,), daemon=True).start()


def _thread_main(job_id: uuid.UUID) -> None:
    try:
        job_run(job_id)
    finally:
        close_old_connections()


def _save(job: ReportJob, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ReportJob.objects.filter(pk=job.pk).update(**fields)


def job_run(job_id: uuid.UUID) -> ReportJob:
    """Generate the job's report now (in the calling thread), recording progress and outcome."""
    job = ReportJob.objects.get(pk=job_id)
    _save(job, status=ReportJob.Status.RUNNING, progress=1, message="开始生成")

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
    """Mark a job whose thread died (e.g. the server restarted) as failed."""
    if job.status in (ReportJob.Status.QUEUED, ReportJob.Status.RUNNING) and (
        timezone.now() - job.requested_at > STALE_AFTER
    ):
        _save(
            job,
            status=ReportJob.Status.FAILED,
            message="生成中断（服务重启或超时），请重新生成",
            finished_at=timezone.now(),
        )
    return job


def job_file(job: ReportJob) -> Path | None:
    if job.status != ReportJob.Status.DONE or not job.file:
        return None
    path = Path(settings.MEDIA_ROOT) / job.file
    return path if path.is_file() else None


def job_download_name(job: ReportJob) -> str:
    name = f"{job.year}年度监测报告" if job.kind == "annual" else f"{job.year}年中期评估报告"
    return f"{name}.{job.fmt}"
