"""The state of an achievement's rights as of a date: the fold of its register entries.

Pure functions over plain rows, so the services (checking a new entry against the state it
would change) and the selectors (showing the state) use one rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Row:
    """The fields of a `RightEntry` the fold needs."""

    id: int
    seq: int
    kind: str
    effective_on: dt.date
    holder_id: int
    from_holder_id: int | None = None
    share: Decimal | None = None
    exclusive: bool | None = None
    field_of_use: str = ""
    territory: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    amount: Decimal | None = None
    equity: Decimal | None = None
    ends_entry_id: int | None = None

    @classmethod
    def of(cls, entry: Any) -> Row:
        return cls(**{name: getattr(entry, name) for name in cls.__dataclass_fields__})


@dataclass
class State:
    """Owners' shares (organisation id → percent), and the licences and pledges in force."""

    as_of: dt.date
    owners: dict[int, Decimal] = field(default_factory=dict)
    licences: list[Row] = field(default_factory=list)
    pledges: list[Row] = field(default_factory=list)
    investments: list[Row] = field(default_factory=list)


def in_force(row: Row, on: dt.date) -> bool:
    return (row.starts_on is None or row.starts_on <= on) and (
        row.ends_on is None or on <= row.ends_on
    )


def fold(rows: Iterable[Row], as_of: dt.date) -> State:
    """The state on `as_of` (entries effective that day included)."""
    state = State(as_of=as_of)
    ended: set[int] = set()
    licences: list[Row] = []
    pledges: list[Row] = []
    for row in sorted(rows, key=lambda r: r.seq):
        if row.effective_on > as_of:
            break
        if row.kind == "ownership":
            state.owners[row.holder_id] = state.owners.get(row.holder_id, Decimal(0)) + (
                row.share or Decimal(0)
            )
        elif row.kind in ("transfer", "investment"):
            share = row.share or Decimal(0)
            if row.from_holder_id is not None:
                left = state.owners.get(row.from_holder_id, Decimal(0)) - share
                if left > 0:
                    state.owners[row.from_holder_id] = left
                else:
                    state.owners.pop(row.from_holder_id, None)
            state.owners[row.holder_id] = state.owners.get(row.holder_id, Decimal(0)) + share
            if row.kind == "investment":
                state.investments.append(row)
        elif row.kind == "licence":
            licences.append(row)
        elif row.kind == "pledge":
            pledges.append(row)
        elif row.kind == "end" and row.ends_entry_id is not None:
            ended.add(row.ends_entry_id)
    state.licences = [r for r in licences if r.id not in ended and in_force(r, as_of)]
    state.pledges = [r for r in pledges if r.id not in ended and in_force(r, as_of)]
    return state


def scopes_overlap(a: Row, b: Row) -> bool:
    """Two licences cover some common use: same field and territory (an empty one means all),
    and their terms intersect."""

    def same(x: str, y: str) -> bool:
        return not x or not y or x.strip().casefold() == y.strip().casefold()

    if not (same(a.field_of_use, b.field_of_use) and same(a.territory, b.territory)):
        return False
    a_start, b_start = a.starts_on or dt.date.min, b.starts_on or dt.date.min
    a_end, b_end = a.ends_on or dt.date.max, b.ends_on or dt.date.max
    return a_start <= b_end and b_start <= a_end


def licence_conflicts(new: Row, rows: Iterable[Row]) -> list[Row]:
    """The licences already registered (and not ended) that `new` would conflict with: where
    either is exclusive and their scopes overlap."""
    rows = list(rows)
    ended = {r.ends_entry_id: r.effective_on for r in rows if r.kind == "end"}
    found = []
    for r in rows:
        if r.kind != "licence" or not (r.exclusive or new.exclusive):
            continue
        if r.id in ended:  # ended early: in force until the day before the end entry
            last = ended[r.id] - dt.timedelta(days=1)
            r = replace(r, ends_on=min(r.ends_on or dt.date.max, last))
            if r.starts_on is not None and r.ends_on is not None and r.ends_on < r.starts_on:
                continue
        if scopes_overlap(r, new):
            found.append(r)
    return found
