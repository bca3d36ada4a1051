"""Enterprises, keyed by their 统一社会信用代码, with their yearly figures and designations.

`Enterprise` is the registry's core record, the one other apps (vouchers, technology rights,
policy matching) point to. The registry's own details (designations, yearly figures, carriers, the
ladder) are the registry's; other apps read them through `nengji.registry.selectors`.

Yearly figures are *vintages*: a correction never overwrites, it adds the next vintage of the
year (the latest is the year's figure), so what an assessment saw can always be read back.
Amounts are 万元 (Decimal), counts are integers; the services bound both.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nengji.core.models import Organisation


class Enterprise(models.Model):
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        help_text=_("统一社会信用代码 (GB 32100-2015), with its check character."),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    district = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name=_("registered in"),
        help_text=_("The district (an organisation of kind region) where it is registered."),
    )
    organisation = models.OneToOneField(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprise",
        verbose_name=_("organisation"),
        help_text=_("Its organisation on the platform, once its people log in."),
    )
    former_names = models.JSONField(
        _("former names"),
        default=list,
        blank=True,
        help_text=_("Earlier registered names, oldest first (for matching lists by name)."),
    )
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    registered_address = models.CharField(_("registered address"), max_length=300, blank=True)
    operating_address = models.CharField(_("operating address"), max_length=300, blank=True)
    street = models.CharField(
        _("street"),
        max_length=16,
        blank=True,
        db_index=True,
        help_text=_("Code of the 街道 it operates in (the plan package's list of streets)."),
    )
    industry = models.CharField(
        _("industry (GB/T 4754)"),
        max_length=5,
        blank=True,
        db_index=True,
        help_text=_("GB/T 4754-2017 code: section letter and 2–4 digits, e.g. I6513."),
    )
    carrier = models.ForeignKey(
        "Carrier",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
        verbose_name=_("carrier"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ("name_zh",)

    def __str__(self) -> str:
        return f"{self.name_zh} ({self.uscc})"


class YearFigures(models.Model):
    """One vintage of an enterprise's figures for one year (append-only; latest wins)."""

    class Source(models.TextChoices):
        ENTERPRISE = "enterprise", _("reported by the enterprise")
        OFFICE = "office", _("entered by the office")
        IMPORT = "import", _("imported from a file")
        DEMO = "demo", _("demo data")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="figures", verbose_name=_("enterprise")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    vintage = models.PositiveSmallIntegerField(_("vintage"), default=1)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    st_staff = models.PositiveIntegerField(_("S&T staff"), null=True, blank=True)
    revenue = models.DecimalField(
        _("revenue (10k yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    total_assets = models.DecimalField(
        _("total assets (10k yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    total_liabilities = models.DecimalField(
        _("total liabilities (10k yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    rd_domestic = models.DecimalField(
        _("R&D spend in China (10k yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    rd_foreign = models.DecimalField(
        _("R&D spend abroad (10k yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    high_tech_revenue = models.DecimalField(
        _("high-tech product revenue (10k yuan)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    ip_invention_patents = models.PositiveIntegerField(
        _("invention patents (class I)"), null=True, blank=True
    )
    ip_other_class1 = models.PositiveIntegerField(
        _("other class I IP (IC layouts, plant varieties, new drugs)"), null=True, blank=True
    )
    ip_utility_models = models.PositiveIntegerField(
        _("utility models (class II)"), null=True, blank=True
    )
    ip_designs = models.PositiveIntegerField(_("designs (class II)"), null=True, blank=True)
    ip_software = models.PositiveIntegerField(
        _("software copyrights (class II)"), null=True, blank=True
    )
    equity_financing = models.DecimalField(
        _("equity financing in the year (10k yuan)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    valuation = models.DecimalField(
        _("valuation (10k yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("year figures")
        verbose_name_plural = _("year figures")
        ordering = ("enterprise", "year", "vintage")
        constraints = (
            models.UniqueConstraint(
                fields=["enterprise", "year", "vintage"], name="registry_figures_one_vintage"
            ),
        )

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year} v{self.vintage}"


class DesignationKind(models.TextChoices):
    """Recognitions an enterprise holds (`Designation.kind`)."""

    TECH_SME = "tech_sme", _("tech-based SME")
    HIGH_TECH = "high_tech", _("high-tech enterprise")
    INNOVATIVE_SME = "innovative_sme", _("innovative SME")
    SPECIALISED = "specialised", _("specialised SME")
    LITTLE_GIANT = "little_giant", _("little giant")
    DISTRICT_GIANT = "district_giant", _("district little giant")
    GAZELLE = "gazelle", _("gazelle")
    POTENTIAL_UNICORN = "potential_unicorn", _("potential unicorn")
    UNICORN = "unicorn", _("unicorn")
    LISTED = "listed", _("listed")


class Designation(models.Model):
    """A recognition: certificate or list entry, with its validity and state.

    States: ``active`` → ``expired`` (its validity ran out) or ``revoked`` (withdrawn by the
    issuer); both are final. A renewal is a new designation.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("revoked")

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="designations",
        verbose_name=_("enterprise"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DesignationKind.choices)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    number = models.CharField(_("certificate or entry number"), max_length=64, blank=True)
    board = models.CharField(
        _("board"), max_length=32, blank=True, help_text=_("For a listing: the exchange board.")
    )
    granted_on = models.DateField(_("granted on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    evidence = models.CharField(
        _("evidence"),
        max_length=500,
        blank=True,
        help_text=_("Where it is published: a notice's title, number or address."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ("enterprise", "kind", "-granted_on")
        constraints = (
            models.UniqueConstraint(
                fields=["kind", "number"],
                condition=~models.Q(number=""),
                name="registry_designation_unique_number",
            ),
        )
        indexes = (models.Index(fields=["kind", "status"], name="registry_desig_kind_status"),)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()


class Street(models.Model):
    """A 街道 (or 镇) of a district, loaded from the plan package's list; enterprises and
    carriers name theirs by code."""

    district = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    code = models.CharField(_("code"), max_length=16)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ("district", "code")
        constraints = (
            models.UniqueConstraint(fields=["district", "code"], name="registry_street_unique"),
        )

    def __str__(self) -> str:
        return self.name_zh


class Area(models.Model):
    """A part of the plan's spatial layout (plan package data): a zone of “西中东”, a
    functional area, or a group of the “20+4+4+1” structure, with the plan's words for it."""

    class Kind(models.TextChoices):
        ZONE = "zone", _("zone")
        FUNCTIONAL = "functional", _("functional area")
        GROUP = "group", _("structure group")

    district = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=32)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("planned count"), null=True, blank=True)
    quote = models.TextField(_("plan text"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ("district", "kind", "order")
        constraints = (
            models.UniqueConstraint(
                fields=["district", "kind", "code"], name="registry_area_unique"
            ),
        )

    def __str__(self) -> str:
        return self.name_zh


class CarrierKind(models.TextChoices):
    SCIENCE_PARK = "science_park", _("science park")
    UNIVERSITY_PARK = "university_park", _("university science park")
    INCUBATOR = "incubator", _("incubator")
    MAKER_SPACE = "maker_space", _("maker space")
    BLOCK = "block", _("innovation block")
    CORRIDOR = "corridor", _("corridor")
    BELT = "belt", _("innovation belt")


class CarrierLevel(models.TextChoices):
    NATIONAL = "national", _("national")
    MUNICIPAL = "municipal", _("municipal")
    DISTRICT = "district", _("district")


class Carrier(models.Model):
    """A 载体: science park, incubator, 众创空间, 街区, corridor… where enterprises sit."""

    district = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    code = models.CharField(_("code"), max_length=64)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CarrierKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=CarrierLevel.choices, blank=True)
    group = models.CharField(_("structure group"), max_length=32, blank=True)
    zone = models.CharField(_("zone"), max_length=32, blank=True)
    functional_area = models.CharField(_("functional area"), max_length=32, blank=True)
    lon = models.DecimalField(
        _("longitude (GCJ-02)"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    lat = models.DecimalField(
        _("latitude (GCJ-02)"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    coords_approximate = models.BooleanField(_("approximate position"), default=False)
    area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    operator = models.CharField(_("operator"), max_length=200, blank=True)
    organisation = models.OneToOneField(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carrier",
        verbose_name=_("organisation"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        ordering = ("district", "code")
        constraints = (
            models.UniqueConstraint(fields=["district", "code"], name="registry_carrier_unique"),
        )

    def __str__(self) -> str:
        return self.name_zh


class LadderStage(models.Model):
    """A stage of a plan's growth ladder with its entry rule (clauses), loaded from the plan
    package's ``registry/ladder.yaml``."""

    plan = models.ForeignKey(
        "plan.Plan", on_delete=models.CASCADE, related_name="ladder_stages", verbose_name=_("plan")
    )
    code = models.CharField(_("code"), max_length=32)
    level = models.PositiveSmallIntegerField(_("level"))
    order = models.PositiveSmallIntegerField(_("order"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    designations = models.JSONField(_("designation kinds"), default=list)
    rule = models.JSONField(_("entry rule"), default=list)

    class Meta:
        verbose_name = _("ladder stage")
        verbose_name_plural = _("ladder stages")
        ordering = ("plan", "order")
        constraints = (
            models.UniqueConstraint(fields=["plan", "code"], name="registry_stage_unique"),
        )

    def __str__(self) -> str:
        return self.name_zh


class PlanRegistryData(models.Model):
    """A plan's registry data beyond stages, areas and carriers, from its package: the
    district's boundary (GeoJSON, GCJ-02) and the regional partners' bases for the map, and the
    year-end counts of indicators (``registry/indicators.yaml``)."""

    plan = models.OneToOneField(
        "plan.Plan", on_delete=models.CASCADE, related_name="registry_data", verbose_name=_("plan")
    )
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    partners = models.JSONField(_("partners"), default=dict, blank=True)
    counts = models.JSONField(_("indicator counts"), default=list, blank=True)

    class Meta:
        verbose_name = _("registry data of a plan")
        verbose_name_plural = _("registry data of plans")

    def __str__(self) -> str:
        return str(self.plan_id)
