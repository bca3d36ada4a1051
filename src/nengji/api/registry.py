"""Registry endpoints (`/api/registry/`): enterprises, their figures, designations and
ladder pre-assessments; imports; the ladder, carriers and public aggregates.

The office and leaders read every enterprise; an enterprise's people only their own (another
code is 404, never a hint that it exists); the public only aggregates (cells under 3
enterprises suppressed). Numbers are bounded here (422 naming the field) and again in the
services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from nengji.api.params import In, PlanCode, Year
from nengji.core.errors import DomainError
from nengji.core.roles import Role, role_of
from nengji.plan.selectors import plan_get
from nengji.registry import services
from nengji.registry.models import Designation, DesignationKind, Enterprise
from nengji.registry.selectors import enterprise_facts, enterprise_get, figures_latest
from nengji.registry.selectors.browse import (
    EnterpriseFilter,
    enterprise_search,
    public_counts,
)
from nengji.registry.selectors.ladder import (
    cultivation_pool,
    enterprise_stage,
    ladder_assess,
    ladder_stages,
    stage_get,
)
from nengji.registry.services.imports import registry_import
from nengji.registry.tabular import MAX_BYTES

router = Router()

#: an amount in 万元 as the registry bounds it
Amount = Annotated[Decimal, Field(ge=0, lt=Decimal("1e12"), decimal_places=2, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
Short = Annotated[str, Field(max_length=300)]


def _user(request: HttpRequest) -> Any:
    return getattr(request, "auth", None)


def _read_all(user: Any) -> bool:
    return role_of(user) in (Role.OFFICE, Role.LEADER)


# --- schemas ---------------------------------------------------------------------------------
class DesignationOut(Schema):
    id: int
    kind: str
    issuer: str
    number: str
    board: str
    granted_on: dt.date
    expires_on: dt.date | None
    status: str
    ended_on: dt.date | None
    end_reason: str
    is_demo: bool


class FiguresOut(Schema):
    year: int
    vintage: int
    employees: int | None
    st_staff: int | None
    revenue: Decimal | None
    total_assets: Decimal | None
    total_liabilities: Decimal | None
    rd_domestic: Decimal | None
    rd_foreign: Decimal | None
    high_tech_revenue: Decimal | None
    ip_invention_patents: int | None
    ip_other_class1: int | None
    ip_utility_models: int | None
    ip_designs: int | None
    ip_software: int | None
    equity_financing: Decimal | None
    valuation: Decimal | None
    source: str
    recorded_at: dt.datetime


class EnterpriseOut(Schema):
    uscc: str
    name_zh: str
    name_en: str
    former_names: list[str]
    founded_on: dt.date | None
    registered_address: str
    operating_address: str
    street: str
    industry: str
    carrier: str | None
    stage: str | None
    is_demo: bool

    @staticmethod
    def resolve_carrier(obj: Enterprise) -> str | None:
        return obj.carrier.code if obj.carrier_id and obj.carrier else None

    @staticmethod
    def resolve_stage(obj: Enterprise) -> str | None:
        return getattr(obj, "stage_code", None)


class EnterpriseDetailOut(EnterpriseOut):
    figures: list[FiguresOut]
    designations: list[DesignationOut]

    @staticmethod
    def resolve_figures(obj: Enterprise) -> list[Any]:
        """The latest vintage of each year."""
        return figures_latest(obj)

    @staticmethod
    def resolve_designations(obj: Enterprise) -> list[Any]:
        return list(obj.designations.order_by("-granted_on"))


class EnterprisePage(Schema):
    count: int
    results: list[EnterpriseOut]


class EnterpriseIn(In):
    uscc: Annotated[str, Field(max_length=40)]
    name_zh: Short
    name_en: Short = ""
    former_names: list[Short] = Field(default_factory=list, max_length=20)
    founded_on: dt.date | None = None
    registered_address: Short = ""
    operating_address: Short = ""
    street: Annotated[str, Field(max_length=16)] = ""
    industry: Annotated[str, Field(max_length=8)] = ""
    carrier: Annotated[str, Field(max_length=64)] = ""


class EnterprisePatch(In):
    name_zh: Short | None = None
    name_en: Short | None = None
    former_names: list[Short] | None = Field(default=None, max_length=20)
    founded_on: dt.date | None = None
    registered_address: Short | None = None
    operating_address: Short | None = None
    street: Annotated[str, Field(max_length=16)] | None = None
    industry: Annotated[str, Field(max_length=8)] | None = None
    carrier: Annotated[str, Field(max_length=64)] | None = None


class FiguresIn(In):
    year: Year
    employees: Count | None = None
    st_staff: Count | None = None
    revenue: Amount | None = None
    total_assets: Amount | None = None
    total_liabilities: Amount | None = None
    rd_domestic: Amount | None = None
    rd_foreign: Amount | None = None
    high_tech_revenue: Amount | None = None
    ip_invention_patents: Count | None = None
    ip_other_class1: Count | None = None
    ip_utility_models: Count | None = None
    ip_designs: Count | None = None
    ip_software: Count | None = None
    equity_financing: Amount | None = None
    valuation: Amount | None = None
    note: Annotated[str, Field(max_length=500)] = ""


class DesignationIn(In):
    kind: DesignationKind
    granted_on: dt.date
    expires_on: dt.date | None = None
    issuer: Annotated[str, Field(max_length=200)] = ""
    number: Annotated[str, Field(max_length=64)] = ""
    board: Annotated[str, Field(max_length=32)] = ""
    evidence: Annotated[str, Field(max_length=500)] = ""


class RevokeIn(In):
    on: dt.date
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class ClauseOut(Schema):
    id: str
    status: str
    label: str
    source: str
    fact: str | None
    op: str | None
    required: Any
    value: Any
    words: str
    gap: dict[str, Any] | None
    children: list[ClauseOut]


class AssessmentOut(Schema):
    uscc: str
    stage: str
    year: int
    status: str
    clauses: list[ClauseOut]


class StageOut(Schema):
    code: str
    level: int
    name_zh: str
    name_en: str
    designations: list[str]
    rule: list[dict[str, Any]]


class ImportOut(Schema):
    kind: str
    rows: int
    created: int
    updated: int
    unchanged: int
    figures: int
    designations: int
    dry_run: bool


class CandidateOut(Schema):
    uscc: str
    name_zh: str
    failing: ClauseOut


class CountOut(Schema):
    key: str
    label: str
    count: int | None


class PublicStatsOut(Schema):
    as_of: dt.date
    suppressed_below: int
    by_stage: list[CountOut]
    by_zone: list[CountOut]
    by_industry: list[CountOut]


# --- enterprises -----------------------------------------------------------------------------
def _with_stage(enterprise: Enterprise, plan_code: str | None) -> Enterprise:
    try:
        stage = enterprise_stage(enterprise, plan=plan_get(code=plan_code))
    except DomainError:
        stage = None
    enterprise.stage_code = stage.code if stage else None  # type: ignore[attr-defined]
    return enterprise


@router.get("/enterprises", response=EnterprisePage)
def enterprise_list(
    request: HttpRequest, filters: Query[EnterpriseFilter], plan_code: PlanCode = None
) -> Any:
    """Search and filter (office, leaders); an enterprise's people get their own only."""
    user = _user(request)
    plan = plan_get(code=plan_code)
    page = enterprise_search(plan=plan, filters=filters, user=user)
    return {"count": page.count, "results": page.rows}


