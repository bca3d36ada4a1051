"""Events the plan app emits; apps above it subscribe in their `AppConfig.ready()`."""

from __future__ import annotations

from dataclasses import dataclass

from nengji.core.events import DomainEvent


@dataclass(frozen=True)
class PlanLoaded(DomainEvent):
    """A plan package was loaded (inside the loading transaction). ``package_root`` is the
    package folder, for the apps that load their own part of it (`nengji.plan.parts`);
    ``changed`` is False when the package was already loaded as it is."""

    plan_id: int
    package_root: str
    changed: bool
