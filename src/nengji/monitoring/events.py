"""Events monitoring emits; apps above it subscribe in their `AppConfig.ready()`."""

from __future__ import annotations

from dataclasses import dataclass

from nengji.core.events import DomainEvent


@dataclass(frozen=True)
class RoundPublished(DomainEvent):
    """A round's approved values and progress became public (emitted inside the transaction)."""

    plan_id: int
    round_id: int
    year: int
    quarter: int


@dataclass(frozen=True)
class ValueApproved(DomainEvent):
    """An indicator value became official (a new vintage), published or not yet."""

    plan_id: int
    observation_id: int
