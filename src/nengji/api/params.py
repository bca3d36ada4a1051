"""Query parameters shared by the routers."""

from __future__ import annotations

from typing import Annotated

from ninja import Query

#: `?plan=CODE`: the plan an endpoint reads or writes (default: the only plan loaded, or
#: the configured default; several and none chosen is a 404 naming the choices)
PlanCode = Annotated[
    str | None,
    Query(
        None,
        alias="plan",
        description="Plan code (default: the only plan loaded); see GET /api/plan/plans.",
    ),
]
