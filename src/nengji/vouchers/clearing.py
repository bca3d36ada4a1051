"""Clearing between regions, computed from the append-only clearing entries of a period.

Gross flows are what each region owes each other for the period's payments (and corrections);
the two directions of a pair net into one amount owed by one of them; a region's net position is
what others owe it less what it owes others. The net positions of all regions sum to zero, by
construction, and every report checks that they do.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum

from nengji.core.models import Organisation
from nengji.vouchers.models import ClearingEntry, ClearingPeriod, Programme


@dataclass
class ClearingReport:
    period: str
    state: str
    regions: dict[int, Organisation]
    gross: dict[tuple[int, int], int]  # (debtor, creditor) → 分
    owed: dict[int, int] = field(default_factory=dict)
    due: dict[int, int] = field(default_factory=dict)

    @property
    def net_pairs(self) -> list[tuple[int, int, int]]:
        """(debtor, creditor, 分) with one positive amount per pair of regions that owe."""
        out = []
        pairs = {tuple(sorted(k)) for k in self.gross}
        for a, b in sorted(pairs):
            n = self.gross.get((a, b), 0) - self.gross.get((b, a), 0)
            if n > 0:
                out.append((a, b, n))
            elif n < 0:
                out.append((b, a, -n))
        return out

    def net(self, region_id: int) -> int:
        return self.due.get(region_id, 0) - self.owed.get(region_id, 0)

    @property
    def balanced(self) -> bool:
        return sum(self.net(r) for r in self.regions) == 0

    def as_json(self) -> dict[str, Any]:
        code = {r: o.code for r, o in self.regions.items()}
        return {
            "period": self.period,
            "state": self.state,
            "currency": "CNY",
            "unit": "fen",
            "gross": [
                {"debtor": code[d], "creditor": code[c], "amount_fen": a}
                for (d, c), a in sorted(self.gross.items())
            ],
            "net_pairs": [
                {"debtor": code[d], "creditor": code[c], "amount_fen": a}
                for d, c, a in self.net_pairs
            ],
            "positions": [
                {
                    "region": code[r],
                    "name": o.name_zh,
                    "owed_fen": self.owed.get(r, 0),
                    "due_fen": self.due.get(r, 0),
                    "net_fen": self.net(r),
                }
                for r, o in sorted(self.regions.items(), key=lambda x: x[1].code)
            ],
            "balanced": self.balanced,
        }


def clearing_report(*, period: ClearingPeriod) -> ClearingReport:
    """Gross flows, net pairs and positions of a period: one grouped query over its entries."""
    rows = (
        ClearingEntry.objects.filter(period=period)
        .values("debtor_id", "creditor_id")
        .annotate(total=Sum("amount_fen"))
        .order_by()
    )
    gross: dict[tuple[int, int], int] = {}
    owed: dict[int, int] = defaultdict(int)
    due: dict[int, int] = defaultdict(int)
    for r in rows:
        amount = int(r["total"])
        if amount == 0:
            continue
        gross[(r["debtor_id"], r["creditor_id"])] = amount
        owed[r["debtor_id"]] += amount
        due[r["creditor_id"]] += amount
    region_ids = (
        set(owed)
        | set(due)
        | set(
            Programme.objects.filter(year=period.starts_on.year).values_list("region_id", flat=True)
        )
    )
    regions = Organisation.objects.in_bulk(region_ids)
    return ClearingReport(
        period=period.code,
        state=period.state,
        regions=regions,
        gross=gross,
        owed=dict(owed),
        due=dict(due),
    )
