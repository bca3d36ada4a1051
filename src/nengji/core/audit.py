"""Writing the audit log. Every service calls `audit_record` inside its own transaction, so an
entry exists exactly when the change it describes was committed."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from nengji.core.models import AuditEntry, Organisation


def jsonable(value: Any) -> Any:
    """A value as the audit log stores it: Decimals as exact strings, dates ISO, rows by key."""
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of a row (foreign keys by id), ready for `before`/`after`."""
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        out[name] = jsonable(getattr(obj, field.attname))  # type: ignore[union-attr]
    return out


def audit_entry(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    label: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    organisation: Organisation | None = None,
    at: dt.datetime | None = None,
) -> AuditEntry:
    """An entry not yet saved, for writers that store many at once (`bulk_create`)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        actor=user,
        actor_label=(getattr(user, "username", "") if user else "system"),
        action=action,
        app=obj._meta.app_label,
        object_type=obj._meta.model_name or "",
        object_id=str(obj.pk),
        object_label=(label or str(obj))[:300],
        organisation=organisation,
        before=jsonable(before),
        after=jsonable(after),
        at=at or timezone.now(),
    )


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    label: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    organisation: Organisation | None = None,
) -> AuditEntry:
    """Append one entry. ``actor`` is the user (anonymous or None: the system)."""
    entry = audit_entry(
        actor=actor,
        action=action,
        obj=obj,
        label=label,
        before=before,
        after=after,
        organisation=organisation,
    )
    entry.save()
    return entry
