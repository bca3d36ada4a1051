"""Innovation vouchers across the alliance's regions (长三角双创券通用通兑).

Money is integer 分 (``*_fen``), never a float. Every state is an explicit machine
(django-fsm-2 ``FSMField`` with ``protected=True``: a state changes only through a declared
transition, called by a service after it has locked the row). A quota's balance is never stored:
it is the sum of its append-only `LedgerEntry` rows; what regions owe each other is the sum of
append-only `ClearingEntry` rows of a period.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from nengji.core.models import Organisation
from nengji.registry.models import Enterprise


class Category(models.TextChoices):
    """Service categories a programme covers and an institution is admitted for."""

    TESTING = "testing", _("inspection and testing")
    RD = "rd", _("research and development")
    DESIGN = "design", _("industrial design")
    IP = "ip", _("intellectual property services")
    TRANSFER = "transfer", _("technology transfer")
    CONSULTING = "consulting", _("technology consulting")
    COMPUTING = "computing", _("computing and data")


class ApplicantKind(models.TextChoices):
    SME = "sme", _("technology-based SME")  # 科技型中小企业
    TEAM = "team", _("start-up team in an incubator")  # 孵化器内创业团队


class Mode(models.TextChoices):
    """Who is paid the voucher part: the two cross-region modes."""

    TONGYONG = "tongyong", _("通用: enterprise pays in full, then is reimbursed")
    TONGDUI = (
        "tongdui",
        _("通兑: enterprise pays its share, the institution is paid the voucher part"),
    )


class Programme(models.Model):
    """A region's voucher programme for one year: its budget, caps and rules, as data."""

    region = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="voucher_programmes",
        verbose_name=_("region"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    budget_fen = models.BigIntegerField(_("budget (分)"))
    enterprise_cap_fen = models.BigIntegerField(_("cap per enterprise and year (分)"))
    team_cap_fen = models.BigIntegerField(_("cap per team and year (分)"))
    coverage = models.DecimalField(
        _("coverage ratio"),
        max_digits=4,
        decimal_places=3,
        help_text=_("The largest share of a contract a voucher may pay, e.g. 0.500."),
    )
    categories = models.JSONField(_("eligible service categories"), default=list)
    applicant_kinds = models.JSONField(_("eligible applicants"), default=list)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("voucher programme")
        verbose_name_plural = _("voucher programmes")
        ordering = ("region__code", "-year")
        constraints = (
            models.UniqueConstraint(
                fields=["region", "year"], name="programme_one_per_region_year"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    budget_fen__gte=0, enterprise_cap_fen__gte=0, team_cap_fen__gte=0
                ),
                name="programme_amounts_not_negative",
            ),
        )

    def __str__(self) -> str:
        return self.name

    def cap_for(self, kind: str) -> int:
        return self.team_cap_fen if kind == ApplicantKind.TEAM else self.enterprise_cap_fen


class Partner(models.Model):
    """A partner region whose admitted institutions this programme's vouchers may pay, and the
    share of the voucher part the partner (the service region) bears when that happens."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partners")
    region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    service_share = models.DecimalField(
        _("share borne by the service region"), max_digits=4, decimal_places=3, default=0
    )

    class Meta:
        verbose_name = _("partner region")
        verbose_name_plural = _("partner regions")
        constraints = (
            models.UniqueConstraint(fields=["programme", "region"], name="partner_once"),
        )

    def __str__(self) -> str:
        return f"{self.programme} → {self.region}"


class Institution(models.Model):
    """A service institution: applies to its home region, is publicly noticed, then admitted
    (recognised by every partner region of the alliance), and may be suspended or cancelled."""

    class State(models.TextChoices):
        APPLIED = "applied", _("applied")
        NOTICE = "notice", _("in public notice")
        ADMITTED = "admitted", _("admitted")
        REJECTED = "rejected", _("rejected")
        SUSPENDED = "suspended", _("suspended")
        CANCELLED = "cancelled", _("cancelled")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="voucher_institution"
    )
    region = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="voucher_institutions",
        verbose_name=_("home region"),
    )
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_rep = models.CharField(_("legal representative"), max_length=50)
    address = models.CharField(_("address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30)
    categories = models.JSONField(_("admitted service categories"), default=list)
    self_evaluation = models.TextField(_("self-evaluation"), max_length=4000)
    documents = models.TextField(_("documents"), blank=True, max_length=2000)
    credit_ok = models.BooleanField(_("credit check passed"), null=True)
    credit_note = models.CharField(_("credit check"), max_length=300, blank=True)
    notice_until = models.DateField(_("public notice until"), null=True, blank=True)
    state = FSMField(_("state"), default=State.APPLIED, choices=State.choices, protected=True)
    state_reason = models.CharField(_("reason"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("service institution")
        verbose_name_plural = _("service institutions")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    @transition(field=state, source=State.APPLIED, target=State.NOTICE)
    def start_notice(self) -> None:
        pass

    @transition(field=state, source=State.NOTICE, target=State.ADMITTED)
    def admit(self) -> None:
        pass

    @transition(field=state, source=[State.APPLIED, State.NOTICE], target=State.REJECTED)
    def reject(self) -> None:
        pass

    @transition(field=state, source=State.ADMITTED, target=State.SUSPENDED)
    def suspend(self) -> None:
        pass

    @transition(field=state, source=State.SUSPENDED, target=State.ADMITTED)
    def reinstate(self) -> None:
        pass

    @transition(field=state, source=[State.ADMITTED, State.SUSPENDED], target=State.CANCELLED)
    def cancel(self) -> None:
        pass


class Objection(models.Model):
    """An objection received during an institution's public notice, recorded for the review."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="objections"
    )
    text = models.TextField(_("objection"), max_length=2000)
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ("at",)

    def __str__(self) -> str:
        return self.text[:60]


