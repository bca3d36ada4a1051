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
    """Called inside the publishing transaction. Replace the body with the engine call."""
    return audit_record(
        actor=by,
        action="index_due",
        obj=round.plan,
        label=f"composite index recompute due after publishing round {round.label}",
        after={"round": round.pk, "year": round.year, "quarter": round.quarter},
    )


def index_recomputes_due() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="index_due"))
