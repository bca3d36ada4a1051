"""Domain events: how an app reacts to another's changes without importing upwards.

An app declares its events as frozen dataclasses subclassing `DomainEvent` (in its own
``events.py``) and emits them from its services. An app *above* it in the layers subscribes a
handler in its ``AppConfig.ready()``::

    # monitoring/events.py
    @dataclass(frozen=True)
    class RoundPublished(DomainEvent):
        round_id: int

    # indexing/apps.py
    def ready(self):
        subscribe(RoundPublished, index_recompute_on_publication)

Handlers run synchronously, in subscription order, inside the emitting service's transaction:
a failing handler rolls the whole change back. Slow work belongs in a background task that the
handler enqueues with ``transaction.on_commit`` (see `nengji.core.tasks`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

E = TypeVar("E", bound="DomainEvent")
Handler = Callable[[Any], None]

_handlers: dict[type[DomainEvent], list[Handler]] = defaultdict(list)


@dataclass(frozen=True)
class DomainEvent:
    """Base of every event; subclasses add the ids of what changed (never whole rows)."""

    actor_id: int | None


def subscribe(event: type[E], handler: Callable[[E], None]) -> None:
    """Register `handler` for `event` (idempotent: the same handler is registered once)."""
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def handlers(event: type[DomainEvent]) -> list[Handler]:
    return list(_handlers.get(event, ()))


def emit(event: DomainEvent) -> None:
    """Call every handler subscribed to the event's class."""
    for handler in handlers(type(event)):
        handler(event)
