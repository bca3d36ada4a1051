"""Amounts in integer 分: how every write path takes them, and how shares are split.

A voucher amount is a whole number of 分, positive and bounded; a fraction of a 分, a negative
amount, a float's binary noise or 1e30 is refused naming the field. Shares of an amount are
rounded half up to the 分 and the parts always add up to the whole.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from nengji.core.numbers import bounded_decimal
from nengji.vouchers.errors import VoucherError

#: 100 亿元 in 分: larger than any programme's budget, far below what a BigIntegerField holds
MAX_FEN = 10**12


def fen(raw: Any, *, field: str, allow_zero: bool = False) -> int:
    """`raw` as a whole, positive number of 分 (zero only when `allow_zero`)."""
    value = bounded_decimal(raw, field=field)
    if value != value.to_integral_value():
        raise VoucherError.one(field, _("Amounts are whole 分 (no fraction of a 分)."))
    if value < 0 or (value == 0 and not allow_zero):
        raise VoucherError.one(field, _("The amount must be positive."))
    if value > MAX_FEN:
        raise VoucherError.one(field, _("The amount is too large."))
    return int(value)


def ratio(raw: Any, *, field: str) -> Decimal:
    """A share between 0 and 1 with at most three places (0.500)."""
    return bounded_decimal(raw, field=field, places=3, minimum=Decimal(0), maximum=Decimal(1))


def share_of(amount_fen: int, share: Decimal) -> int:
    """`share` of `amount_fen`, rounded half up to the 分."""
    return int((Decimal(amount_fen) * share).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def floor_share(amount_fen: int, share: Decimal) -> int:
    """The largest whole 分 not above `share` of `amount_fen` (a coverage cap never rounds up)."""
    return int(Decimal(amount_fen) * share // 1)


def yuan(amount_fen: int) -> str:
    """分 as 元 with two places, for people (never for arithmetic)."""
    sign = "-" if amount_fen < 0 else ""
    whole, cents = divmod(abs(amount_fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"
