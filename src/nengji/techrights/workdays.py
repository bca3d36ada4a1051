"""Working days in China: weekdays, less public holidays, plus the weekend days worked instead
(调休). The calendar is data (`data/cn_public_holidays.csv`), one line per exception; years it
does not cover count weekdays only, and `covered` says which years it knows."""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from pathlib import Path

CALENDAR = Path(__file__).with_name("data") / "cn_public_holidays.csv"


@cache
def exceptions(path: Path = CALENDAR) -> dict[dt.date, bool]:
    """date → True for a weekend day worked, False for a weekday off."""
    out: dict[dt.date, bool] = {}
    with path.open(encoding="utf-8") as fh:
        lines = (line for line in fh if not line.startswith("#"))
        for row in csv.DictReader(lines):
            out[dt.date.fromisoformat(row["date"])] = row["kind"] == "work"
    return out


def covered() -> set[int]:
    return {d.year for d in exceptions()}


def is_workday(day: dt.date) -> bool:
    special = exceptions().get(day)
    if special is not None:
        return special
    return day.weekday() < 5


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The `n`-th working day after `start` (the day of submission not counted)."""
    if n < 0 or n > 3660:
        raise ValueError("n must lie between 0 and 3660")
    day = start
    while n:
        day += dt.timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day
