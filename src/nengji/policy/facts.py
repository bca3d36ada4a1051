"""Where matching gets an enterprise's facts: the registry's flat mapping of facts.

INTERIM (until `nengji.registry.selectors.enterprise_facts` is on main): the registry keeps only
the enterprise's record and district so far, so the one fact read here is
``registered_in_district``; every other fact is unknown (never assumed), and matching says which
are missing. This module is the single seam to swap for the registry's selector.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nengji.plan.models import Plan
from nengji.registry.models import Enterprise


def facts_of(enterprise: Enterprise, *, plan: Plan, year: int | None = None) -> dict[str, Any]:
    """The enterprise's facts for matching against the plan district's policies."""
    return {"registered_in_district": enterprise.district_id == plan.district_id}


def facts_for(
    enterprises: Iterable[Enterprise], *, plan: Plan, year: int | None = None
) -> dict[int, dict[str, Any]]:
    """Facts of many enterprises at once (the office's lists, the matrix), by enterprise id."""
    return {e.pk: facts_of(e, plan=plan, year=year) for e in enterprises}
