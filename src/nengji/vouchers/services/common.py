"""What every voucher service shares: locking a row, taking a declared transition, today."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from nengji.vouchers.errors import VoucherError

M = TypeVar("M", bound=models.Model)


def locked(obj: M) -> M:
    """The row again, locked until the transaction ends (``SELECT … FOR UPDATE``): two people
    acting on it at once are served one after the other, the second seeing the first's change."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def take(obj: Any, transition: str) -> str:
    """Take the named transition of the row's state machine; a conflict if its state does not
    allow it (someone else acted first). Returns the state before."""
    before = str(obj.state)
    try:
        getattr(obj, transition)()
    except TransitionNotAllowed:
        raise VoucherError.one(
            "state",
            _("This is already “%(state)s”: someone acted on it first; reload the page.")
            % {"state": obj.get_state_display()},
            code="conflict",
        ) from None
    return before


def today_or(day: dt.date | None) -> dt.date:
    return day or timezone.localdate()


def text(raw: Any, *, field: str, max_length: int, required: bool = True) -> str:
    """A bounded, stripped text field."""
    value = "" if raw is None else str(raw).strip()
    if required and not value:
        raise VoucherError.one(field, _("This field is required."))
    if len(value) > max_length:
        raise VoucherError.one(field, _("At most %(n)s characters.") % {"n": max_length})
    return value
