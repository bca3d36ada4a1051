"""Values every page needs: the user's role, the plans loaded and the one shown."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from nengji.core.errors import DomainError
from nengji.core.nav import nav_items
from nengji.plan.models import Plan
from nengji.plan.selectors import plan_list, plan_of


def waiting_counts(role: str | None) -> dict[str, int]:
    """What waits for the plan office, by menu entry: reports to review, comments to moderate."""
    if role != "office":
        return {}
    from nengji.monitoring.models import Submission
    from nengji.portal.models import Comment

    return {
        reverse("monitoring-home"): Submission.objects.filter(
            status=Submission.Status.SUBMITTED
        ).count(),
        reverse("portal-moderation"): Comment.objects.filter(status=Comment.Status.PENDING).count(),
    }


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
        "nav_counts": SimpleLazyObject(lambda: waiting_counts(role)),
        "nengji_role": role,
        "nav": SimpleLazyObject(lambda: nav_items(user)),
        "plans": plans,
        "current_plan": SimpleLazyObject(current),
    }
