"""Who may write what in the registry."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from nengji.core.roles import Role, role_of
from nengji.registry.errors import RegistryError
from nengji.registry.models import Enterprise


class _System:
    """The operator at the command line (`nengji registry import` without ``--as``): acts with
    the office's rights; the audit log records it as "system"."""

    is_authenticated = False
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()


def require_office(user: Any) -> None:
    if user is SYSTEM:
        return
    if role_of(user) != Role.OFFICE:
        raise RegistryError.one(
            "__all__", _("Only the plan office may do this."), code="permission"
        )


def require_editor(user: Any, enterprise: Enterprise) -> None:
    """The office, or a person of the enterprise itself. Another enterprise's person is told
    it does not exist (404), as a forged id must learn nothing."""
    role = role_of(user)
    if role == Role.OFFICE or user is SYSTEM:
        return
    if (
        role == Role.ENTERPRISE
        and enterprise.organisation_id is not None
        and getattr(user, "organisation_id", None) == enterprise.organisation_id
    ):
        return
    if role == Role.ENTERPRISE:
        raise RegistryError.one("enterprise", _("No such enterprise."), code="not_found")
    raise RegistryError.one("__all__", _("Your role may not do this."), code="permission")
