"""Writes of the portal: posting, moderating and replying to comments."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from nengji.plan.models import Indicator, Plan, Section
from nengji.portal.models import Comment

# At most RATE_COUNT comments per client (IP address) in RATE_WINDOW.
RATE_COUNT = 3
RATE_WINDOW = dt.timedelta(minutes=10)
MAX_TEXT = 2000


@dataclass
class RateLimitedError(Exception):
    """Too many comments from this client; ``retry_after`` seconds until the next is allowed."""

    retry_after: int


def client_key(ip: str) -> str:
    """A keyed hash of the client address: enough to rate-limit, not stored in the clear."""
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, ip.encode("utf-8"), hashlib.sha256).hexdigest()


@transaction.atomic
def comment_post(
    *,
    plan: Plan,
    text: str,
    client: str,
    name: str = "",
    section: Section | None = None,
    indicator: Indicator | None = None,
) -> Comment:
    """Store a public comment, held for moderation.

    Raises `RateLimitedError` (too many from this client) or `ValidationError`.
    """
    text = text.strip()
    name = name.strip()[:60]
    if not text:
        raise ValidationError({"text": "empty"})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": "too long"})
    now = timezone.now()
    recent = list(
        Comment.objects.filter(client=client, created_at__gte=now - RATE_WINDOW)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(recent) >= RATE_COUNT:
        wait = recent[-RATE_COUNT] + RATE_WINDOW - now
        raise RateLimitedError(retry_after=max(1, int(wait.total_seconds()) + 1))
    return Comment.objects.create(
        plan=plan,
        section=section,
        indicator=indicator,
        name=name,
        text=text,
        client=client,
        created_at=now,
    )


def _require_office(user: Any) -> None:
    if not getattr(user, "is_office", False):
        raise PermissionDenied("only the plan office moderates comments")


@transaction.atomic
def comment_moderate(*, comment: Comment, approve: bool, by: Any) -> Comment:
    _require_office(by)
    comment.status = Comment.Status.APPROVED if approve else Comment.Status.REJECTED
    comment.moderated_by = by
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["status", "moderated_by", "moderated_at"])
    return comment


@transaction.atomic
def comment_reply(*, comment: Comment, text: str, by: Any) -> Comment:
    _require_office(by)
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise ValidationError({"reply": "too long"})
    comment.reply = text
    comment.replied_by = by if text else None
    comment.replied_at = timezone.now() if text else None
    comment.save(update_fields=["reply", "replied_by", "replied_at"])
    return comment
