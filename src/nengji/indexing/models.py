"""One computation of the composite index: inputs, method and outputs, never edited."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nengji.indexing.results import StoredResults
from nengji.plan.models import Plan


class IndexRun(models.Model):
    """The index as computed at one moment: spec + snapshot → results (all stored)."""

    class Trigger(models.TextChoices):
        PUBLICATION = "publication", _("publication of a round")
        MANUAL = "manual", _("manual")
        DEMO = "demo", _("demo set-up")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="index_runs")
    created_at = models.DateTimeField(_("computed at"), db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trigger = models.CharField(_("trigger"), max_length=12, choices=Trigger.choices)
    spec = models.JSONField(_("pipeline spec"))
    framework = models.JSONField(_("framework"))
    snapshot = models.JSONField(_("data snapshot"))
    snapshot_sha256 = models.CharField(_("snapshot SHA-256"), max_length=64)
    results = models.JSONField(_("results"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("index run")
        verbose_name_plural = _("index runs")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.plan.code} index run {self.created_at:%Y-%m-%d %H:%M}"

    @cached_property
    def stored(self) -> StoredResults:
        """The results, typed (read them through this, not through the JSON)."""
        return StoredResults.from_json(self.results)
