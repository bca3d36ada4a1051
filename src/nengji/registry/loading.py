"""Loading the registry's part of a plan package when the plan is loaded (`PlanLoaded`),
inside the plan's loading transaction: all or nothing with the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nengji.plan.events import PlanLoaded
from nengji.plan.models import Plan
from nengji.plan.package import PackageInvalid, read_package
from nengji.registry.models import Area, Carrier, LadderStage, PlanRegistryData, Street
from nengji.registry.package import RegistryPart, registry_part_read

AREA_KINDS = {
    "zones": Area.Kind.ZONE,
    "functional_areas": Area.Kind.FUNCTIONAL,
    "groups": Area.Kind.GROUP,
}


def registry_on_plan_loaded(event: PlanLoaded) -> None:
    plan = Plan.objects.select_related("district").get(pk=event.plan_id)
    package = read_package(Path(event.package_root))
    part, errors = registry_part_read(package)
    if errors:  # parts_check ran before; a file changed in between
        raise PackageInvalid(errors)
    registry_part_load(plan=plan, part=part)


def registry_part_load(*, plan: Plan, part: RegistryPart) -> dict[str, int]:
    """Upsert the package's streets, areas and carriers (of the plan's district) and replace the
    plan's ladder. Returns counts. Carriers added by hand (not in the package) are kept."""
    district = plan.district
    for row in part.streets:
        Street.objects.update_or_create(
            district=district,
            code=row["code"],
            defaults={"name_zh": row["name_zh"], "name_en": row.get("name_en", "")},
        )
    for key, kind in AREA_KINDS.items():
        for order, item in enumerate(part.areas.get(key, [])):
            Area.objects.update_or_create(
                district=district,
                kind=kind,
                code=item["code"],
                defaults={
                    "name_zh": item["name_zh"],
                    "name_en": item.get("name_en", "") or "",
                    "size": item.get("size"),
                    "quote": item.get("quote", ""),
                    "order": order,
                },
            )
    for row in part.carriers:
        carrier_defaults(district=district, row=row, is_demo=False)
    LadderStage.objects.filter(plan=plan).delete()
    LadderStage.objects.bulk_create(
        LadderStage(
            plan=plan,
            code=s["code"],
            level=s["level"],
            order=i,
            name_zh=s["name_zh"],
            name_en=s.get("name_en", "") or "",
            designations=list(s.get("designations") or []),
            rule=list(s.get("rule") or []),
        )
        for i, s in enumerate(part.stages)
    )
    PlanRegistryData.objects.update_or_create(
        plan=plan,
        defaults={
            "boundary": part.boundary,
            "partners": part.partners or {},
            "counts": part.counts,
        },
    )
    return {
        "streets": len(part.streets),
        "carriers": len(part.carriers),
        "stages": len(part.stages),
    }


def carrier_defaults(*, district: Any, row: dict[str, Any], is_demo: bool) -> Carrier:
    carrier, _ = Carrier.objects.update_or_create(
        district=district,
        code=row["code"],
        defaults={
            "name_zh": row["name_zh"],
            "name_en": row.get("name_en", ""),
            "kind": row["kind"],
            "level": row.get("level", ""),
            "group": row.get("group", ""),
            "zone": row.get("zone", ""),
            "functional_area": row.get("functional_area", ""),
            "lon": row.get("lon"),
            "lat": row.get("lat"),
            "coords_approximate": row.get("coords") != "surveyed",
            "area_m2": row.get("area_m2"),
            "operator": row.get("operator", ""),
            "is_demo": is_demo,
        },
    )
    return carrier