class Product(models.Model):
    """A service an admitted institution offers, with its list price."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="products")
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    name = models.CharField(_("name"), max_length=200)
    price_fen = models.BigIntegerField(_("price (分)"))
    active = models.BooleanField(_("offered"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ("institution", "name")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(price_fen__gt=0), name="product_price_positive"
            ),
        )

    def __str__(self) -> str:
        return self.name


class Quota(models.Model):
    """An enterprise's (or team's) voucher for one programme: applied for, reviewed twice
    (first review, then the region's approval by another person), granted or rejected."""

    class State(models.TextChoices):
        APPLIED = "applied", _("applied")
        REVIEWED = "reviewed", _("first review passed")
        GRANTED = "granted", _("granted")
        REJECTED = "rejected", _("rejected")
        VOIDED = "voided", _("voided")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="quotas")
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="voucher_quotas",
        verbose_name=_("enterprise"),
    )
    applicant_kind = models.CharField(_("applicant"), max_length=8, choices=ApplicantKind.choices)
    requested_fen = models.BigIntegerField(_("requested (分)"))
    granted_fen = models.BigIntegerField(_("granted (分)"), default=0)
    legal_rep = models.CharField(_("legal representative"), max_length=50)
    address = models.CharField(_("address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30)
    purpose = models.TextField(_("purpose"), max_length=2000, blank=True)
    state = FSMField(_("state"), default=State.APPLIED, choices=State.choices, protected=True)
    first_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.CharField(_("note"), max_length=300, blank=True)
    applied_at = models.DateTimeField(_("applied at"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("voucher quota")
        verbose_name_plural = _("voucher quotas")
        ordering = ("-applied_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["programme", "enterprise"], name="quota_one_per_enterprise_programme"
            ),
        )

    def __str__(self) -> str:
        return f"{self.programme} · {self.enterprise.name_zh}"

    @property
    def region_id(self) -> int:
        return self.programme.region_id

    @transition(field=state, source=State.APPLIED, target=State.REVIEWED)
    def pass_first_review(self) -> None:
        pass

    @transition(field=state, source=State.REVIEWED, target=State.GRANTED)
    def grant(self) -> None:
        pass

    @transition(field=state, source=[State.APPLIED, State.REVIEWED], target=State.REJECTED)
    def reject(self) -> None:
        pass

    @transition(field=state, source=State.GRANTED, target=State.VOIDED)
    def void(self) -> None:
        pass


class Order(models.Model):
    """An enterprise's order with an institution, paid in part by its voucher. Placing it
    reserves the voucher part on the quota's ledger; cancelling releases it."""

    class State(models.TextChoices):
        PLACED = "placed", _("placed")
        ACCEPTED = "accepted", _("accepted by the institution")
        DELIVERED = "delivered", _("delivered")
        CONFIRMED = "confirmed", _("confirmed by the enterprise")
        CLAIMED = "claimed", _("redemption claimed")
        CANCELLED = "cancelled", _("cancelled")

    quota = models.ForeignKey(Quota, on_delete=models.PROTECT, related_name="orders")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="orders")
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.PROTECT)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    contract_fen = models.BigIntegerField(_("contract amount (分)"))
    voucher_fen = models.BigIntegerField(_("voucher part (分)"))
    starts_on = models.DateField(_("service starts"))
    ends_on = models.DateField(_("service ends"))
    placed_on = models.DateField(_("placed on"), db_index=True)
    evidence = models.TextField(_("delivery evidence"), blank=True, max_length=2000)
    # NULL, not "", when absent: the unique constraint holds only between keys given
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    state = FSMField(_("state"), default=State.PLACED, choices=State.choices, protected=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ("-placed_on", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["quota", "idempotency_key"],
                name="order_idempotency_key_once",
                condition=models.Q(idempotency_key__isnull=False),
            ),
            models.CheckConstraint(
                condition=models.Q(voucher_fen__gt=0, contract_fen__gte=models.F("voucher_fen")),
                name="order_voucher_within_contract",
            ),
        )

    def __str__(self) -> str:
        return f"#{self.pk} {self.institution} ({self.contract_fen / 100:.2f})"

    @transition(field=state, source=State.PLACED, target=State.ACCEPTED)
    def accept(self) -> None:
        pass

    @transition(field=state, source=State.ACCEPTED, target=State.DELIVERED)
    def deliver(self) -> None:
        pass

    @transition(field=state, source=State.DELIVERED, target=State.CONFIRMED)
    def confirm(self) -> None:
        pass

    @transition(field=state, source=State.CONFIRMED, target=State.CLAIMED)
    def claim(self) -> None:
        pass

    @transition(field=state, source=[State.PLACED, State.ACCEPTED], target=State.CANCELLED)
    def cancel(self) -> None:
        pass


class Claim(models.Model):
    """The redemption claim of one order (one claim per order: a second submission finds the
    first). Reviewed twice, then paid by the paying region: the issuing region in 通用 mode
    (it reimburses its enterprise), the service region in 通兑 mode (it pays its institution
    and recovers the issuing region's share through clearing)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        REVIEWED = "reviewed", _("first review passed")
        APPROVED = "approved", _("approved, awaiting payment")
        PAID = "paid", _("paid")
        REJECTED = "rejected", _("rejected")
        REVERSED = "reversed", _("reversed after payment")

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="claim_row")
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices)
    amount_fen = models.BigIntegerField(_("voucher amount claimed (分)"))
    invoice_no = models.CharField(_("invoice number"), max_length=40, db_index=True)
    issuing_region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    service_region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    service_share = models.DecimalField(max_digits=4, decimal_places=3, default=0)
    state = FSMField(_("state"), default=State.SUBMITTED, choices=State.choices, protected=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    first_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.CharField(_("note"), max_length=300, blank=True)
    paid_fen = models.BigIntegerField(_("paid (分)"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_ref = models.CharField(_("payment reference"), max_length=64, blank=True)
    paid_by = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("redemption claim")
        verbose_name_plural = _("redemption claims")
        ordering = ("-submitted_at", "-id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(amount_fen__gt=0), name="claim_amount_positive"
            ),
        )

    def __str__(self) -> str:
        return f"#{self.pk} · {self.order.institution}"

    @property
    def cross_region(self) -> bool:
        return self.issuing_region_id != self.service_region_id

    @transition(field=state, source=State.SUBMITTED, target=State.REVIEWED)
    def pass_first_review(self) -> None:
        pass

    @transition(field=state, source=State.REVIEWED, target=State.APPROVED)
    def approve(self) -> None:
        pass

    @transition(field=state, source=[State.SUBMITTED, State.REVIEWED], target=State.REJECTED)
    def reject(self) -> None:
        pass

    @transition(field=state, source=State.APPROVED, target=State.PAID)
    def pay(self) -> None:
        pass

    @transition(field=state, source=State.PAID, target=State.REVERSED)
    def reverse(self) -> None:
        pass


class AppendOnly(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise ValidationError("append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError("append-only")


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError("append-only: entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError("append-only: entries cannot be deleted")


class LedgerEntry(AppendOnlyModel):
    """One movement on a quota. The balance is derived (`selectors.quota_balance`):
    available = granted − reserved + released − voided; redeemed is what was paid out,
    reversed moves a redeemed amount to voided (recovered money never returns to the balance)."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("granted")
        RESERVE = "reserve", _("reserved by an order")
        RELEASE = "release", _("released")
        REDEEM = "redeem", _("redeemed")
        VOID = "void", _("voided")
        REVERSE = "reverse", _("reversed")

    quota = models.ForeignKey(Quota, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    amount_fen = models.BigIntegerField()
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(db_index=True)
    is_demo = models.BooleanField(default=False)

    objects: ClassVar[models.Manager[LedgerEntry]] = AppendOnly.as_manager()

    class Meta:
        ordering = ("at", "id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(amount_fen__gt=0), name="ledger_amount_positive"
            ),
        )

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_fen}"


