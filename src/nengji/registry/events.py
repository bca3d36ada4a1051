"""The registry's domain events, for apps above it (policy matching, vouchers, the portal)."""

from __future__ import annotations

from dataclasses import dataclass

from nengji.core.events import DomainEvent


@dataclass(frozen=True)
class EnterpriseChanged(DomainEvent):
    """An enterprise was created or its profile changed."""

    enterprise_id: int
    created: bool


@dataclass(frozen=True)
class FiguresRecorded(DomainEvent):
    """A new vintage of an enterprise's figures for a year."""

    enterprise_id: int
    year: int
    vintage: int


@dataclass(frozen=True)
class DesignationChanged(DomainEvent):
    """A designation was granted, expired or revoked."""

    designation_id: int
    enterprise_id: int
    kind: str
    status: str
