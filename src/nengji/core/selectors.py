"""Reads of the core: the audit log, organisations."""

from __future__ import annotations

from django.db.models import QuerySet

from nengji.core.models import AuditEntry


def audit_list(
    *,
    app: str = "",
    object_type: str = "",
    action: str = "",
    actor: str = "",
    object_id: str = "",
    organisation_id: int | None = None,
) -> QuerySet[AuditEntry]:
    """Entries newest first, filtered by any of the given fields."""
    qs = AuditEntry.objects.select_related("actor")
    filters = {
        "app": app,
        "object_type": object_type,
        "object_id": object_id,
        "action": action,
        "actor_label": actor,
    }
    qs = qs.filter(**{k: v for k, v in filters.items() if v})
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("-at", "-id")
