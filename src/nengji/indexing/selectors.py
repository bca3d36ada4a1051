"""Reads of the indexing domain."""

from __future__ import annotations

from nengji.indexing.compute import compute
from nengji.indexing.models import IndexRun
from nengji.indexing.results import StoredResults
from nengji.plan.models import Plan


def index_run_latest(*, plan: Plan) -> IndexRun | None:
    return IndexRun.objects.filter(plan=plan).order_by("-created_at", "-id").first()


def index_run_whatif(*, run: IndexRun, weights: dict[str, float]) -> StoredResults:
    """The stored run recomputed on its own snapshot with changed weights (nothing stored)."""
    return StoredResults.from_json(
        compute(
            framework=run.framework,
            spec=run.spec,
            snapshot=run.snapshot,
            unit=run.stored.unit,
            weights=weights,
        )
    )
