"""Public comments (征求意见) on the plan, a task or measure, or an indicator."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nengji.plan.models import Indicator, Plan, Section


class Comment(models.Model):
    """Held for moderation until the office approves it; the office may reply publicly."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        APPROVED = "approved", _("published")
        REJECTED = "rejected", _("not published")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(_("name"), max_length=60, blank=True)
    text = models.TextField(_("comment"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("posted at"), db_index=True)
    client = models.CharField(max_length=64, db_index=True, help_text="keyed hash of the IP")
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(_("reply of the plan office"), blank=True, max_length=2000)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("public comment")
        verbose_name_plural = _("public comments")
        ordering = ("-created_at", "-id")
        constraints = (
            models.CheckConstraint(
                condition=~(models.Q(section__isnull=False) & models.Q(indicator__isnull=False)),
                name="comment_one_target",
            ),
        )

    def __str__(self) -> str:
        return f"{self.target_label}: {self.text[:30]}"

    @property
    def target_kind(self) -> str:
        if self.indicator_id:
            return "indicator"
        return "task" if self.section_id else "plan"

    @property
    def target_label(self) -> str:
        if self.indicator is not None:
            return self.indicator.localized("name")
        if self.section is not None:
            sec = self.section
            return f"{sec.number} {sec.localized('title')}".strip()
        return self.plan.localized("title")

    @property
    def target_url(self) -> str:
        if self.indicator is not None:
            return reverse("portal-comments", args=["indicator", self.indicator.code])
        if self.section is not None:
            return reverse("portal-comments", args=["task", self.section.code])
        return reverse("portal-comments-plan")
