"""The policy catalogue, applications and payments, and the financing instruments.

Money is ``DecimalField(max_digits=16, decimal_places=2)`` in yuan, never float. Ledgers are
append-only (the model and its queryset refuse changes). State machines are explicit tables in
`nengji.policy.states`; no business logic lives in ``save()``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from nengji.core.models import Organisation
from nengji.plan.models import Plan
from nengji.registry.models import Enterprise


def money(verbose: Any, **kw: Any) -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(verbose, max_digits=16, decimal_places=2, **kw)


class Tier(models.TextChoices):
    CATALOGUE = "catalogue", _("industry guidance catalogue (the 1)")
    MAIN = "main", _("main policy (the 6)")
    SUPPORTING = "supporting", _("supporting policy (the 4)")


class PolicyGroup(models.Model):
    """A group of the “1+6+4” system (tier: the 1, one of the 6 or one of the 4)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="policy_groups")
    code = models.CharField(_("code"), max_length=32)
    tier = models.CharField(_("tier"), max_length=12, choices=Tier.choices)
    order = models.PositiveSmallIntegerField(default=0)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    source_quote = models.TextField(
        _("source sentence"), blank=True, help_text=_("The plan's sentence naming the system.")
    )
    source_start = models.PositiveIntegerField(null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ("plan", "order")
        constraints = (
            models.UniqueConstraint(fields=["plan", "code"], name="policy_group_unique_code"),
        )

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"


class PolicyDocument(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        CITY = "city", _("city")
        DISTRICT = "district", _("district")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("in force")
        EXPIRED = "expired", _("expired")
        DRAFT = "draft", _("draft")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="policy_documents")
    group = models.ForeignKey(
        PolicyGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    code = models.CharField(_("code"), max_length=40)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=400, blank=True)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    issuer_zh = models.CharField(_("issuer"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    url = models.URLField(_("address"), max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ("plan", "level", "code")
        constraints = (
            models.UniqueConstraint(fields=["plan", "code"], name="policy_document_unique_code"),
        )

    def __str__(self) -> str:
        return self.title_zh


class ItemKind(models.TextChoices):
    SUBSIDY = "subsidy", _("subsidy")
    REWARD = "reward", _("reward")
    INTEREST_SUBSIDY = "interest_subsidy", _("interest subsidy")
    RENT_RELIEF = "rent_relief", _("rent relief")
    TAX_BENEFIT = "tax_benefit", _("tax benefit")
    OTHER = "other", _("other")


class PolicyItem(models.Model):
    """What an enterprise can get under a document, with its eligibility clauses as data.

    ``clauses`` and ``amount`` hold the catalogue's data as read (`nengji.policy.catalogue`);
    they are compiled again when matched, so what is stored is what is explained."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="policy_items")
    document = models.ForeignKey(PolicyDocument, on_delete=models.PROTECT, related_name="items")
    group = models.ForeignKey(PolicyGroup, on_delete=models.PROTECT, related_name="items")
    code = models.CharField(_("code"), max_length=40)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=400, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    article = models.CharField(_("article"), max_length=60, blank=True)
    max_amount = money(_("stated maximum (yuan)"), null=True, blank=True)
    amount_rule = models.JSONField(_("amount rule"))
    clauses = models.JSONField(_("eligibility clauses"))
    opens = models.DateField(_("window opens"), null=True, blank=True)
    closes = models.DateField(_("window closes"), null=True, blank=True)
    period = models.CharField(_("period"), max_length=20, blank=True)
    auto_grant = models.BooleanField(
        _("granted without application"),
        default=False,
        help_text=_("免申即享: decided from the registry alone; the office approves the list."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ("plan", "group__order", "code")
        constraints = (
            models.UniqueConstraint(fields=["plan", "code"], name="policy_item_unique_code"),
        )

    def __str__(self) -> str:
        return f"{self.code} {self.title_zh}"


class Application(models.Model):
    """An enterprise's application for an item in a period, through review to payment."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for changes")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        PAID = "paid", _("paid")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Origin(models.TextChoices):
        APPLIED = "applied", _("applied for")
        AUTO = "auto", _("granted without application")

    item = models.ForeignKey(PolicyItem, on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="policy_applications"
    )
    period = models.CharField(_("period"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    origin = models.CharField(_("origin"), max_length=8, choices=Origin.choices)
    note = models.TextField(_("note"), blank=True)
    requested = money(_("amount requested (yuan)"), null=True, blank=True)
    awarded = money(_("amount awarded (yuan)"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    verdict = models.JSONField(
        _("eligibility when submitted"),
        default=dict,
        help_text=_("The clause results when the application was submitted or granted."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = (
            # one live application per enterprise, item and period (a rejected or withdrawn
            # one may be followed by a new one)
            models.UniqueConstraint(
                fields=["item", "enterprise", "period"],
                condition=~models.Q(status__in=["rejected", "withdrawn"]),
                name="policy_application_one_live",
            ),
        )

    def __str__(self) -> str:
        return f"{self.enterprise.name_zh} · {self.item.code} · {self.period}"


class ApplicationEvidence(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="policy/evidence/%Y/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.original_name


class Payment(models.Model):
    """A payment of an award. The same enterprise is never paid twice for the same item and
    period: the database refuses it (`policy_payment_once`), whatever the application path."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="payment"
    )
    item = models.ForeignKey(PolicyItem, on_delete=models.PROTECT, related_name="payments")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=20)
    amount = money(_("amount (yuan)"))
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("payment reference"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["item", "enterprise", "period"], name="policy_payment_once"
            ),
        )

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"


class Notice(models.Model):
    """The push list: an enterprise told of an item it qualifies for (or is one clause from),
    or of an award granted without application."""

    class Reason(models.TextChoices):
        ELIGIBLE = "eligible", _("eligible")
        NEAR = "near", _("one clause away")
        GRANTED = "granted", _("granted without application")

    item = models.ForeignKey(PolicyItem, on_delete=models.CASCADE, related_name="notices")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    trigger = models.CharField(_("trigger"), max_length=40)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["item", "enterprise", "reason"], name="policy_notice_once"
            ),
        )

    def __str__(self) -> str:
        return f"{self.item_id} → {self.enterprise_id} ({self.reason})"


# ---------------------------------------------------------------------------------------
# financing instruments


class AppendOnly(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise ValidationError("the ledger is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError("the ledger is append-only")


class RiskPool(models.Model):
    """A loan risk-compensation pool (风险补偿资金池) and its programme parameters."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="risk_pools")
    code = models.CharField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    ratio = models.DecimalField(_("compensation ratio"), max_digits=5, decimal_places=4)
    first_loan_bonus = models.DecimalField(
        _("bonus ratio for a first loan"), max_digits=5, decimal_places=4, default=0
    )
    cap_per_enterprise = money(_("cap per enterprise (yuan)"))
    cap_per_bank = money(_("cap per bank (yuan)"))
    max_loan = money(_("largest loan (yuan)"))
    max_term_months = models.PositiveSmallIntegerField(_("longest term (months)"))
    source = models.TextField(_("source"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["plan", "code"], name="policy_pool_unique_code"),
        )

    def __str__(self) -> str:
        return self.name_zh


class PoolBank(models.Model):
    """A bank admitted into a pool, with the loan products it registers under it."""

    pool = models.ForeignKey(RiskPool, on_delete=models.CASCADE, related_name="banks")
    bank = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    products = models.JSONField(_("loan products"), default=list)
    admitted_on = models.DateField(_("admitted on"))
    active = models.BooleanField(default=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["pool", "bank"], name="policy_pool_bank_once"),
        )

    def __str__(self) -> str:
        return f"{self.bank_id} in {self.pool_id}"


class Loan(models.Model):
    class Guarantee(models.TextChoices):
        CREDIT = "credit", _("credit (unsecured)")
        IP_PLEDGE = "ip_pledge", _("IP pledge")
        COLLATERAL = "collateral", _("collateral")
        GUARANTOR = "guarantor", _("guarantor")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        REPAID = "repaid", _("repaid")
        DEFAULTED = "defaulted", _("defaulted")

    pool = models.ForeignKey(RiskPool, on_delete=models.PROTECT, related_name="loans")
    bank = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    product = models.CharField(_("loan product"), max_length=100)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    contract_no = models.CharField(_("contract number"), max_length=64)
    amount = money(_("amount (yuan)"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    rate = models.DecimalField(_("annual rate (%)"), max_digits=6, decimal_places=3)
    guarantee = models.CharField(_("guarantee"), max_length=12, choices=Guarantee.choices)
    first_loan = models.BooleanField(_("first loan"), default=False)
    start_on = models.DateField(_("starts on"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField()
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["bank", "contract_no"], name="policy_loan_contract_once"
            ),
        )

    def __str__(self) -> str:
        return f"{self.contract_no} {self.amount}"


class Claim(models.Model):
    """A bank's compensation claim on a defaulted loan; each loan is compensated at most once."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        PAID = "paid", _("paid")

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="claims")
    loss = money(_("principal lost (yuan)"))
    ratio = models.DecimalField(_("ratio applied"), max_digits=5, decimal_places=4)
    amount = money(_("compensation (yuan)"))
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ("-submitted_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["loan"], condition=~models.Q(status="rejected"), name="policy_claim_once"
            ),
        )

    def __str__(self) -> str:
        return f"claim {self.pk} on loan {self.loan_id}: {self.amount}"


class LedgerEntry(models.Model):
    """One movement of a pool's money. Append-only: the balance is the sum of the entries."""

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("contribution")
        COMPENSATION = "compensation", _("compensation paid")
        RECOVERY = "recovery", _("recovery")

    pool = models.ForeignKey(RiskPool, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount = money(_("amount (yuan, signed)"))
    claim = models.OneToOneField(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entry"
    )
    reference = models.CharField(max_length=100)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects: ClassVar[models.Manager[LedgerEntry]] = AppendOnly.as_manager()

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError("the ledger is append-only: entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError("the ledger is append-only: entries cannot be deleted")


class Programme(models.Model):
    """A policy finance product (科技履约贷, 科创保, 批次贷 …) with its parameters and
    participating institutions; usage is recorded per enterprise."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="finance_programmes")
    code = models.CharField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict)
    institutions = models.JSONField(_("participating institutions"), default=list)
    source_quote = models.TextField(_("source sentence"), blank=True)
    source_start = models.PositiveIntegerField(null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["plan", "code"], name="policy_programme_unique_code"),
        )

    def __str__(self) -> str:
        return self.name_zh


class ProgrammeUse(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="uses")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    institution = models.CharField(_("institution"), max_length=200)
    amount = money(_("amount (yuan)"))
    used_on = models.DateField(_("used on"))
    reference = models.CharField(_("reference"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["programme", "reference"], name="policy_use_once"),
        )

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"
