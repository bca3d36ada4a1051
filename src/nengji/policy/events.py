"""Events the policy app emits (apps above it may subscribe in their `AppConfig.ready()`)."""

from __future__ import annotations

from dataclasses import dataclass

from nengji.core.events import DomainEvent


@dataclass(frozen=True)
class ItemPublished(DomainEvent):
    """A policy item was published (its push list is built on it)."""

    item_id: int


@dataclass(frozen=True)
class AwardPaid(DomainEvent):
    """An award was paid to an enterprise (policy funds disbursed)."""

    payment_id: int


@dataclass(frozen=True)
class CompensationPaid(DomainEvent):
    """A risk-pool compensation was paid to a bank."""

    claim_id: int
