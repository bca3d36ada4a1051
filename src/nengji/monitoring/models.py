"""Monitoring data: who reports what (assignments), targets, rounds, submissions, evidence,
official values as vintages (observations). The audit log is `nengji.core`'s.

Models hold data and integrity rules only; every write goes through `nengji.monitoring.services`.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nengji.core.models import Organisation
from nengji.plan.models import Department, Indicator, Plan, Section

_M = TypeVar("_M", bound=models.Model)


class OwnDistrictManager(models.Manager[_M]):
    """Rows of the plan's own district only (``unit`` empty).

    A plan also collects partner regions' figures for the 长三角 benchmark index (``unit`` = the
    region); every page, report and index of the plan itself reads through this default manager
    and so never sees them. Code that works across units (rounds, approval, publication, the
    benchmark) uses the plain ``every_unit`` manager.
    """

    def get_queryset(self) -> models.QuerySet[_M]:
        return super().get_queryset().filter(unit__isnull=True)


def _unit_field(related_name: str) -> models.ForeignKey[Organisation | None, Organisation | None]:
    return models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=_("benchmark unit"),
        help_text=_(
            "A partner region whose own figure this is (长三角 benchmark index); "
            "empty for the plan's own district."
        ),
    )


class MonitoringSettings(models.Model):
    """What the plan office decides per plan: on-track thresholds and the change rule."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="monitoring_settings")
    ahead_ratio = models.FloatField(_("ahead-of-expectations ratio R ≥"), default=1.2)
    on_track_ratio = models.FloatField(_("on-track ratio R ≥"), default=0.95)
    moderate_ratio = models.FloatField(_("moderate-progress ratio R ≥"), default=0.60)
    no_target_on_track = models.FloatField(_("no target: on-track growth ≥"), default=0.015)
    no_target_moderate = models.FloatField(_("no target: moderate growth ≥"), default=0.005)
    change_threshold = models.FloatField(
        _("change needing an explanation"),
        default=0.5,
        help_text=_("Relative change from the previous value (0.5 = 50 %)."),
    )

    class Meta:
        verbose_name = _("monitoring settings")
        verbose_name_plural = _("monitoring settings")

    def __str__(self) -> str:
        return f"{self.plan.code} monitoring settings"


class Frequency(models.TextChoices):
    ANNUAL = "annual", _("annual")
    QUARTERLY = "quarterly", _("quarterly")


class Assignment(models.Model):
    """An indicator, measure or key project bound to a lead department (目标→任务→部门一体化)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="assignments")
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    lead = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="lead_assignments",
        verbose_name=_("lead department"),
    )
    supporting = models.ManyToManyField(
        Department,
        blank=True,
        related_name="supporting_assignments",
        verbose_name=_("supporting departments"),
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    min_value = models.DecimalField(
        _("lowest allowed value"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("highest allowed value"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    active = models.BooleanField(_("active"), default=True)
    unit = _unit_field("benchmark_assignments")
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = OwnDistrictManager["Assignment"]()
    every_unit: ClassVar[models.Manager[Assignment]] = models.Manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ("id",)
        base_manager_name = "every_unit"
        constraints = (
            models.CheckConstraint(
                condition=(
                    models.Q(indicator__isnull=False, section__isnull=True)
                    | models.Q(indicator__isnull=True, section__isnull=False)
                ),
                name="assignment_exactly_one_item",
            ),
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True) | models.Q(indicator__isnull=False),
                name="assignment_unit_indicator_only",
            ),
            models.UniqueConstraint(
                fields=["plan", "indicator"],
                condition=models.Q(indicator__isnull=False, unit__isnull=True),
                name="assignment_unique_indicator",
            ),
            models.UniqueConstraint(
                fields=["plan", "unit", "indicator"],
                condition=models.Q(indicator__isnull=False, unit__isnull=False),
                name="assignment_unique_unit_indicator",
            ),
            models.UniqueConstraint(
                fields=["plan", "section"],
                condition=models.Q(section__isnull=False),
                name="assignment_unique_section",
            ),
        )

    def __str__(self) -> str:
        return f"{self.item_code} → {self.lead.code}"

    @property
    def is_indicator(self) -> bool:
        return self.indicator_id is not None

    @property
    def item_code(self) -> str:
        item = self.indicator or self.section
        return item.code if item is not None else ""

    def item_name(self) -> str:
        item: Indicator | Section | None = self.indicator if self.indicator_id else self.section
        if item is None:
            return ""
        return item.localized("name" if self.indicator_id else "title")


class Target(models.Model):
    """The office's target for an indicator (the plan gives baselines, not targets)."""

    class Nature(models.TextChoices):
        EXPECTED = "expected", _("expected (预期性)")
        BINDING = "binding", _("binding (约束性)")

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="target")
    target_year = models.PositiveSmallIntegerField(_("target year"))
    target_value = models.DecimalField(_("target value"), max_digits=20, decimal_places=6)
    milestones = models.JSONField(
        _("yearly milestones"), default=dict, blank=True, help_text='{"2023": "12.5", …}'
    )
    nature = models.CharField(
        _("indicator type"), max_length=10, choices=Nature.choices, default=Nature.EXPECTED
    )
    basis = models.TextField(_("basis"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.target_year}: {self.target_value}"


class Round(models.Model):
    """A reporting round: a year, or a quarter of a year, with a deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        PUBLISHED = "published", _("published")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), default=0, help_text=_("1–4, or 0 for an annual round.")
    )
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = (
            "-year",
            "-quarter",
        )
        constraints = (
            models.UniqueConstraint(fields=["plan", "year", "quarter"], name="round_unique_period"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=0, quarter__lte=4), name="round_quarter_0_to_4"
            ),
        )

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.year}" + (f" Q{self.quarter}" if self.quarter else "")

    @property
    def frequency(self) -> str:
        return Frequency.QUARTERLY if self.quarter else Frequency.ANNUAL


class TaskStatus(models.TextChoices):
    """Progress of a measure or key project (未启动 / 按计划推进 / 滞后 / 已完成)."""

    NOT_STARTED = "not_started", _("not started")
    ON_SCHEDULE = "on_schedule", _("on schedule")
    LAGGING = "lagging", _("lagging behind")
    COMPLETED = "completed", _("completed")


class Submission(models.Model):
    """One department's report on one assignment in one round; ``sequence`` > 1 is a revision."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        APPROVED = "approved", _("approved")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="submissions")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="submissions")
    sequence = models.PositiveSmallIntegerField(default=1)
    revision_reason = models.TextField(_("reason for the revision"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # indicator assignments
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6, null=True, blank=True)
    explanation = models.TextField(_("explanation of the change"), blank=True)
    # measure / key-project assignments
    task_status = models.CharField(
        _("progress status"), max_length=12, choices=TaskStatus.choices, blank=True
    )
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), null=True, blank=True
    )
    narrative = models.TextField(_("progress narrative"), blank=True)
    milestones = models.TextField(_("milestones reached"), blank=True)
    note = models.TextField(_("note"), blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = (
            "round",
            "assignment_id",
            "sequence",
        )
        constraints = (
            models.UniqueConstraint(
                fields=["round", "assignment", "sequence"], name="submission_unique_sequence"
            ),
        )
        indexes = (models.Index(fields=["round", "department", "status"]),)

    def __str__(self) -> str:
        return f"{self.round.label} {self.assignment.item_code} #{self.sequence}"

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.submission.round_id}/{instance.submission_id}/{filename}"


