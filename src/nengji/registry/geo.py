"""Plane geometry on the district's boundary (GeoJSON, GCJ-02 degrees): enough to tell whether
a point lies inside, for the demo's positions and for a carrier's own position."""

from __future__ import annotations

import itertools
from typing import Any


def point_inside(lon: float, lat: float, boundary: dict[str, Any] | None) -> bool:
    """Ray casting over the boundary's polygons (outer rings); True when there is no
    boundary to check against."""
    if not boundary:
        return True
    for feature in boundary.get("features", []):
        geom = feature.get("geometry") or {}
        polys = geom.get("coordinates", [])
        if geom.get("type") == "Polygon":
            polys = [polys]
        for poly in polys:
            ring = poly[0]
            inside = False
            for (x1, y1), (x2, y2) in itertools.pairwise(ring):
                if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
                    inside = not inside
            if inside:
                return True
    return False
