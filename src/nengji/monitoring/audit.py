"""Writing the audit log. Called by every service inside its own transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from nengji.monitoring.models import AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        out[name] = _jsonable(value)
    return out


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    label: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=(getattr(user, "username", "") if user else "system"),
        action=action,
        object_type=obj._meta.model_name or "",
        object_id=str(obj.pk),
        object_label=(label or str(obj))[:300],
        before=before,
        after=after,
        at=timezone.now(),
    )
