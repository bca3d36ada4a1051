"""One computation of the composite index: inputs, method and outputs, never edited."""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nengji.core.models import Organisation
from nengji.indexing.results import StoredResults
from nengji.plan.models import Department, Plan


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


# --------------------------------------------------------------------------------------
# 长三角双创示范基地双创指数: the multi-unit benchmark index a plan package may define


class AppendOnly(models.QuerySet[Any]):
    """Runs and publications are records of what was computed and made public: never edited."""

    def update(self, **kwargs: Any) -> int:
        raise ValidationError("append-only: rows cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError("append-only: rows cannot be deleted")


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError("append-only: rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError("append-only: rows cannot be deleted")


class Benchmark(models.Model):
    """A multi-unit index of a plan (its package's ``benchmark/``), as loaded."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="benchmarks")
    code = models.CharField(_("code"), max_length=32)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    source_quote = models.TextField(_("source sentence"), blank=True)
    source_start = models.PositiveIntegerField(null=True, blank=True)
    source_end = models.PositiveIntegerField(null=True, blank=True)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    framework = models.JSONField(_("framework"))
    spec = models.JSONField(_("pipeline spec"))
    uncertainty = models.JSONField(_("uncertainty analysis"))
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("benchmark index")
        verbose_name_plural = _("benchmark indices")
        constraints = (
            models.UniqueConstraint(fields=["plan", "code"], name="benchmark_unique_code"),
        )

    def __str__(self) -> str:
        return self.name_zh

    @property
    def name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class BenchmarkBase(models.Model):
    """One base compared: the plan's own district or a partner region (with its reporting
    body, a department of kind ``partner_base`` in that region)."""

    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="bases")
    code = models.CharField(_("code"), max_length=32)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    own = models.BooleanField(_("the plan's own district"), default=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    reporter = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reporting body"),
    )
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("benchmark base")
        verbose_name_plural = _("benchmark bases")
        ordering = ("benchmark", "order", "code")
        constraints = (
            models.UniqueConstraint(fields=["benchmark", "code"], name="benchmark_base_unique"),
            models.UniqueConstraint(
                fields=["benchmark", "organisation"], name="benchmark_base_unique_region"
            ),
        )

    def __str__(self) -> str:
        return f"{self.benchmark.code} {self.code}"

    @property
    def name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class BenchmarkRun(AppendOnlyModel):
    """The benchmark of one year as computed at one moment: method + data → results.

    Identified by what went in (the SHA-256 of the method and of the data snapshot): computing
    it again from the same inputs returns this row rather than a second one."""

    class Trigger(models.TextChoices):
        PUBLICATION = "publication", _("publication of a round")
        MANUAL = "manual", _("manual")
        DEMO = "demo", _("demo set-up")

    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="runs")
    year = models.PositiveSmallIntegerField(_("year"))
    created_at = models.DateTimeField(_("computed at"), db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trigger = models.CharField(_("trigger"), max_length=12, choices=Trigger.choices)
    method = models.JSONField(_("method"))  # framework, pipeline spec, uncertainty, bases
    method_sha256 = models.CharField(max_length=64)
    snapshot = models.JSONField(_("data snapshot"))
    data_sha256 = models.CharField(max_length=64)
    results = models.JSONField(_("results"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects: ClassVar[models.Manager[BenchmarkRun]] = AppendOnly.as_manager()

    class Meta:
        verbose_name = _("benchmark run")
        verbose_name_plural = _("benchmark runs")
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["benchmark", "year", "method_sha256", "data_sha256"],
                name="benchmark_run_unique_inputs",
            ),
        )

    def __str__(self) -> str:
        return f"{self.benchmark.code} {self.year} run {self.created_at:%Y-%m-%d %H:%M}"


class BenchmarkPublication(AppendOnlyModel):
    """The plan office made one run the public benchmark of its year (the latest publication
    of a year is what the portal shows)."""

    run = models.OneToOneField(BenchmarkRun, on_delete=models.PROTECT, related_name="publication")
    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="publications")
    year = models.PositiveSmallIntegerField(_("year"))
    published_at = models.DateTimeField(_("published at"), db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects: ClassVar[models.Manager[BenchmarkPublication]] = AppendOnly.as_manager()

    class Meta:
        verbose_name = _("benchmark publication")
        verbose_name_plural = _("benchmark publications")
        ordering = ("-published_at", "-id")

    def __str__(self) -> str:
        return f"{self.benchmark.code} {self.year} published {self.published_at:%Y-%m-%d}"
