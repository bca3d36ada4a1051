"""Writes of the portal: posting, moderating and replying to comments."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record, snapshot
from nengji.core.errors import DomainError, ErrorDetail
from nengji.core.exports import strip_illegal
from nengji.core.roles import require_office
from nengji.plan.models import Indicator, Plan, Section
from nengji.portal.models import Comment

# At most RATE_COUNT comments per client (IP address) in RATE_WINDOW.
RATE_COUNT = 3
RATE_WINDOW = dt.timedelta(minutes=10)
MAX_TEXT = 2000


MODERATION_FIELDS = ("status", "moderated_by", "moderated_at")
REPLY_FIELDS = ("reply", "replied_by", "replied_at")


class PortalError(DomainError):
    """A comment that cannot be taken or a moderation that is refused; nothing changed.

    Too many comments from one client: code ``rate_limited`` with ``retry_after`` seconds.
    """


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
    """Store a public comment, held for moderation (not audited: the public is anonymous, and
    the comment row itself records when and from which client key it came).

    Raises `PortalError` (bad text, or ``rate_limited`` with ``retry_after``).
    """
    text = strip_illegal(text).strip()
    name = strip_illegal(name).strip()[:60]
    if not text or len(text) > MAX_TEXT:
        raise PortalError.one(
            "text", _("Please write a comment of at most %(n)s characters.") % {"n": MAX_TEXT}
        )
    now = timezone.now()
    recent = list(
        Comment.objects.filter(client=client, created_at__gte=now - RATE_WINDOW)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(recent) >= RATE_COUNT:
        wait = recent[-RATE_COUNT] + RATE_WINDOW - now
        raise PortalError(
            [
                ErrorDetail(
                    "__all__",
                    _("Too many comments from this address; please wait before sending another."),
                )
            ],
            code="rate_limited",
            retry_after=max(1, int(wait.total_seconds()) + 1),
        )
    return Comment.objects.create(
        plan=plan,
        section=section,
        indicator=indicator,
        name=name,
        text=text,
        client=client,
        created_at=now,
    )


@transaction.atomic
def comment_moderate(*, comment: Comment, approve: bool, by: Any) -> Comment:
    """Approve (publish) or reject a comment; audited."""
    require_office(by)
    row = Comment.objects.select_for_update().get(pk=comment.pk)
    before = snapshot(row, MODERATION_FIELDS)
    row.status = Comment.Status.APPROVED if approve else Comment.Status.REJECTED
    row.moderated_by = by
    row.moderated_at = timezone.now()
    row.save(update_fields=list(MODERATION_FIELDS))
    audit_record(
        actor=by,
        action="approve" if approve else "reject",
        obj=row,
        label=f"comment {row.pk}",
        before=before,
        after=snapshot(row, MODERATION_FIELDS),
    )
    return row


@transaction.atomic
def comment_reply(*, comment: Comment, text: str, by: Any) -> Comment:
    """Set (or, with empty text, remove) the office's public reply to a comment; audited."""
    require_office(by)
    text = strip_illegal(text).strip()
    if len(text) > MAX_TEXT:
        raise PortalError.one(
            "reply", _("Please write a reply of at most %(n)s characters.") % {"n": MAX_TEXT}
        )
    row = Comment.objects.select_for_update().get(pk=comment.pk)
    before = snapshot(row, REPLY_FIELDS)
    row.reply = text
    row.replied_by = by if text else None
    row.replied_at = timezone.now() if text else None
    row.save(update_fields=list(REPLY_FIELDS))
    audit_record(
        actor=by,
        action="reply",
        obj=row,
        label=f"comment {row.pk}",
        before=before,
        after=snapshot(row, REPLY_FIELDS),
    )
    return row
