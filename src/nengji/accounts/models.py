"""A user has one role and belongs to at most one organisation.

The role (`nengji.core.roles.Role`) says what the user may do; the organisation whose data:
a department reporter belongs to its department, an enterprise user to its enterprise, a
partner region's user to its region. Anonymous visitors are the public and need no row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from nengji.core.models import Organisation
from nengji.core.roles import ROLE_ORG_KINDS, OrgKind, Role

if TYPE_CHECKING:
    from nengji.plan.models import Department

__all__ = ["Role", "User"]


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.REPORTER)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("organisation"),
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        kinds = ROLE_ORG_KINDS.get(self.role, frozenset())
        kind = self.organisation.kind if self.organisation is not None else None
        if kind not in kinds:
            raise ValidationError(
                {"organisation": _("This role needs an organisation of another kind.")}
            )

    @property
    def department(self) -> Department | None:
        """The department a reporter (or an office member) belongs to, if any."""
        org = self.organisation
        if org is None or org.kind != OrgKind.DEPARTMENT:
            return None
        try:
            return org.department
        except Organisation.department.RelatedObjectDoesNotExist:
            return None

    @property
    def department_id(self) -> int | None:
        department = self.department
        return department.pk if department is not None else None

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
        """Office and leaders read every organisation's data; other roles only their own."""
        return self.is_office or self.is_leader
