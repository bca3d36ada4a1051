"""How indexing reacts to other apps' events (subscribed in `IndexingConfig.ready`)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from nengji.core.audit import audit_record
from nengji.core.tasks import enqueue_on_commit
from nengji.indexing.models import IndexRun
from nengji.indexing.tasks import index_recompute
from nengji.monitoring.events import RoundPublished
from nengji.plan.models import Plan


def index_on_round_published(event: RoundPublished) -> None:
    """Publishing a round changes the official values: record (in the publishing transaction)
    that the index is due, and queue its recomputation for when that transaction commits."""
    plan = Plan.objects.get(pk=event.plan_id)
    by = get_user_model().objects.filter(pk=event.actor_id).first() if event.actor_id else None
    audit_record(
        actor=by,
        action="index_due",
        obj=plan,
        label=f"composite index recompute due after publishing a round of {event.year}",
        after={"round": event.round_id, "year": event.year, "quarter": event.quarter},
    )
    enqueue_on_commit(index_recompute, plan.pk, IndexRun.Trigger.PUBLICATION, event.actor_id)
