"""Clearing periods: quarters by default, code ``2025Q1``."""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from nengji.vouchers.errors import VoucherError
from nengji.vouchers.models import ClearingPeriod

CODE = re.compile(r"^(\d{4})Q([1-4])$")


def period_bounds(code: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the quarter ``YYYYQn``; an error naming ``period`` if the
    code is not one."""
    m = CODE.match(code or "")
    if not m or not 2000 <= int(m[1]) <= 2100:
        raise VoucherError.one("period", _("A period is written like 2025Q1."))
    year, q = int(m[1]), int(m[2])
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def period_code(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def period_open_for(day: dt.date, *, field: str, is_demo: bool = False) -> ClearingPeriod:
    """The period a day falls in, created open when first needed, locked; an error naming
    `field` if it is closed (a closed period never changes)."""
    code = period_code(day)
    start, end = period_bounds(code)
    try:
        with transaction.atomic():
            ClearingPeriod.objects.get_or_create(
                code=code, defaults={"starts_on": start, "ends_on": end, "is_demo": is_demo}
            )
    except IntegrityError:
        pass  # created by a concurrent payment a moment ago
    period = ClearingPeriod.objects.select_for_update().get(code=code)
    if period.state != ClearingPeriod.State.OPEN:
        raise VoucherError.one(
            field,
            _("The clearing period %(p)s is closed; corrections go into the current period.")
            % {"p": code},
        )
    return period
