"""Writes of the indexing domain: computing and storing an index run."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from nengji.index import IndexInputError
from nengji.indexing.compute import compute
from nengji.indexing.inputs import framework_indicators, index_definition, published_values
from nengji.indexing.models import IndexRun
from nengji.plan.models import IndexDefinition, Plan


def snapshot_sha256(snapshot: list[dict[str, Any]]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def index_snapshot_build(*, plan: Plan, definition: IndexDefinition) -> list[dict[str, Any]]:
    """Every input value with its provenance: the observation (official or flagged demo) it is."""
    values = published_values(plan, framework_indicators(definition))
    return [
        {
            "code": code,
            "year": year,
            "value": float(obs.value),
            "source": "demo" if obs.source == obs.Source.DEMO else "observation",
            "observation": obs.pk,
            "vintage": obs.vintage,
            "is_demo": obs.is_demo,
        }
        for (code, year), obs in sorted(values.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]


@transaction.atomic
def index_run_compute(*, plan: Plan, trigger: str, by: Any = None) -> IndexRun:
    """Compute the composite index from the published values and store it with its inputs."""
    definition = index_definition(plan)
    if definition is None:
        raise IndexInputError(f"plan {plan.code} defines no composite index")
    snapshot = index_snapshot_build(plan=plan, definition=definition)
    results = compute(
        framework=definition.framework,
        spec=definition.spec,
        snapshot=snapshot,
        unit=definition.unit,
    )
    return IndexRun.objects.create(
        plan=plan,
        created_at=timezone.now(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
        trigger=trigger,
        spec=definition.spec,
        framework=definition.framework,
        snapshot=snapshot,
        snapshot_sha256=snapshot_sha256(snapshot),
        results=results,
        is_demo=any(v["is_demo"] for v in snapshot),
    )


def index_run_ensure(*, plan: Plan, trigger: str, by: Any = None) -> IndexRun | None:
    """The latest run, computed anew only when the published values changed since; None when
    the plan defines no index or its values cannot make one yet (e.g. no base-year values)."""
    definition = index_definition(plan)
    if definition is None:
        return None
    latest = IndexRun.objects.filter(plan=plan).order_by("-created_at", "-id").first()
    snapshot = index_snapshot_build(plan=plan, definition=definition)
    if latest is not None and latest.snapshot_sha256 == snapshot_sha256(snapshot):
        return latest
    try:
        with transaction.atomic():
            return index_run_compute(plan=plan, trigger=trigger, by=by)
    except IndexInputError:
        return None
