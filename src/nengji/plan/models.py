"""The plan as data: the document, its structure, its indicators and the department catalogue.

Every element keeps the exact span of the plan text it comes from (character offsets into
`Plan.source_text` plus the quoted text), so any figure or task can be traced to its sentence.
Rows are written only by the plan-package loader (`nengji.plan.loader`), except key projects
(`Section.Kind.PROJECT`, `origin="office"`), which the plan office creates through
`nengji.plan.services.key_project_save` and which have no source span.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nengji.core.models import Organisation


class Bilingual:
    """Pick the zh or en variant of a field by the active language, falling back to Chinese."""

    def localized(self, field: str) -> str:
        lang = (get_language() or "zh-hans").lower()
        if lang.startswith("en"):
            value = getattr(self, f"{field}_en", "")
            if value:
                return value
        return getattr(self, f"{field}_zh", "")


class Plan(Bilingual, models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    district = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("district"),
        help_text=_("The district (an organisation of kind region) whose plan this is."),
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    issuer_zh = models.CharField(_("issuer (Chinese)"), max_length=200)
    issuer_en = models.CharField(_("issuer (English)"), max_length=300, blank=True)
    doc_number = models.CharField(_("document number"), max_length=100)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_at_zh = models.CharField(_("adopted at"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    period_start = models.PositiveSmallIntegerField(_("period start"))
    period_end = models.PositiveSmallIntegerField(_("period end"))
    vision_year = models.PositiveSmallIntegerField(_("vision year"), null=True, blank=True)
    source_text = models.TextField(_("full text"))
    source_sha256 = models.CharField(max_length=64)
    package_sha256 = models.CharField(
        max_length=64,
        help_text="Hash of the package files; a reload of the same package is a no-op.",
    )
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.title_zh


class Section(Bilingual, models.Model):
    """One element of the plan's structure: chapter, area, task, measure, principle, term…"""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("notice")
        PREAMBLE = "preamble", _("preamble")
        CHAPTER = "chapter", _("chapter")
        PART = "part", _("part")
        PARAGRAPH = "paragraph", _("paragraph")
        PROBLEM = "problem", _("problem")
        GUIDING_THOUGHT = "guiding_thought", _("guiding thought")
        PRINCIPLE = "principle", _("principle")
        GOAL = "goal", _("goal")
        AREA = "area", _("area")
        TASK = "task", _("task")
        MEASURE = "measure", _("measure")
        SAFEGUARD = "safeguard", _("safeguard")
        ANNEX = "annex", _("annex")
        TERM = "term", _("term")
        PROJECT = "project", _("key project")
        GUIDELINE = "guideline", _("guideline")
        GOAL_ITEM = "goal_item", _("goal item")

    class Origin(models.TextChoices):
        PACKAGE = "package", _("plan package")
        OFFICE = "office", _("plan office")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(_("code"), max_length=32)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    number = models.CharField(_("number"), max_length=16, blank=True)
    lead = models.CharField(max_length=10, blank=True, help_text="bold | clause")
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=400, blank=True)
    title_start = models.PositiveIntegerField(null=True, blank=True)
    title_end = models.PositiveIntegerField(null=True, blank=True)
    title_quote = models.TextField(blank=True)
    text_start = models.PositiveIntegerField(null=True, blank=True)
    text_end = models.PositiveIntegerField(null=True, blank=True)
    text_quote = models.TextField(blank=True)
    origin = models.CharField(
        _("origin"),
        max_length=10,
        choices=Origin.choices,
        default=Origin.PACKAGE,
        help_text="office = created by the plan office (key projects); never touched by reloads.",
    )
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    is_demo = models.BooleanField(default=False)
    retired = models.BooleanField(
        _("retired"),
        default=False,
        help_text=_(
            "No longer in the plan package but kept because reports refer to it "
            "(plan load --retire); new rounds leave it out."
        ),
    )

    class Meta:
        verbose_name = _("plan element")
        verbose_name_plural = _("plan elements")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="section_unique_code_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_zh}"


class ProgressMethod(models.TextChoices):
    """How progress towards a target is judged, by what the indicator measures."""

    CAGR = "cagr", _("compound annual growth (levels and counts)")
    LINEAR = "linear", _("change per year (rates, shares and ratios)")
    NONE = "none", _("not judged by a trend (one-off events, counts of years)")


