"""The audit log as people read it: the action in their language and what changed, field by
field (before → after), instead of two raw dictionaries."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Any] = {
    "create": _("created"),
    "update": _("changed"),
    "open": _("opened"),
    "close": _("closed"),
    "submit": _("submitted"),
    "approve": _("approved"),
    "return": _("returned"),
    "revise": _("revision started"),
    "publish": _("published"),
    "remind": _("reminders sent"),
    "record": _("recorded"),
    "propose": _("proposed"),
    "accept": _("accepted"),
    "reject": _("rejected"),
    "reply": _("replied"),
    "grant": _("granted"),
    "revoke": _("revoked"),
    "expire": _("expired"),
    "supersede": _("superseded"),
    "demo_seed": _("demo data created"),
    "index_due": _("index recomputation queued"),
}

FIELDS: dict[str, Any] = {
    "status": _("status"),
    "value": _("value"),
    "year": _("year"),
    "quarter": _("quarter"),
    "deadline": _("deadline"),
    "explanation": _("explanation"),
    "note": _("note"),
    "narrative": _("narrative"),
    "milestones": _("milestones"),
    "task_status": _("progress status"),
    "percent_complete": _("percent complete"),
    "comment": _("comment"),
    "review_comment": _("review comment"),
    "reason": _("reason"),
    "vintage": _("vintage"),
    "target_value": _("target value"),
    "target_year": _("target year"),
    "basis": _("basis"),
    "lead": _("lead department"),
    "frequency": _("reporting frequency"),
    "sequence": _("version"),
}


NUMBER = re.compile(r"-?\d{1,30}(\.\d{1,30})?")


@dataclass
class Change:
    field: str
    label: str
    before: str
    after: str


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def _show(value: Any) -> str:
    """One value as text: numbers as entered (7, not 7.000000), yes/no, structures as JSON."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, int | float | Decimal) or (
        isinstance(value, str) and NUMBER.fullmatch(value)
    ):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def audit_changes(before: Any, after: Any) -> list[Change]:
    """The fields that differ (all of `after` for a creation), in a stable order."""
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    if not isinstance(before, dict | type(None)) or not isinstance(after, dict | type(None)):
        return [Change("", "", _show(before), _show(after))]
    keys = list(dict.fromkeys([*new, *old]))
    return [
        Change(k, str(FIELDS.get(k, k.replace("_", " "))), _show(old.get(k)), _show(new.get(k)))
        for k in keys
        if old.get(k) != new.get(k)
    ]