@router.get("/enterprises/{uscc}", response=EnterpriseDetailOut)
def enterprise_detail(request: HttpRequest, uscc: str, plan_code: PlanCode = None) -> Any:
    e = enterprise_get(user=_user(request), uscc=uscc)
    return _with_stage(e, plan_code)


@router.post("/enterprises", response={201: EnterpriseOut})
def enterprise_create(
    request: HttpRequest, payload: EnterpriseIn, plan_code: PlanCode = None
) -> Any:
    """Register an enterprise (office)."""
    plan = plan_get(code=plan_code)
    data = payload.dict()
    e = services.enterprise_create(
        district=plan.district, by=_user(request), **{k: v for k, v in data.items()}
    )
    return Status(201, _with_stage(e, plan_code))


@router.patch("/enterprises/{uscc}", response=EnterpriseOut)
def enterprise_update(
    request: HttpRequest, uscc: str, payload: EnterprisePatch, plan_code: PlanCode = None
) -> Any:
    """Change profile fields (office, or the enterprise itself); fields left out stay."""
    user = _user(request)
    e = enterprise_get(user=user, uscc=uscc)
    changes = payload.dict(exclude_unset=True)
    e = services.enterprise_update(enterprise=e, by=user, **changes)
    return _with_stage(e, plan_code)


@router.post("/enterprises/{uscc}/figures", response={201: FiguresOut})
def figures_record(request: HttpRequest, uscc: str, payload: FiguresIn) -> Any:
    """Record a year's figures as the next vintage (fields left out are carried over)."""
    user = _user(request)
    e = enterprise_get(user=user, uscc=uscc)
    data = payload.dict(exclude_unset=True)
    year, note = data.pop("year"), data.pop("note", "")
    source = "enterprise" if role_of(user) == Role.ENTERPRISE else "office"
    return Status(
        201,
        services.figures_record(
            enterprise=e, year=year, values=data, by=user, source=source, note=note
        ),
    )


