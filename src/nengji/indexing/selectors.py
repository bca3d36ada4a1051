"""Reads of the indexing domain."""

from __future__ import annotations

from typing import Any

from nengji.indexing.compute import compute
from nengji.indexing.models import IndexRun
from nengji.plan.models import Plan


def index_run_latest(*, plan: Plan) -> IndexRun | None:
    return IndexRun.objects.filter(plan=plan).order_by("-created_at", "-id").first()


def index_run_get(*, plan: Plan, pk: int) -> IndexRun:
    return IndexRun.objects.get(plan=plan, pk=pk)


def index_run_whatif(*, run: IndexRun, weights: dict[str, float]) -> dict[str, Any]:
    """The stored run recomputed on its own snapshot with changed weights (nothing stored)."""
    return compute(framework=run.framework, spec=run.spec, snapshot=run.snapshot, weights=weights)