class Indicator(Bilingual, models.Model):
    """A quantitative fact the plan states, with the baseline it gives and its source sentence."""

    class Qualifier(models.TextChoices):
        EXACT = "exact", _("exact")
        LOWER_BOUND = "lower_bound", _("at least (余/多/超过)")
        APPROX = "approx", _("about (约)")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=64)
    order = models.PositiveIntegerField(default=0)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    unit_zh = models.CharField(_("unit (Chinese)"), max_length=40, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=60, blank=True)
    direction = models.SmallIntegerField(_("direction"), default=1)
    kind = models.CharField(_("kind"), max_length=20, blank=True)
    progress_method = models.CharField(
        _("progress method"),
        max_length=8,
        choices=ProgressMethod.choices,
        default=ProgressMethod.CAGR,
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    share_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="shares"
    )
    note_zh = models.CharField(max_length=200, blank=True)
    note_en = models.CharField(max_length=300, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_as_of = models.DateField(null=True, blank=True)
    baseline_period_start = models.PositiveSmallIntegerField(null=True, blank=True)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    baseline_value_text = models.CharField(max_length=40, blank=True)
    baseline_qualifier = models.CharField(
        max_length=12, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    baseline_basis_zh = models.CharField(max_length=300, blank=True)
    baseline_start = models.PositiveIntegerField(null=True, blank=True)
    baseline_end = models.PositiveIntegerField(null=True, blank=True)
    baseline_quote = models.TextField(blank=True)
    stated_target_year = models.PositiveSmallIntegerField(null=True, blank=True)
    stated_target_min = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    stated_target_max = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    stated_target_start = models.PositiveIntegerField(null=True, blank=True)
    stated_target_end = models.PositiveIntegerField(null=True, blank=True)
    stated_target_quote = models.TextField(blank=True)
    retired = models.BooleanField(
        _("retired"),
        default=False,
        help_text=_(
            "No longer in the plan package but kept because reports refer to it "
            "(plan load --retire); new rounds leave it out."
        ),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_unique_code_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"


#: `Department.kind` of a partner region's reporting body (长三角 benchmark index): it reports its
#: region's figures through the plan's rounds, but is no department of the plan's district, so
#: department lists and the assignment form leave it out.
PARTNER_BASE = "partner_base"


class Department(Bilingual, models.Model):
    """A body that reports to the plan office: a district bureau (委办局) or a functional zone,
    or a partner region's reporting body (kind `PARTNER_BASE`, in that region's district).

    Departments belong to a district, not to one plan: a district's next plan keeps its bodies.
    Each is an organisation (`core.Organisation`, kind ``department``) its reporters belong to.
    """

    district = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name=_("district"),
    )
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="department",
        verbose_name=_("organisation"),
    )
    code = models.CharField(_("code"), max_length=32)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, blank=True)
    is_template = models.BooleanField(
        _("from the template list"),
        default=True,
        help_text=_("Shipped as an editable template; the plan itself names no departments."),
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "code"], name="department_unique_code_per_district"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    @property
    def kind_label(self) -> str:
        """The kind in the reader's language (the package stores a code: district_body…)."""
        labels = {
            "district_body": _("district government body"),
            "functional_zone": _("functional zone"),
            "other": _("other"),
        }
        return str(labels.get(self.kind, self.kind))


class IndexDefinition(models.Model):
    """The composite index a plan package defines: its framework and pipeline, as loaded.

    Read from the package's ``index/`` files at load time (and checked by ``plan validate``),
    so an index run never reads the source tree.
    """

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="index_definition")
    root = models.CharField(_("index code"), max_length=64)
    unit = models.CharField(
        _("unit code"), max_length=64, help_text=_("The code of the district in the index panel.")
    )
    framework = models.JSONField(_("framework"))
    spec = models.JSONField(_("pipeline spec"))
    official_indicator = models.ForeignKey(
        Indicator,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The plan indicator that records officially published values of the index."),
    )

    class Meta:
        verbose_name = _("index definition")
        verbose_name_plural = _("index definitions")

    def __str__(self) -> str:
        return f"{self.plan.code} {self.root}"
