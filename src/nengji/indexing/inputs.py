"""What an index run reads: the plan's index definition (loaded from its package) and the
latest published annual vintage of every framework indicator (official or flagged demo)."""

from __future__ import annotations

from nengji.monitoring.models import Observation
from nengji.plan.models import IndexDefinition, Plan


def index_definition(plan: Plan) -> IndexDefinition | None:
    """The plan's composite index, or None when its package defines none."""
    return IndexDefinition.objects.filter(plan=plan).select_related("official_indicator").first()


def framework_indicators(definition: IndexDefinition) -> list[str]:
    """The framework's indicator codes (its leaves), in framework order."""
    parents = {r.get("parent") for r in definition.framework if r.get("parent")}
    return [r["code"] for r in definition.framework if r["code"] not in parents]


def published_values(plan: Plan, codes: list[str]) -> dict[tuple[str, int], Observation]:
    """(code, year) → the latest published annual vintage of each framework indicator."""
    rows = (
        Observation.objects.filter(
            indicator__plan=plan,
            indicator__code__in=codes,
            quarter=0,
            published_at__isnull=False,
        )
        .select_related("indicator")
        .order_by("indicator_id", "year", "vintage")
    )
    out: dict[tuple[str, int], Observation] = {}
    for obs in rows:
        assert obs.indicator is not None
        out[(obs.indicator.code, obs.year)] = obs
    return out
