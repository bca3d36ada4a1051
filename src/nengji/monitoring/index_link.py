"""The hook from publication to the composite index.

When a round is published, the composite index must be recomputed from the official values and
stored with its pipeline spec and data snapshot. The index engine (`nengji.index`) lands on
another branch; until it is wired in, publication records that a recompute is due (an audit
entry with action ``index_due``) and computes nothing: no index value is ever faked.
"""

from __future__ import annotations

from typing import Any

from nengji.monitoring.audit import audit_record
from nengji.monitoring.models import AuditEntry, Round


def index_recompute_due(*, round: Round, by: Any) -> AuditEntry:
    """Called inside the publishing transaction: records the due recompute, then computes and
    stores a new index run (`nengji.indexing`) from the values just published, when the plan
    defines a composite index."""
    from nengji.indexing.services import index_run_on_publication  # indexing reads monitoring

    entry = audit_record(
        actor=by,
        action="index_due",
        obj=round.plan,
        label=f"composite index recompute due after publishing round {round.label}",
        after={"round": round.pk, "year": round.year, "quarter": round.quarter},
    )
    index_run_on_publication(plan=round.plan, by=by)
    return entry


def index_recomputes_due() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="index_due"))
