"""What the offline map draws: the boundary, carriers as points sized by their enterprises
(filtered by stage and industry), zones and functional areas for the legend, and the regional
partners' bases. Everything from this server; nothing from a map service."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.urls import reverse
from django.utils import timezone

from nengji.plan.models import Plan
from nengji.registry.models import Area, Carrier, Enterprise, PlanRegistryData
from nengji.registry.selectors.browse import SUPPRESS_BELOW, stage_q
from nengji.registry.selectors.ladder import ladder_stages


def map_payload(
    *, plan: Plan, stage: str = "", industry: str = "", public: bool = True
) -> dict[str, Any]:
    """JSON-ready map data. For the public, a carrier's count under 3 is shown as null."""
    qs = Enterprise.objects.filter(district=plan.district, carrier__isnull=False)
    stages = ladder_stages(plan=plan)
    chosen = next((s for s in stages if s.code == stage), None)
    if chosen is not None:
        qs = qs.filter(stage_q(chosen, stages, timezone.localdate()))
    if industry:
        qs = qs.filter(industry__startswith=industry)
    counts = Counter(qs.values_list("carrier_id", flat=True))
    areas = {(a.kind, a.code): a for a in Area.objects.filter(district=plan.district)}
    list_url = reverse("registry-home")
    carriers = []
    for c in Carrier.objects.filter(district=plan.district, lon__isnull=False, lat__isnull=False):
        n = counts.get(c.pk, 0)
        shown = n if (not public or n >= SUPPRESS_BELOW) else None
        zone = areas.get(("zone", c.zone))
        fa = areas.get(("functional", c.functional_area))
        carriers.append(
            {
                "name": c.name_zh,
                "value": [float(c.lon or 0), float(c.lat or 0), shown],
                "count": shown,
                "kind": c.get_kind_display(),
                "zone": zone.name_zh if zone else "",
                "functional_area": fa.name_zh if fa else "",
                "approximate": c.coords_approximate,
                "demo": c.is_demo,
                "url": (
                    f"{list_url}?carrier={c.code}"
                    + (f"&stage={chosen.code}" if chosen else "")
                    + (f"&industry={industry}" if industry else "")
                    if not public
                    else reverse("registry-carrier", args=[c.code])
                ),
            }
        )
    pm = PlanRegistryData.objects.filter(plan=plan).first()
    return {
        "boundary": pm.boundary if pm else None,
        "partners": (pm.partners if pm else {}) or {},
        "carriers": carriers,
        "zones": [a.name_zh for (k, _c), a in areas.items() if k == "zone"],
        "functional_areas": [a.name_zh for (k, _c), a in areas.items() if k == "functional"],
        "public": public,
    }
