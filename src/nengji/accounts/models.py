"""A user has one role; a reporter also belongs to one department.

Anonymous visitors are the fourth role (the public) and need no row.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE = "office", _("plan office")
    LEADER = "leader", _("leader")
    REPORTER = "reporter", _("department reporter")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.REPORTER)
    department = models.ForeignKey(
        "plan.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("department"),
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        if self.role == Role.REPORTER and self.department_id is None:
            raise ValidationError({"department": _("A department reporter needs a department.")})

    @property
    def is_office(self) -> bool:
        return self.is_authenticated and (self.role == Role.OFFICE or self.is_superuser)

    @property
    def is_leader(self) -> bool:
        return self.is_authenticated and self.role == Role.LEADER

    @property
    def is_reporter(self) -> bool:
        return self.is_authenticated and self.role == Role.REPORTER

    @property
    def can_read_all(self) -> bool:
        """Office and leaders read every department's data; reporters only their own."""
        return self.is_office or self.is_leader
