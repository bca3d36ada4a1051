"""Writes of the indexing domain: computing and storing an index run."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from nengji.index import IndexInputError
from nengji.indexing.compute import compute, framework_records
from nengji.indexing.inputs import (
    demo_values,
    framework_load,
    has_framework,
    official_values,
    spec_load,
)
from nengji.indexing.models import IndexRun
from nengji.plan.models import Plan


def snapshot_sha256(snapshot: list[dict[str, Any]]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def index_snapshot_build(*, plan: Plan, framework: Any) -> list[dict[str, Any]]:
    """Every input value with its provenance: an official observation, or a demo value."""
    official = official_values(plan, framework.indicators)
    demo = demo_values(plan, framework)
    keys = sorted(set(official) | set(demo), key=lambda k: (k[1], k[0]))
    snapshot = []
    for code, year in keys:
        obs = official.get((code, year))
        if obs is not None:
            snapshot.append(
                {
                    "code": code,
                    "year": year,
                    "value": float(obs.value),
                    "source": "observation",
                    "observation": obs.pk,
                    "vintage": obs.vintage,
                    "is_demo": obs.is_demo,
                }
            )
        else:
            snapshot.append(
                {
                    "code": code,
                    "year": year,
                    "value": demo[(code, year)],
                    "source": "demo",
                    "is_demo": True,
                }
            )
    return snapshot


@transaction.atomic
def index_run_compute(*, plan: Plan, trigger: str, by: Any = None) -> IndexRun:
    """Compute the composite index from the current official (else demo) values and store it."""
    framework = framework_load(plan)
    spec = spec_load(plan)
    snapshot = index_snapshot_build(plan=plan, framework=framework)
    records = framework_records(framework)
    results = compute(framework=records, spec=spec, snapshot=snapshot)
    return IndexRun.objects.create(
        plan=plan,
        created_at=timezone.now(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
        trigger=trigger,
        spec=spec,
        framework=records,
        snapshot=snapshot,
        snapshot_sha256=snapshot_sha256(snapshot),
        results=results,
        is_demo=any(v["is_demo"] for v in snapshot),
    )


def index_run_ensure_demo(*, plan: Plan) -> IndexRun | None:
    """The demo set-up: the latest run is computed from the current data (a new run only when
    the data snapshot changed since, e.g. after demo reports were added)."""
    if not has_framework(plan):
        return None
    latest = IndexRun.objects.filter(plan=plan).order_by("-created_at", "-id").first()
    snapshot = index_snapshot_build(plan=plan, framework=framework_load(plan))
    if latest is not None and latest.snapshot_sha256 == snapshot_sha256(snapshot):
        return latest
    return index_run_compute(plan=plan, trigger=IndexRun.Trigger.DEMO)


def index_run_on_publication(*, plan: Plan, by: Any) -> IndexRun | None:
    """The publication hook: a new run if the plan has an index framework, else nothing."""
    if not has_framework(plan):
        return None
    try:
        with transaction.atomic():
            return index_run_compute(plan=plan, trigger=IndexRun.Trigger.PUBLICATION, by=by)
    except IndexInputError:
        # e.g. no base-year values yet: publishing goes ahead; the 'index_due' audit entry
        # written by the hook records that the index still has to be computed
        return None
