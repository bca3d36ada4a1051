"""Achievements, the rights register, transactions, technology contracts and certificates.

Registers are append-only: an achievement, a rights entry, a transaction, a lifecycle event, a
certificate and a revocation are written once and never changed or deleted (model, queryset and
admin refuse). What changes over time (who holds what) is derived from the entries by
`nengji.techrights.selectors.rights_state`. A technology contract is a workflow record whose
status moves by its state machine; each move is an appended `ContractEvent`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from nengji.core.models import Organisation


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise ValidationError("this register is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError("this register is append-only")


class AppendOnly(models.Model):
    """A row written once: saving an existing row or deleting one is refused."""

    objects: ClassVar[models.Manager[Any]] = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError("this register is append-only: rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError("this register is append-only: rows cannot be deleted")


class AchievementKind(models.TextChoices):
    """Achievement types of 沪科规〔2025〕2号."""

    PATENT = "patent", _("patent")
    SOFTWARE = "software", _("software copyright")
    IC_LAYOUT = "ic_layout", _("integrated-circuit layout design")
    PLANT_VARIETY = "plant_variety", _("new plant variety")
    BIOMED = "biomed", _("new biomedical variety")
    TRADE_SECRET = "trade_secret", _("technical secret")


class Stage(models.TextChoices):
    """The lifecycle of an achievement, in order."""

    DISCLOSURE = "disclosure", _("disclosure")
    PROTECTION = "protection", _("protection")
    EVALUATION = "evaluation", _("evaluation and pricing")
    LISTING = "listing", _("listing")
    TRANSACTION = "transaction", _("transaction")
    IMPLEMENTATION = "implementation", _("implementation")
    DISTRIBUTION = "distribution", _("income distribution")
    FOLLOW_UP = "follow_up", _("follow-up")


class Achievement(AppendOnly):
    """A technology achievement (科技成果) as registered by the organisation that manages it."""

    institution = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="achievements",
        verbose_name=_("institution"),
        help_text=_("The university, institute or enterprise that registered it."),
    )
    kind = models.CharField(_("type"), max_length=16, choices=AchievementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    identifier = models.CharField(
        _("identifier"),
        max_length=64,
        blank=True,
        help_text=_("Patent number, copyright registration number…; empty for a trade secret."),
    )
    is_service_invention = models.BooleanField(_("service invention (职务科技成果)"))
    inventors = models.JSONField(_("inventors"), default=list)
    registered_on = models.DateField(_("registered on"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ("-registered_on", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["kind", "identifier"],
                condition=~models.Q(identifier=""),
                name="techrights_achievement_unique_identifier",
            ),
        )

    def __str__(self) -> str:
        return self.title


class AchievementEvent(AppendOnly):
    """One step of an achievement's lifecycle, appended in date order."""

    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="events")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    transaction = models.ForeignKey(
        "Transaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ("on", "id")
        verbose_name = _("lifecycle event")
        verbose_name_plural = _("lifecycle events")

    def __str__(self) -> str:
        return f"{self.on} {self.get_stage_display()}"


class Mode(models.TextChoices):
    """Transaction modes of 沪科规〔2025〕2号."""

    TRANSFER = "transfer", _("technology transfer")
    LICENCE = "licence", _("technology licence")
    INVESTMENT = "investment", _("investment at a valuation")
    DEVELOPMENT = "development", _("technology development")
    SERVICE = "service", _("technical service")
    CONSULTING = "consulting", _("technical consulting")


class Method(models.TextChoices):
    """How the price was found."""

    AGREEMENT = "agreement", _("by agreement")
    AUCTION = "auction", _("auction")
    TENDER = "tender", _("tender")
    BIDDING = "bidding", _("competitive bidding")


class Transaction(AppendOnly):
    """A completed transaction, registered once under its exchange reference.

    ``fingerprint`` is the SHA-256 of the canonical request: registering the same reference
    with the same content again returns this row; with other content it is refused.
    """

    reference = models.CharField(_("reference"), max_length=64, unique=True)
    fingerprint = models.CharField(max_length=64)
    achievement = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="transactions"
    )
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    method = models.CharField(_("pricing"), max_length=12, choices=Method.choices)
    seller = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("seller")
    )
    buyer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("buyer")
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2)
    concluded_on = models.DateField(_("concluded on"))
    registrar = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
        help_text=_("The exchange (empty: the plan office)."),
    )
    procedure = models.JSONField(
        _("listed procedure"),
        default=dict,
        blank=True,
        help_text=_("The exchange's listed procedure followed (进场免责), empty if none."),
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ("-concluded_on", "-id")
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")

    def __str__(self) -> str:
        return self.reference


class EntryKind(models.TextChoices):
    OWNERSHIP = "ownership", _("ownership (initial)")
    TRANSFER = "transfer", _("ownership transfer")
    LICENCE = "licence", _("licence")
    PLEDGE = "pledge", _("pledge")
    INVESTMENT = "investment", _("investment at a valuation")
    END = "end", _("early end of a licence or pledge")


class RightEntry(AppendOnly):
    """One change in the rights register (技术权益登记).

    Entries of one achievement are numbered 1, 2, 3… (``seq``, unique: two writers racing for
    the same achievement cannot both append the same number) and their effective dates never
    go backwards, so the state as of any date is the fold of the entries up to it.
    """

    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="entries")
    seq = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    effective_on = models.DateField(_("effective on"))
    holder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="rights",
        verbose_name=_("holder"),
        help_text=_("Who gains the right: owner, transferee, licensee, pledgee, company."),
    )
    from_holder = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from"),
    )
    share = models.DecimalField(
        _("share (%)"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    exclusive = models.BooleanField(_("exclusive"), null=True, blank=True)
    field_of_use = models.CharField(_("field of use"), max_length=200, blank=True)
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    equity = models.DecimalField(
        _("equity (%)"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    ends_entry = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transaction = models.ForeignKey(
        Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ("achievement", "seq")
        verbose_name = _("rights entry")
        verbose_name_plural = _("rights register")
        constraints = (
            models.UniqueConstraint(
                fields=["achievement", "seq"], name="techrights_entry_unique_seq"
            ),
        )
        indexes = (models.Index(fields=["holder", "effective_on"]),)

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_kind_display()} {self.effective_on}"


class ContractCategory(models.TextChoices):
    """Technology contracts, 民法典 ch. 20."""

    DEV_COMMISSIONED = "dev_commissioned", _("development (commissioned)")
    DEV_COOPERATIVE = "dev_cooperative", _("development (cooperative)")
    TRANSFER = "transfer", _("transfer")
    LICENCE = "licence", _("licence")
    CONSULTING = "consulting", _("consulting")
    SERVICE = "service", _("service")


class ContractStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    EXPERT_REVIEW = "expert_review", _("in expert review")
    REGISTERED = "registered", _("registered")
    REFUSED = "refused", _("refused")
    CHANGED = "changed", _("replaced by a change registration")
    CANCELLED = "cancelled", _("cancelled")


class TechContract(models.Model):
    """A technology contract submitted for 技术合同认定登记 by the seller, where it is located.

    The status moves only by `nengji.techrights.services.contracts` (its transitions are the
    `TRANSITIONS` table there); every move appends a `ContractEvent`.
    """

    number = models.CharField(_("registration number"), max_length=32, unique=True)
    registrar = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrar"),
    )
    seller = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("seller")
    )
    buyer_name = models.CharField(_("buyer"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=ContractCategory.choices)
    title = models.CharField(_("title"), max_length=300)
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("performance from"))
    ends_on = models.DateField(_("performance until"))
    contract_amount = models.DecimalField(
        _("contract turnover (成交额, yuan)"), max_digits=16, decimal_places=2
    )
    tech_amount = models.DecimalField(
        _("technology turnover (技术交易额, yuan)"), max_digits=16, decimal_places=2
    )
    text = models.TextField(_("contract text"))
    text_sha256 = models.CharField(max_length=64)
    submitted_on = models.DateField(_("submitted on"))
    due_on = models.DateField(_("decision due"))
    expert_review = models.BooleanField(_("expert review"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ContractStatus.choices, default=ContractStatus.SUBMITTED
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    achievement = models.ForeignKey(
        Achievement, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    version = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ("-submitted_on", "-id")
        verbose_name = _("technology contract")
        verbose_name_plural = _("technology contracts")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError("registrations are kept: cancel a contract instead of deleting it")


class ContractEvent(AppendOnly):
    contract = models.ForeignKey(TechContract, on_delete=models.PROTECT, related_name="events")
    status = models.CharField(max_length=16, choices=ContractStatus.choices)
    on = models.DateField()
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.on} {self.get_status_display()}"


class CertificateKind(models.TextChoices):
    ACHIEVEMENT = "achievement", _("achievement registration")
    RIGHT = "right", _("rights registration")
    TRANSACTION = "transaction", _("transaction")
    CONTRACT = "contract", _("technology contract registration")


class Certificate(AppendOnly):
    """A signed certificate (一证通用). ``payload`` is the canonical JSON exactly as signed."""

    cert_id = models.CharField(_("certificate ID"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=CertificateKind.choices)
    payload = models.TextField()
    signature = models.CharField(max_length=100)
    key_id = models.CharField(max_length=32)
    issued_at = models.DateTimeField(_("issued at"))
    achievement = models.ForeignKey(
        Achievement, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    transaction = models.ForeignKey(
        Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    entry = models.ForeignKey(
        RightEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    contract = models.ForeignKey(
        TechContract, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    parties = models.ManyToManyField(Organisation, related_name="certificates", blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ("-issued_at", "-id")
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.cert_id


class Revocation(AppendOnly):
    """A certificate withdrawn (revoked) or replaced by another (superseded); at most one each."""

    certificate = models.OneToOneField(
        Certificate, on_delete=models.PROTECT, related_name="revocation"
    )
    reason = models.CharField(_("reason"), max_length=300)
    superseded_by = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("revoked at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.certificate_id} revoked {self.at:%Y-%m-%d}"
