"""The plan's indicators the registry can count, counted at year end and proposed to
monitoring (never written over a report): what was counted, as of when, and the SHA-256 of
the sorted list of what was counted, so the office can check the figure and a recount of the
same registry gives the same hash."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from nengji.monitoring.services import value_propose
from nengji.plan.models import Indicator, Plan
from nengji.registry.models import Carrier, Designation, PlanRegistryData
from nengji.registry.services.access import require_office

SOURCE = "registry"


@dataclass(frozen=True)
class Count:
    indicator: str
    year: int
    value: int
    as_of: dt.date
    method: str
    query: dict[str, Any]
    sha256: str
    demo_rows: int


def _hash(year: int, rule: dict[str, Any], keys: list[str]) -> str:
    text = f"{year}|{sorted(rule.items())}|" + "\n".join(sorted(keys))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def registry_counts(*, plan: Plan, year: int) -> list[Count]:
    """Each count of the plan's ``registry/indicators.yaml`` as of 31 December of `year`."""
    data = PlanRegistryData.objects.filter(plan=plan).first()
    day = dt.date(year, 12, 31)
    out = []
    for rule in (data.counts if data else []) or []:
        query = {k: v for k, v in rule.items() if k not in ("indicator", "method")}
        if "designation" in rule:
            qs = Designation.objects.filter(
                enterprise__district=plan.district, kind=rule["designation"], granted_on__lte=day
            )
            if not rule.get("cumulative"):
                qs = qs.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day)).filter(
                    Q(status=Designation.Status.ACTIVE) | Q(ended_on__gt=day)
                )
            rows = list(qs.values_list("enterprise__uscc", "enterprise__is_demo").distinct())
            keys = sorted({code for code, _demo in rows})
            demo = len({code for code, is_demo in rows if is_demo})
        else:
            spec = rule["carriers"]
            cq = Carrier.objects.filter(district=plan.district, kind=spec["kind"])
            if spec.get("level"):
                cq = cq.filter(level=spec["level"])
            pairs = list(cq.values_list("code", "is_demo"))
            keys = sorted(code for code, _demo in pairs)
            demo = sum(1 for _code, is_demo in pairs if is_demo)
        out.append(
            Count(
                indicator=rule["indicator"],
                year=year,
                value=len(keys),
                as_of=day,
                method=str(rule["method"]),
                query=query,
                sha256=_hash(year, query, keys),
                demo_rows=demo,
            )
        )
    return out


@transaction.atomic
def registry_counts_propose(*, plan: Plan, year: int, by: Any) -> list[Any]:
    """Propose each year-end count to monitoring (the office accepts or rejects it there).
    Proposing an unchanged count again changes nothing."""
    require_office(by)
    indicators = {i.code: i for i in Indicator.objects.filter(plan=plan)}
    proposals = []
    for c in registry_counts(plan=plan, year=year):
        indicator = indicators.get(c.indicator)
        if indicator is None:
            continue
        proposals.append(
            value_propose(
                plan=plan,
                indicator=indicator,
                year=year,
                value=c.value,
                source=SOURCE,
                method=c.method,
                as_of=c.as_of,
                snapshot_sha256=c.sha256,
                provenance={"query": c.query, "counted": c.value, "demo_rows": c.demo_rows},
                by=by if getattr(by, "is_authenticated", False) else None,
                is_demo=c.demo_rows > 0,
            )
        )
    return proposals