@router.get("/enterprises/{uscc}/facts", response=dict[str, Any])
def facts(request: HttpRequest, uscc: str, year: Year | None = None) -> Any:
    """The facts rules are evaluated against (docs/registry.md); null: not known."""
    e = enterprise_get(user=_user(request), uscc=uscc)
    return {
        k: (str(v) if isinstance(v, Decimal) else v)
        for k, v in enterprise_facts(e, year=year).items()
    }


@router.get("/enterprises/{uscc}/assess", response=AssessmentOut)
def assess(
    request: HttpRequest,
    uscc: str,
    stage: Annotated[str, Field(max_length=32)],
    year: Year | None = None,
    plan_code: PlanCode = None,
) -> Any:
    """Pre-assess against a ladder stage: each clause pass / fail / unknown, with numbers, the
    gap and the source."""
    e = enterprise_get(user=_user(request), uscc=uscc)
    st = stage_get(plan=plan_get(code=plan_code), code=stage)
    f = enterprise_facts(e, year=year)
    result = ladder_assess(e, stage=st, facts=f)
    return {"uscc": e.uscc, "stage": st.code, "year": f["year"], **result.as_dict()}


@router.post("/enterprises/{uscc}/designations", response={201: DesignationOut})
def designation_grant(request: HttpRequest, uscc: str, payload: DesignationIn) -> Any:
    """Record a designation (office)."""
    user = _user(request)
    e = enterprise_get(user=user, uscc=uscc)
    return Status(201, services.designation_grant(enterprise=e, by=user, **payload.dict()))


@router.post("/designations/{designation_id}/revoke", response=DesignationOut)
def designation_revoke(request: HttpRequest, designation_id: int, payload: RevokeIn) -> Any:
    """Revoke an active designation (office)."""
    user = _user(request)
    d = Designation.objects.filter(pk=designation_id).select_related("enterprise").first()
    if d is None or not _read_all(user):
        from nengji.core.errors import not_found

        raise not_found("designation_id", "no such designation")
    return services.designation_revoke(designation=d, on=payload.on, reason=payload.reason, by=user)


@router.post("/import", response=ImportOut)
def import_file(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Annotated[str, Field(pattern="^(enterprises|designations)$")] = "enterprises",
    dry_run: bool = False,
    plan_code: PlanCode = None,
) -> Any:
    """Import a CSV or .xlsx list (office): all or nothing; errors name row, column and field."""
    if (file.size or 0) > MAX_BYTES:
        raise DomainError.one("file", f"larger than {MAX_BYTES >> 20} MB")
    plan = plan_get(code=plan_code)
    report = registry_import(
        district=plan.district,
        data=file.read(MAX_BYTES + 1),
        filename=file.name or "upload",
        by=_user(request),
        kind=kind,
        dry_run=dry_run,
    )
    return {**report.__dict__, "dry_run": dry_run}


# --- the ladder, the office's pool, public aggregates -----------------------------------------
@router.get("/stages", auth=None, response=list[StageOut])
def stages(request: HttpRequest, plan_code: PlanCode = None) -> Any:
    """The plan's growth ladder with each stage's entry rule (clauses with sources)."""
    return ladder_stages(plan=plan_get(code=plan_code))


@router.get("/pool", response=list[CandidateOut])
def pool(
    request: HttpRequest,
    stage: Annotated[str, Field(max_length=32)],
    year: Year | None = None,
    plan_code: PlanCode = None,
) -> Any:
    """培育库 (office, leaders): enterprises one clause away from a stage, with that clause."""
    if not _read_all(_user(request)):
        from nengji.core.errors import refused

        raise refused("only the office and leaders see the cultivation pool")
    plan = plan_get(code=plan_code)
    out = cultivation_pool(plan=plan, stage=stage_get(plan=plan, code=stage), year=year)
    return [
        {
            "uscc": c.enterprise.uscc,
            "name_zh": c.enterprise.name_zh,
            "failing": c.result.failing[0].as_dict(),
        }
        for c in out
    ]


@router.get("/public/stats", auth=None, response=PublicStatsOut, url_name="registry-public-stats")
def public_stats(request: HttpRequest, plan_code: PlanCode = None) -> Any:
    """Counts by stage, zone and industry section; a count under 3 is suppressed (null)."""
    return public_counts(plan=plan_get(code=plan_code))
