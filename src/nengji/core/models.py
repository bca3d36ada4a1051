"""Organisations and the append-only audit log."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nengji.core.roles import OrgKind


class Organisation(models.Model):
    """Anything a user can belong to: a department, an enterprise, a service institution, a
    partner region, a university's technology-transfer office, an exchange, a bank.

    The domain apps keep what they know about an organisation in their own models (a plan
    department, a registry enterprise, a voucher region…), linked one-to-one to this row; this
    row is what roles and permissions are checked against.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=OrgKind.choices)
    code = models.CharField(
        _("code"),
        max_length=64,
        help_text=_(
            "Unique within its kind (and parent), e.g. a department code or a 统一社会信用代码."
        ),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("part of"),
        help_text=_("E.g. the district a department belongs to."),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("kind", "code")
        constraints = (
            models.UniqueConstraint(
                fields=["kind", "code"],
                condition=models.Q(parent__isnull=True),
                name="organisation_unique_code",
            ),
            models.UniqueConstraint(
                fields=["kind", "parent", "code"],
                condition=models.Q(parent__isnull=False),
                name="organisation_unique_code_in_parent",
            ),
        )

    def __str__(self) -> str:
        return self.name_zh

    @property
    def name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class AppendOnlyQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise ValidationError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError("the audit log is append-only")


class AuditEntry(models.Model):
    """Who did what, when, to which object, with its state before and after. Append-only:
    the model, its queryset and the admin refuse changes and deletions."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40)
    app = models.CharField(_("domain"), max_length=20, blank=True, db_index=True)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=64)
    object_label = models.CharField(_("object"), max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The organisation whose data changed, where there is one."),
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    at = models.DateTimeField(_("at"), db_index=True)

    objects: ClassVar[models.Manager[AuditEntry]] = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ("-at", "-id")
        indexes = (models.Index(fields=["object_type", "object_id"]),)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError("the audit log is append-only: entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError("the audit log is append-only: entries cannot be deleted")
