"""A report generation requested from the web: its status and progress, polled by the page."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        "plan.Plan", on_delete=models.CASCADE, related_name="report_jobs", verbose_name=_("plan")
    )
    kind = models.CharField(_("report"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    fmt = models.CharField(_("format"), max_length=5)
    lang = models.CharField(_("language"), max_length=2, default="zh")
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.CharField(_("message"), max_length=200, blank=True)
    file = models.CharField(max_length=500, blank=True, help_text="Path under MEDIA_ROOT.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    task_id = models.CharField(
        _("queue task"), max_length=64, blank=True, help_text=_("The job's id on the task queue.")
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ("-requested_at",)

    def __str__(self) -> str:
        return f"{self.kind} {self.year} {self.fmt} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