class Evidence(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name


class Observation(models.Model):
    """One vintage of an official figure: never overwritten; a revision is a new vintage.

    Sources: an approved submission, or an externally published figure (e.g. the index value in
    a year's official report), recorded the same way.
    """

    class Source(models.TextChoices):
        SUBMISSION = "submission", _("approved submission")
        EXTERNAL = "external", _("external publication")
        DEMO = "demo", _("demo value (演示数据)")

    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="observations"
    )
    series = models.CharField(
        _("series"),
        max_length=64,
        blank=True,
        help_text=_("A figure that is no plan indicator, e.g. 'index:composite'."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=0)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)
    vintage = models.PositiveSmallIntegerField(_("vintage"), default=1)
    source = models.CharField(max_length=12, choices=Source.choices)
    submission = models.OneToOneField(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="observation"
    )
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    reason = models.TextField(_("reason for the revision"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    unit = _unit_field("benchmark_observations")
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = OwnDistrictManager["Observation"]()
    every_unit: ClassVar[models.Manager[Observation]] = models.Manager()

    class Meta:
        verbose_name = _("official value")
        verbose_name_plural = _("official values")
        base_manager_name = "every_unit"
        ordering = (
            "indicator_id",
            "series",
            "year",
            "quarter",
            "vintage",
        )
        constraints = (
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True) | models.Q(indicator__isnull=False),
                name="observation_unit_indicator_only",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter", "vintage"],
                condition=models.Q(indicator__isnull=False, unit__isnull=True),
                name="observation_unique_indicator_vintage",
            ),
            models.UniqueConstraint(
                fields=["unit", "indicator", "year", "quarter", "vintage"],
                condition=models.Q(indicator__isnull=False, unit__isnull=False),
                name="observation_unique_unit_indicator_vintage",
            ),
            models.UniqueConstraint(
                fields=["series", "year", "quarter", "vintage"],
                condition=models.Q(indicator__isnull=True),
                name="observation_unique_series_vintage",
            ),
        )

    def __str__(self) -> str:
        code = self.indicator.code if self.indicator is not None else self.series
        return f"{code} {self.year} v{self.vintage}: {self.value}"


class ProposedValue(models.Model):
    """A figure another app counted from its own records (e.g. high-tech enterprises from the
    registry, vouchers redeemed, technology-contract turnover), proposed for an indicator and a
    year. The plan office accepts it into that year's report (then it is approved and published
    like any department's value) or rejects it; a department's figure is never overwritten
    without the office saying why.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the plan office")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        SUPERSEDED = "superseded", _("superseded by a newer count")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="proposed_values")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="proposed_values"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=0)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)
    source = models.CharField(
        _("counted by"), max_length=20, help_text=_("The app whose records were counted.")
    )
    method = models.TextField(_("what was counted"), help_text=_("The count, in words."))
    as_of = models.DateField(_("as of"))
    snapshot_sha256 = models.CharField(_("snapshot SHA-256"), max_length=64)
    provenance = models.JSONField(_("provenance"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(_("reason"), blank=True)
    submission = models.ForeignKey(
        Submission,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        help_text=_("The report the value became."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("proposed value")
        verbose_name_plural = _("proposed values")
        ordering = ("-proposed_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter", "source"],
                condition=models.Q(status="pending"),
                name="proposed_value_one_pending_per_source",
            ),
        )

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value} ({self.source})"