class ClearingPeriod(models.Model):
    """A clearing period (a quarter by default, code ``2025Q1``). Open periods take entries;
    a closed one never changes (corrections go into the next open period)."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    code = models.CharField(_("period"), max_length=7, unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    state = FSMField(_("state"), default=State.OPEN, choices=State.choices, protected=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ("starts_on",)

    def __str__(self) -> str:
        return self.code

    @transition(field=state, source=State.OPEN, target=State.CLOSED)
    def close(self) -> None:
        pass


class ClearingEntry(AppendOnlyModel):
    """What one region owes another for one paid cross-region claim (a correction is a
    negative entry in a later open period). Gross flows and net positions are sums of these."""

    period = models.ForeignKey(ClearingPeriod, on_delete=models.PROTECT, related_name="entries")
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="clearing_entries")
    debtor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    creditor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    amount_fen = models.BigIntegerField()
    is_correction = models.BooleanField(default=False)
    at = models.DateTimeField()
    is_demo = models.BooleanField(default=False)

    objects: ClassVar[models.Manager[ClearingEntry]] = AppendOnly.as_manager()

    class Meta:
        ordering = ("at", "id")
        constraints = (
            models.CheckConstraint(
                condition=~models.Q(debtor=models.F("creditor")),
                name="clearing_between_two_regions",
            ),
        )

    def __str__(self) -> str:
        return f"{self.period} {self.debtor_id}→{self.creditor_id} {self.amount_fen}"


class Statement(models.Model):
    """A region's settlement statement of a closed period, which the region confirms."""

    class State(models.TextChoices):
        ISSUED = "issued", _("issued")
        CONFIRMED = "confirmed", _("confirmed")

    period = models.ForeignKey(ClearingPeriod, on_delete=models.PROTECT, related_name="statements")
    region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    owed_fen = models.BigIntegerField(_("owed to others (分)"))
    due_fen = models.BigIntegerField(_("due from others (分)"))
    net_fen = models.BigIntegerField(_("net position (分)"))
    state = FSMField(_("state"), default=State.ISSUED, choices=State.choices, protected=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ("period", "region")
        constraints = (models.UniqueConstraint(fields=["period", "region"], name="statement_once"),)

    def __str__(self) -> str:
        return f"{self.period} · {self.region}"

    @transition(field=state, source=State.ISSUED, target=State.CONFIRMED)
    def confirm(self) -> None:
        pass


class RiskFlag(models.Model):
    """A risk rule that fired on a claim, with its reason, shown to the reviewer."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="flags")
    rule = models.CharField(_("rule"), max_length=30)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ("claim", "rule")

    def __str__(self) -> str:
        return f"{self.rule}: {self.reason}"


class IdempotentRequest(models.Model):
    """An API write seen before, by caller and key: a retry gets the stored answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_once"),
        )

    def __str__(self) -> str:
        return self.key


class RiskRule(models.Model):
    """A fraud or risk rule, as data: whether it runs and its thresholds (``params``). The
    rules' logic lives in `nengji.vouchers.risk`, keyed by ``code``; every flag it raises says
    its reason to the reviewer."""

    class Code(models.TextChoices):
        RELATED_PARTY = "related_party", _("related parties")
        REPEATED_PAIR = "repeated_pair", _("repeated enterprise–institution pair")
        NEAR_CAP = "near_cap", _("amount just under a cap")
        INVOICE_REUSED = "invoice_reused", _("invoice reused")
        OUTSIDE_CATALOGUE = "outside_catalogue", _("service outside the admitted catalogue")
        PERIOD_END_BURST = "period_end_burst", _("burst of orders near period end")

    code = models.CharField(_("rule"), max_length=30, choices=Code.choices, unique=True)
    active = models.BooleanField(_("active"), default=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("risk rule")
        verbose_name_plural = _("risk rules")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.get_code_display()
