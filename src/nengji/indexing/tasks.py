"""Background jobs of the indexing domain."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from nengji.indexing.services import index_run_ensure
from nengji.plan.models import Plan


@task()
def index_recompute(plan_id: int, trigger: str, actor_id: int | None = None) -> int | None:
    """Recompute the plan's index from its published values (a new run only when they changed);
    returns the run's id, or None when the values cannot make an index yet."""
    plan = Plan.objects.get(pk=plan_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    run = index_run_ensure(plan=plan, trigger=trigger, by=actor)
    return run.pk if run is not None else None
