"""How indexing reacts to other apps' events (subscribed in `IndexingConfig.ready`)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from nengji.core.audit import audit_record
from nengji.indexing.models import IndexRun
from nengji.indexing.services import index_run_ensure
from nengji.monitoring.events import RoundPublished
from nengji.plan.models import Plan


def index_on_round_published(event: RoundPublished) -> None:
    """Publishing a round changes the official values: record that the index is due, then
    recompute it from them (when the plan defines an index)."""
    plan = Plan.objects.get(pk=event.plan_id)
    by = _actor(event.actor_id)
    audit_record(
        actor=by,
        action="index_due",
        obj=plan,
        label=f"composite index recompute due after publishing a round of {event.year}",
        after={"round": event.round_id, "year": event.year, "quarter": event.quarter},
    )
    index_run_ensure(plan=plan, trigger=IndexRun.Trigger.PUBLICATION, by=by)


def _actor(actor_id: int | None) -> object:
    if actor_id is None:
        return None
    return get_user_model().objects.filter(pk=actor_id).first()
