"""How the benchmark reacts to other apps' events (subscribed in `IndexingConfig.ready`)."""

from __future__ import annotations

from nengji.core.tasks import enqueue_on_commit
from nengji.indexing.benchmark.tasks import benchmark_recompute
from nengji.indexing.models import Benchmark
from nengji.monitoring.events import RoundPublished


def benchmark_on_round_published(event: RoundPublished) -> None:
    """An annual round's values became public (the partners' too): recompute that year's
    benchmark once the publishing transaction commits. Quarterly rounds carry no benchmark."""
    if event.quarter:
        return
    if not Benchmark.objects.filter(plan_id=event.plan_id).exists():
        return
    enqueue_on_commit(benchmark_recompute, event.plan_id, event.year, event.actor_id)
