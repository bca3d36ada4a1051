"""Roles and organisation kinds: the vocabulary every app checks permissions with.

A user has one role and belongs to at most one organisation; the role says what the user may
do, the organisation whose data it may do it to. The plan office and leaders read across
organisations; every other role is scoped to its own organisation's data.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from nengji.core.errors import refused


class OrgKind(models.TextChoices):
    """Kinds of organisation (`core.Organisation.kind`)."""

    DEPARTMENT = "department", _l("department")  # a district body or functional zone
    ENTERPRISE = "enterprise", _l("enterprise")
    CARRIER = "carrier", _l("carrier (park, incubator)")
    PROVIDER = "provider", _l("service institution")  # e.g. an innovation-voucher provider
    REGION = "region", _l("partner region")  # a partner district's office (长三角 alliance)
    UNIVERSITY = "university", _l("university or institute")  # its technology-transfer office
    EXCHANGE = "exchange", _l("technology exchange")
    BANK = "bank", _l("bank")
    OTHER = "other", _l("other")


class Role(models.TextChoices):
    """Roles (`accounts.User.role`)."""

    OFFICE = "office", _l("plan office")  # the plan office (区科委): keeps the plan, publishes
    LEADER = "leader", _l("leader")  # reads everything, writes nothing
    REPORTER = "reporter", _l("department reporter")
    ENTERPRISE = "enterprise", _l("enterprise")
    CARRIER = "carrier", _l("carrier (park, incubator)")
    PROVIDER = "provider", _l("service institution")
    REGION = "region", _l("partner region")
    UNIVERSITY = "university", _l("technology-transfer office")
    EXCHANGE = "exchange", _l("technology exchange")
    BANK = "bank", _l("bank")


#: role → the organisation kinds its users may belong to (None: no organisation needed)
ROLE_ORG_KINDS: dict[str, frozenset[str | None]] = {
    Role.OFFICE: frozenset({None, OrgKind.DEPARTMENT}),
    Role.LEADER: frozenset({None, OrgKind.DEPARTMENT}),
    Role.REPORTER: frozenset({OrgKind.DEPARTMENT}),
    Role.ENTERPRISE: frozenset({OrgKind.ENTERPRISE}),
    Role.CARRIER: frozenset({OrgKind.CARRIER}),
    Role.PROVIDER: frozenset({OrgKind.PROVIDER}),
    Role.REGION: frozenset({OrgKind.REGION}),
    Role.UNIVERSITY: frozenset({OrgKind.UNIVERSITY}),
    Role.EXCHANGE: frozenset({OrgKind.EXCHANGE}),
    Role.BANK: frozenset({OrgKind.BANK}),
}


def role_of(user: Any) -> str | None:
    """The user's role, or None for the public (anonymous). Superusers act as the office."""
    if not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "is_superuser", False):
        return Role.OFFICE
    return str(user.role)


def has_role(user: Any, *roles: str) -> bool:
    return role_of(user) in roles


def require_role(user: Any, *roles: str, message: str | None = None) -> None:
    """Refuse (a `DomainError` with code ``permission``) unless the user has one of `roles`."""
    if not has_role(user, *roles):
        raise refused(message or _("Your role may not do this."))


def require_office(user: Any) -> None:
    require_role(user, Role.OFFICE, message=_("Only the plan office may do this."))


def require_member(user: Any, organisation_id: int | None, *roles: str) -> None:
    """Refuse unless the user has one of `roles` and belongs to the organisation."""
    if not (
        has_role(user, *roles)
        and organisation_id is not None
        and getattr(user, "organisation_id", None) == organisation_id
    ):
        raise refused(_("Only a member of this organisation may do this."))
