"""Reads of the registry, for pages, the API, the CLI and other apps.

`enterprise_facts` (facts.py here) is the stable mapping rules are evaluated against; the rest
are the lists and records pages show."""

from nengji.registry.selectors.enterprises import (
    designations_active,
    designations_expiring,
    enterprise_get,
    figures_latest,
    figures_vintages,
)
from nengji.registry.selectors.facts import enterprise_facts, enterprises_facts

__all__ = [
    "designations_active",
    "designations_expiring",
    "enterprise_facts",
    "enterprise_get",
    "enterprises_facts",
    "figures_latest",
    "figures_vintages",
]
