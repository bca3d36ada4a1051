"""Where matching gets an enterprise's facts: the registry's flat mapping
(`nengji.registry.selectors.enterprise_facts`), plus what only a plan's policies can say:
``registered_in_district`` (the enterprise is registered in the plan's district)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nengji.plan.models import Plan
from nengji.registry.models import Enterprise
from nengji.registry.selectors import enterprise_facts, enterprises_facts


def facts_of(enterprise: Enterprise, *, plan: Plan, year: int | None = None) -> dict[str, Any]:
    """The enterprise's facts for matching against the plan district's policies."""
    facts = enterprise_facts(enterprise, year=year)
    facts["registered_in_district"] = enterprise.district_id == plan.district_id
    return facts


def facts_for(
    enterprises: Iterable[Enterprise], *, plan: Plan, year: int | None = None
) -> dict[int, dict[str, Any]]:
    """Facts of many enterprises at once (the office's lists, the matrix), by enterprise id."""
    rows = list(enterprises)
    out = enterprises_facts(rows, year=year)
    for e in rows:
        out[e.pk]["registered_in_district"] = e.district_id == plan.district_id
    return out
