"""Values every page needs: the user's role, the plans loaded and the one shown."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from nengji.core.errors import DomainError
from nengji.core.nav import nav_items
from nengji.plan.models import Plan
from nengji.plan.selectors import plan_list, plan_of


def site(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    plans = SimpleLazyObject(lambda: list(plan_list()))

    def current() -> Plan | None:
        try:
            return plan_of(request) if plans else None
        except DomainError:
            return None

    # lazy: pages that do not show them (the API docs, error pages) cost no query
    return {
        "nengji_role": role,
        "nav": SimpleLazyObject(lambda: nav_items(user)),
        "plans": plans,
        "current_plan": SimpleLazyObject(current),
    }
