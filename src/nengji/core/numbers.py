"""Numbers as every write path accepts them: exact decimals, finite, bounded, with a bounded
number of places. One validator for the API, the services, forms and imports alike, so a
hostile value (1e30, NaN, 0.1234567) is refused where it is written, naming the field."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from nengji.core.errors import DomainError

#: what a DecimalField(max_digits=20, decimal_places=6) holds with room to spare
MAX_ABS = Decimal("1e14")
PLACES = 6


def bounded_decimal(
    raw: Any,
    *,
    field: str,
    places: int = PLACES,
    max_abs: Decimal = MAX_ABS,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
) -> Decimal:
    """`raw` as a Decimal, or a `DomainError` naming `field` and what is wrong.

    Refused: booleans, non-numbers, NaN and infinities, |x| ≥ `max_abs`, more than `places`
    decimal places, values below `minimum` or above `maximum`. Floats are taken by their
    shortest repr (0.1 → Decimal("0.1")), never by their binary expansion.
    """
    if isinstance(raw, bool) or raw is None:
        raise DomainError.one(field, _("Must be a number."))
    try:
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise DomainError.one(field, _("“%(raw)s” is not a number.") % {"raw": raw}) from None
    if not value.is_finite():
        raise DomainError.one(field, _("Must be a finite number."))
    if abs(value) >= max_abs:
        raise DomainError.one(field, _("The number is too large."))
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise DomainError.one(field, _("At most %(n)s decimal places.") % {"n": places})
    if minimum is not None and value < minimum:
        raise DomainError.one(field, _("Must be at least %(n)s.") % {"n": minimum})
    if maximum is not None and value > maximum:
        raise DomainError.one(field, _("Must be at most %(n)s.") % {"n": maximum})
    return value
