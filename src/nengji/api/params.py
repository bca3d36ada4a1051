"""Parameters and field types shared by the routers.

Every request schema derives from `In` (unknown fields are refused, not silently dropped) and
types its numbers with `Amount`, `Year`, `Quarter`, `Percent`, `Ratio` or `Limit`: bounds that
appear in the OpenAPI schema, refused with 422 naming the field before any service runs. The
services apply the same bounds again (`nengji.core.numbers.bounded_decimal`) for their other
callers (pages, Excel, the CLI, other apps).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from ninja import Field, Query, Schema
from pydantic import ConfigDict

from nengji.core.numbers import MAX_ABS, PLACES

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


class In(Schema):
    """A request body: a JSON object with only the fields the schema names."""

    model_config = ConfigDict(extra="forbid")


#: a number a user writes: finite, |x| < 1e14, at most 6 decimal places (core.numbers)
Amount = Annotated[
    Decimal,
    Field(gt=-MAX_ABS, lt=MAX_ABS, decimal_places=PLACES, allow_inf_nan=False),
]
#: a calendar year a plan can speak of
Year = Annotated[int, Field(ge=1949, le=2100)]
#: 0 for a whole year, 1–4 for a quarter
Quarter = Annotated[int, Field(ge=0, le=4)]
#: a whole percentage
Percent = Annotated[int, Field(ge=0, le=100)]
#: a positive finite ratio or threshold (settings)
Ratio = Annotated[float, Field(gt=0, lt=1000, allow_inf_nan=False)]
#: a version counter sent back for optimistic locking
Version = Annotated[int, Field(ge=0, le=2**31)]
#: free text a user writes into one field
Text = Annotated[str, Field(max_length=10_000)]
#: a short label or code
Code = Annotated[str, Field(max_length=200)]
