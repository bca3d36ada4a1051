"""The state machines of applications and compensation claims, as tables.

A service asks `transition(machine, action, status)` for the next status; an action not allowed
from the current status is a conflict naming the status, and nothing changes.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from nengji.policy.errors import PolicyError

#: action → (statuses it may start from, status it leads to)
APPLICATION: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({"draft", "returned"}), "submitted"),
    "return": (frozenset({"submitted"}), "returned"),
    "approve": (frozenset({"submitted"}), "approved"),
    "reject": (frozenset({"submitted"}), "rejected"),
    "pay": (frozenset({"approved"}), "paid"),
    "withdraw": (frozenset({"draft", "submitted", "returned"}), "withdrawn"),
}

CLAIM: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({"submitted"}), "approved"),
    "reject": (frozenset({"submitted"}), "rejected"),
    "pay": (frozenset({"approved"}), "paid"),
}


def transition(machine: dict[str, tuple[frozenset[str], str]], action: str, status: str) -> str:
    """The status `action` leads to from `status`, or a conflict."""
    if action not in machine:
        raise PolicyError.one("action", _("Unknown action “%(a)s”.") % {"a": action})
    sources, target = machine[action]
    if status not in sources:
        raise PolicyError.one(
            "status",
            _("This cannot be done while the status is “%(s)s”.") % {"s": status},
            code="conflict",
        )
    return target
