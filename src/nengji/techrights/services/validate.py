"""Input checks every techrights service shares: bounded text, dates, amounts and shares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.errors import DomainError
from nengji.core.numbers import bounded_decimal
from nengji.techrights.errors import TechrightsError

#: the largest amount a register takes (1000 亿元); DecimalField(16, 2) holds it
MAX_AMOUNT = Decimal("100000000000")
EARLIEST = dt.date(1985, 1, 1)  # the first Chinese patent law took effect on 1985-04-01


def text(raw: Any, *, field: str, max_length: int, required: bool = True) -> str:
    value = "" if raw is None else str(raw).strip()
    if required and not value:
        raise TechrightsError.one(field, _("This field is required."))
    if len(value) > max_length:
        raise TechrightsError.one(field, _("At most %(n)s characters.") % {"n": max_length})
    if any(ord(c) < 32 and c not in "\n\t" for c in value):
        raise TechrightsError.one(field, _("Control characters are not allowed."))
    return value


def date(raw: Any, *, field: str, allow_future: bool = False) -> dt.date:
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, str):
        try:
            raw = dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise TechrightsError.one(field, _("Give a date as YYYY-MM-DD.")) from None
    if not isinstance(raw, dt.date):
        raise TechrightsError.one(field, _("Give a date as YYYY-MM-DD."))
    if raw < EARLIEST:
        raise TechrightsError.one(field, _("The date is too early."))
    if not allow_future and raw > timezone.localdate() + dt.timedelta(days=1):
        raise TechrightsError.one(field, _("The date is in the future."))
    if raw > dt.date(2200, 1, 1):
        raise TechrightsError.one(field, _("The date is too late."))
    return raw


def amount(raw: Any, *, field: str, allow_zero: bool = False) -> Decimal:
    try:
        value = bounded_decimal(raw, field=field, places=2, minimum=Decimal(0), max_abs=MAX_AMOUNT)
    except DomainError as exc:
        raise TechrightsError(exc.detail) from None
    if value == 0 and not allow_zero:
        raise TechrightsError.one(field, _("Must be more than zero."))
    return value


def percent(raw: Any, *, field: str) -> Decimal:
    """A share in percent: more than 0, at most 100, at most 4 decimal places."""
    try:
        value = bounded_decimal(
            raw, field=field, places=4, minimum=Decimal(0), maximum=Decimal(100)
        )
    except DomainError as exc:
        raise TechrightsError(exc.detail) from None
    if value == 0:
        raise TechrightsError.one(field, _("Must be more than zero."))
    return value


def choice(raw: Any, *, field: str, choices: Any) -> str:
    if raw not in choices.values:
        raise TechrightsError.one(
            field, _("Choose one of: %(c)s.") % {"c": ", ".join(choices.values)}
        )
    return str(raw)
