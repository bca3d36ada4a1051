"""The registry as an export: one row per enterprise (信用代码, name, stage, active designations),
user text written as text (no formulas)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils import timezone

from nengji.core.exports import cell_text
from nengji.plan.models import Plan
from nengji.registry.models import Enterprise
from nengji.registry.selectors.facts import designation_active_on
from nengji.registry.selectors.ladder import ladder_stages, stage_on

COLUMNS = ("uscc", "name", "stage", "designations", "street", "industry", "carrier", "is_demo")


def registry_export_rows(*, plan: Plan) -> list[dict[str, Any]]:
    stages = ladder_stages(plan=plan)
    today = timezone.localdate()
    rows = []
    qs = (
        Enterprise.objects.filter(district=plan.district)
        .select_related("carrier")
        .prefetch_related("designations")
        .order_by("uscc")
    )
    for e in qs:
        designations = list(e.designations.all())
        stage = stage_on(stages, designations, today)
        rows.append(
            {
                "uscc": e.uscc,
                "name": e.name_zh,
                "stage": stage.code if stage else "",
                "designations": sorted(
                    {d.kind for d in designations if designation_active_on(d, today)}
                ),
                "street": e.street,
                "industry": e.industry,
                "carrier": e.carrier.code if e.carrier else "",
                "is_demo": e.is_demo,
            }
        )
    return rows


def registry_export_csv(*, plan: Plan) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in registry_export_rows(plan=plan):
        writer.writerow(
            [
                row["uscc"],
                cell_text(row["name"]),
                row["stage"],
                ";".join(row["designations"]),
                row["street"],
                row["industry"],
                cell_text(row["carrier"]),
                "1" if row["is_demo"] else "0",
            ]
        )
    return buffer.getvalue()
