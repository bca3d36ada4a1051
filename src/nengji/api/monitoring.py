"""Monitoring endpoints: targets, rounds, assignments, submissions, publications, audit.

Each endpoint calls one selector or service; permissions are the services' and selectors' own
(a report another department owns is a 404; published observations need no login).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from nengji.api.auth import optional_user
from nengji.api.params import (
    Amount,
    Code,
    In,
    Percent,
    PlanCode,
    Quarter,
    Ratio,
    Text,
    Version,
    Year,
)
from nengji.core import selectors as core_selectors
from nengji.core.models import AuditEntry
from nengji.core.uploads import read_bounded
from nengji.monitoring import selectors, services
from nengji.monitoring.errors import refused
from nengji.monitoring.excel import template_build
from nengji.monitoring.models import (
    Assignment,
    Observation,
    ProposedValue,
    Round,
    Submission,
    Target,
)
from nengji.monitoring.permissions import evidence_readable, submission_can_read
from nengji.monitoring.services.evidence import download_name, read_upload
from nengji.monitoring.services.imports import MAX_WORKBOOK_BYTES
from nengji.monitoring.services.targets import settings_for
from nengji.plan import services as plan_services
from nengji.plan.models import Department, Indicator
from nengji.plan.selectors import plan_get

router = Router()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- schemas ---------------------------------------------------------------------------------
class TargetIn(In):
    target_year: Year
    target_value: Amount
    milestones: dict[str, Amount] = {}
    nature: Code = Target.Nature.EXPECTED
    basis: Text
    version: Version | None = None


class TargetOut(Schema):
    indicator: str
    target_year: int
    target_value: Decimal
    milestones: dict[str, Any]
    nature: str
    basis: str
    set_by: str | None
    set_at: dt.datetime
    is_demo: bool
    version: int

    @staticmethod
    def resolve_indicator(obj: Target) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_set_by(obj: Target) -> str | None:
        return obj.set_by.username if obj.set_by else None


class RoundIn(In):
    year: Year
    quarter: Quarter = 0
    deadline: dt.datetime


class RoundOut(Schema):
    id: int
    year: int
    quarter: int
    label: str
    deadline: dt.datetime
    status: str
    published_at: dt.datetime | None
    is_demo: bool
    version: int


class VersionIn(In):
    version: Version | None = None


class AssignmentIn(In):
    indicator: Code | None = None
    section: Code | None = None
    lead: Code
    supporting: list[Code] = []
    frequency: Code = "annual"
    min_value: Amount | None = None
    max_value: Amount | None = None
    evidence_required: bool = False
    active: bool = True


class KeyProjectIn(In):
    parent: Code
    code: Code
    title_zh: Text
    title_en: Text = ""
    description_zh: Text = ""


class KeyProjectOut(Schema):
    code: str
    parent: str
    title_zh: str
    title_en: str
    description_zh: str
    origin: str
    is_demo: bool

    @staticmethod
    def resolve_parent(obj: Any) -> str:
        return obj.parent.code if obj.parent else ""


class AssignmentOut(Schema):
    id: int
    item_code: str
    kind: str
    lead: str
    supporting: list[str]
    frequency: str
    min_value: Decimal | None
    max_value: Decimal | None
    evidence_required: bool
    active: bool
    is_demo: bool

    @staticmethod
    def resolve_kind(obj: Assignment) -> str:
        return "indicator" if obj.indicator_id else "section"

    @staticmethod
    def resolve_lead(obj: Assignment) -> str:
        return obj.lead.code

    @staticmethod
    def resolve_supporting(obj: Assignment) -> list[str]:
        return [d.code for d in obj.supporting.all()]


class SubmissionOut(Schema):
    id: int
    round: int
    round_label: str
    assignment: int
    item_code: str
    department: str
    sequence: int
    status: str
    value: Decimal | None
    explanation: str
    task_status: str
    percent_complete: int | None
    narrative: str
    milestones: str
    note: str
    review_comment: str
    revision_reason: str
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    evidence: list[str]
    is_demo: bool
    version: int

    @staticmethod
    def resolve_round(obj: Submission) -> int:
        return obj.round_id

    @staticmethod
    def resolve_round_label(obj: Submission) -> str:
        return obj.round.label

    @staticmethod
    def resolve_assignment(obj: Submission) -> int:
        return obj.assignment_id

    @staticmethod
    def resolve_item_code(obj: Submission) -> str:
        return obj.assignment.item_code

    @staticmethod
    def resolve_department(obj: Submission) -> str:
        return obj.department.code

    @staticmethod
    def resolve_evidence(obj: Submission) -> list[str]:
        return [e.original_name for e in obj.evidence.all()]


class SubmissionPatch(In):
    version: Version | None = None
    value: Amount | None = None
    explanation: Text | None = None
    task_status: TaskStatusIn | None = None
    percent_complete: Percent | None = None
    narrative: Text | None = None
    milestones: Text | None = None
    note: Text | None = None


#: a measure's progress status, or "" to clear it (one type, not a union: errors name the field)
TaskStatusIn = Literal["", "not_started", "on_schedule", "lagging", "completed"]


class ReviewIn(In):
    version: Version | None = None
    comment: Text = ""


class ReviseIn(In):
    reason: Text


class ImportOut(Schema):
    updated: int
    submitted: int
    skipped: int = Field(
        0, description="unchanged rows of reports already submitted or approved, left as they are"
    )


class ObservationOut(Schema):
    indicator: str | None
    series: str
    year: int
    quarter: int
    value: Decimal
    vintage: int
    source: str
    source_note: str
    reason: str
    published_at: dt.datetime | None
    is_demo: bool

    @staticmethod
    def resolve_indicator(obj: Observation) -> str | None:
        return obj.indicator.code if obj.indicator is not None else None


class ExternalIn(In):
    indicator: Code | None = None
    series: Code = ""
    year: Year
    quarter: Quarter = 0
    value: Amount
    source_note: Text
    published_on: dt.datetime
    reason: Text = ""


class StatusOut(Schema):
    indicator: str
    method: str
    latest_year: int | None
    latest_value: Decimal | None
    target_year: int | None
    target_value: Decimal | None
    target_source: str | None
    band: str
    evaluation_zh: str
    evaluation_en: str
    ratio: float | None
    actual_growth: float | None
    required_growth: float | None
    projected: float | None
    explanation_zh: str
    explanation_en: str
    is_demo: bool


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_label: str
    before: Any
    after: Any

    @staticmethod
    def resolve_actor(obj: AuditEntry) -> str:
        return obj.actor_label


# --- helpers ---------------------------------------------------------------------------------
def _user(request: HttpRequest) -> Any:
    return getattr(request, "auth", None)


def _submission(request: HttpRequest, pk: int) -> Submission:
    sub = get_object_or_404(
        Submission.objects.select_related(
            "round", "assignment__indicator", "assignment__section", "department"
        ),
        pk=pk,
    )
    if not submission_can_read(_user(request), sub):
        raise Http404
    return sub


def _reload(sub: Submission) -> Submission:
    return Submission.objects.select_related(
        "round", "assignment__indicator", "assignment__section", "department"
    ).get(pk=sub.pk)


# --- targets ---------------------------------------------------------------------------------
@router.get("/targets", auth=None, response=list[TargetOut])
def target_list(request: HttpRequest, plan_code: PlanCode = None) -> Any:
    """Every indicator target the office has set (demo targets are flagged)."""
    return Target.objects.filter(indicator__plan=plan_get(code=plan_code)).select_related(
        "indicator", "set_by"
    )


@router.put("/targets/{indicator_code}", response=TargetOut)
def target_put(
    request: HttpRequest, indicator_code: str, payload: TargetIn, plan_code: PlanCode = None
) -> Target:
    ind = get_object_or_404(Indicator, plan=plan_get(code=plan_code), code=indicator_code)
    return services.target_set(indicator=ind, by=_user(request), **payload.dict())


# --- rounds ----------------------------------------------------------------------------------
@router.get("/rounds", auth=None, response=list[RoundOut])
def round_list(request: HttpRequest, plan_code: PlanCode = None) -> Any:
    """Published rounds for everyone; every round for a logged-in user."""
    user = optional_user(request)
    return selectors.round_list(plan=plan_get(code=plan_code), public=not user.is_authenticated)


@router.post("/rounds", response={201: RoundOut})
def round_create(request: HttpRequest, payload: RoundIn, plan_code: PlanCode = None) -> Status[Any]:
    return Status(
        201, services.round_open(plan=plan_get(code=plan_code), by=_user(request), **payload.dict())
    )


@router.post("/rounds/{round_id}/close", response=RoundOut)
def round_close(request: HttpRequest, round_id: int, payload: VersionIn) -> Round:
    rnd = get_object_or_404(Round, pk=round_id)
    return services.round_close(round=rnd, by=_user(request), version=payload.version)


@router.post("/rounds/{round_id}/publish", response=RoundOut)
def round_publish(request: HttpRequest, round_id: int, payload: VersionIn) -> Round:
    """Publish the round's approved values and task progress; flags the index recompute."""
    rnd = get_object_or_404(Round, pk=round_id)
    return services.round_publish(round=rnd, by=_user(request), version=payload.version)


@router.get("/rounds/{round_id}/submissions", response=list[SubmissionOut])
def round_submissions(request: HttpRequest, round_id: int) -> list[Submission]:
    """The newest version of each report in the round that the caller may see."""
    rnd = get_object_or_404(Round, pk=round_id)
    subs = selectors.round_submissions(round=rnd, user=_user(request))
    return sorted(subs, key=lambda s: s.pk)


@router.get("/rounds/{round_id}/template.xlsx", response={200: None})
def round_template(request: HttpRequest, round_id: int) -> HttpResponse:
    """The caller's department's Excel template for this round."""
    rnd = get_object_or_404(Round, pk=round_id)
    user = _user(request)
    if not (user.is_reporter and user.department_id):
        raise refused("only a department reporter has a template")
    resp = HttpResponse(template_build(round=rnd, department=user.department), content_type=XLSX)
    resp["Content-Disposition"] = (
        f'attachment; filename="nengji-{rnd.pk}-{user.department.code}.xlsx"'
    )
    return resp


@router.post("/rounds/{round_id}/upload", response=ImportOut)
def round_upload(
    request: HttpRequest, round_id: int, file: File[UploadedFile], submit: bool = False
) -> Any:
    """Upload a filled template: every row is applied, or none (errors name sheet/row/column)."""
    rnd = get_object_or_404(Round, pk=round_id)
    user = _user(request)
    if not (user.is_reporter and user.department_id):
        raise refused("only a department reporter uploads a template")
    return services.submissions_import(
        round=rnd,
        department=user.department,
        data=read_bounded(file, limit=MAX_WORKBOOK_BYTES, field="file"),
        by=user,
        submit=submit,
    )


# --- assignments -----------------------------------------------------------------------------
@router.get("/assignments", response=list[AssignmentOut])
def assignment_list(request: HttpRequest, plan_code: PlanCode = None) -> Any:
    """All assignments for the office and leaders; a reporter's department's (led or
    supported) otherwise."""
    user = _user(request)
    qs = (
        Assignment.objects.filter(plan=plan_get(code=plan_code))
        .select_related("indicator", "section", "lead")
        .prefetch_related("supporting")
    )
    if not user.can_read_all:
        qs = qs.filter(
            Q(lead_id=user.department_id) | Q(supporting__id=user.department_id)
        ).distinct()
    return qs


@router.post("/key-projects", response={201: KeyProjectOut})
def key_project_create(
    request: HttpRequest, payload: KeyProjectIn, plan_code: PlanCode = None
) -> Status[Any]:
    """Add a key project (重点项目) under a task or measure (by code); then assign it like a
    measure with PUT /assignments."""
    plan = plan_get(code=plan_code)
    data = payload.dict()
    parent = plan.sections.filter(code=data.pop("parent")).first()
    return Status(
        201, plan_services.key_project_save(plan=plan, parent=parent, by=_user(request), **data)
    )


@router.put("/assignments", response=AssignmentOut)
def assignment_put(
    request: HttpRequest, payload: AssignmentIn, plan_code: PlanCode = None
) -> Assignment:
    """Create or update the assignment of one indicator or one measure (by code)."""
    plan = plan_get(code=plan_code)
    data = payload.dict()
    ind = (
        get_object_or_404(Indicator, plan=plan, code=data.pop("indicator"))
        if payload.indicator
        else None
    )
    sec = get_object_or_404(plan.sections, code=data.pop("section")) if payload.section else None
    data.pop("indicator", None)
    data.pop("section", None)
    lead = get_object_or_404(Department, district_id=plan.district_id, code=data.pop("lead"))
    supporting = list(
        Department.objects.filter(district_id=plan.district_id, code__in=data.pop("supporting"))
    )
    return services.assignment_set(
        plan=plan,
        indicator=ind,
        section=sec,
        lead=lead,
        supporting=supporting,
        by=_user(request),
        **data,
    )


# --- submissions -----------------------------------------------------------------------------
class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    uploaded_at: dt.datetime


@router.post("/submissions/{submission_id}/evidence", response={201: EvidenceOut})
def evidence_upload(request: HttpRequest, submission_id: int, file: File[UploadedFile]) -> Any:
    """Attach an evidence file (PDF, image or Office; checked by content, size-limited)."""
    sub = _submission(request, submission_id)
    ev = services.evidence_add(
        submission=sub, name=file.name or "evidence", data=read_upload(file), by=_user(request)
    )
    return Status(201, ev)


@router.get("/evidence/{evidence_id}", response={200: None})
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    """An evidence file, for those who may read its report (others: 404)."""
    ev = evidence_readable(user=_user(request), pk=evidence_id)
    return FileResponse(
        ev.file.open("rb"),
        as_attachment=True,
        filename=download_name(ev),
        content_type=ev.content_type,
    )


class SubmissionIn(In):
    round: int
    assignment: int


@router.post("/submissions", response={201: SubmissionOut})
def submission_create(request: HttpRequest, payload: SubmissionIn) -> Any:
    """The draft of an assignment made after its round was opened."""
    rnd = get_object_or_404(Round, pk=payload.round)
    assignment = get_object_or_404(Assignment, pk=payload.assignment)
    sub = services.submission_create(round=rnd, assignment=assignment, by=_user(request))
    return Status(201, _reload(sub))


@router.get("/submissions/{submission_id}", response=SubmissionOut)
def submission_get(request: HttpRequest, submission_id: int) -> Submission:
    return _submission(request, submission_id)


@router.patch("/submissions/{submission_id}", response=SubmissionOut)
def submission_patch(request: HttpRequest, submission_id: int, payload: SubmissionPatch) -> Any:
    """Save a draft: only the fields sent change."""
    sub = _submission(request, submission_id)
    values = payload.dict(exclude_unset=True)
    version = values.pop("version", None)
    return _reload(
        services.submission_save(submission=sub, by=_user(request), version=version, **values)
    )


@router.post("/submissions/{submission_id}/submit", response=SubmissionOut)
def submission_submit(request: HttpRequest, submission_id: int, payload: VersionIn) -> Any:
    sub = _submission(request, submission_id)
    return _reload(
        services.submission_submit(submission=sub, by=_user(request), version=payload.version)
    )


@router.post("/submissions/{submission_id}/return", response=SubmissionOut)
def submission_return(request: HttpRequest, submission_id: int, payload: ReviewIn) -> Any:
    sub = _submission(request, submission_id)
    return _reload(
        services.submission_return(
            submission=sub, by=_user(request), version=payload.version, comment=payload.comment
        )
    )


@router.post("/submissions/{submission_id}/approve", response=SubmissionOut)
def submission_approve(request: HttpRequest, submission_id: int, payload: ReviewIn) -> Any:
    sub = _submission(request, submission_id)
    return _reload(
        services.submission_approve(
            submission=sub, by=_user(request), version=payload.version, comment=payload.comment
        )
    )


@router.post("/submissions/{submission_id}/revise", response={201: SubmissionOut})
def submission_revise(request: HttpRequest, submission_id: int, payload: ReviseIn) -> Any:
    """Start a revision of an approved report (a new draft); its approval adds a vintage."""
    sub = _submission(request, submission_id)
    return Status(
        201,
        _reload(
            services.submission_revise(submission=sub, by=_user(request), reason=payload.reason)
        ),
    )


# --- publications ----------------------------------------------------------------------------
@router.get("/observations", auth=None, response=list[ObservationOut])
def observation_list(
    request: HttpRequest, indicator: str | None = None, series: str | None = None
) -> Any:
    """Published official values, every vintage (no login needed)."""
    qs = Observation.objects.filter(published_at__isnull=False).select_related("indicator")
    if indicator:
        qs = qs.filter(indicator__code=indicator)
    if series:
        qs = qs.filter(series=series)
    return qs.order_by("indicator_id", "series", "year", "quarter", "vintage")


@router.post("/observations/external", response={201: ObservationOut})
def observation_external(
    request: HttpRequest, payload: ExternalIn, plan_code: PlanCode = None
) -> Any:
    """Record a figure as an official document published it, as its own vintage."""
    data = payload.dict()
    code = data.pop("indicator")
    ind = get_object_or_404(Indicator, plan=plan_get(code=plan_code), code=code) if code else None
    return Status(
        201, services.observation_record_external(indicator=ind, by=_user(request), **data)
    )


@router.get("/status", auth=None, response=list[StatusOut])
def status_list(request: HttpRequest, plan_code: PlanCode = None) -> list[dict[str, Any]]:
    """On-track assessment of every indicator with a published value, with its numbers."""
    out = []
    for s in selectors.indicator_statuses(plan=plan_get(code=plan_code)):
        if s.latest is None:
            continue
        a = s.assessment
        with translation.override("zh-hans"):
            label_zh = s.band_label
        with translation.override("en"):
            label_en = s.band_label
        out.append(
            {
                "indicator": s.indicator.code,
                "method": s.method,
                "latest_year": s.latest.year,
                "latest_value": s.latest.value,
                "target_year": s.target.year if s.target else None,
                "target_value": s.target.value if s.target else None,
                "target_source": s.target.source if s.target else None,
                "band": s.band.value,
                "evaluation_zh": label_zh,
                "evaluation_en": label_en,
                "ratio": a.ratio if a else None,
                "actual_growth": a.actual_growth if a else None,
                "required_growth": a.required_growth if a else None,
                "projected": a.projected if a else None,
                "explanation_zh": a.explanation_zh if a else "",
                "explanation_en": a.explanation_en if a else "",
                "is_demo": s.is_demo,
            }
        )
    return out


# --- counted figures (proposals) ------------------------------------------------------------
class ProposalOut(Schema):
    id: int
    indicator: str
    year: int
    quarter: int
    value: Decimal
    source: str
    method: str
    as_of: dt.date
    snapshot_sha256: str
    status: str
    decision_note: str
    submission: int | None
    is_demo: bool

    @staticmethod
    def resolve_indicator(obj: ProposedValue) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_submission(obj: ProposedValue) -> int | None:
        return obj.submission_id


class DecisionIn(In):
    reason: str = Field("", max_length=2000)


@router.get("/proposals", response=list[ProposalOut])
def proposal_list(request: HttpRequest, plan_code: PlanCode = None) -> Any:
    """Figures counted by other apps, waiting for (or after) the office's decision."""
    if not _user(request).can_read_all:
        raise refused(_("Only the plan office and leaders see counted figures."))
    return selectors.proposals(plan=plan_get(code=plan_code))


def _proposal(pk: int) -> ProposedValue:
    return get_object_or_404(ProposedValue.objects.select_related("indicator"), pk=pk)


@router.post("/proposals/{proposal_id}/accept", response=ProposalOut)
def proposal_accept(request: HttpRequest, proposal_id: int, payload: DecisionIn) -> Any:
    """Accept a counted figure into the year's report (office); a reason is needed to replace
    a figure the department reported."""
    return services.proposal_accept(
        proposal=_proposal(proposal_id), by=_user(request), reason=payload.reason
    )


@router.post("/proposals/{proposal_id}/reject", response=ProposalOut)
def proposal_reject(request: HttpRequest, proposal_id: int, payload: DecisionIn) -> Any:
    """Reject a counted figure, with the reason (office)."""
    return services.proposal_reject(
        proposal=_proposal(proposal_id), by=_user(request), reason=payload.reason
    )


# --- settings --------------------------------------------------------------------------------
class SettingsOut(Schema):
    on_track_ratio: float
    moderate_ratio: float
    no_target_on_track: float
    no_target_moderate: float
    change_threshold: float


class SettingsIn(In):
    on_track_ratio: Ratio | None = None
    moderate_ratio: Ratio | None = None
    no_target_on_track: Ratio | None = None
    no_target_moderate: Ratio | None = None
    change_threshold: Ratio | None = None


@router.get("/settings", auth=None, response=SettingsOut)
def settings_get(request: HttpRequest, plan_code: PlanCode = None) -> Any:
    """The on-track thresholds and the change-explanation threshold in force."""
    return settings_for(plan_get(code=plan_code))


@router.patch("/settings", response=SettingsOut)
def settings_patch(request: HttpRequest, payload: SettingsIn, plan_code: PlanCode = None) -> Any:
    """Change thresholds (office only); only the fields sent change."""
    return services.settings_update(
        plan=plan_get(code=plan_code), by=_user(request), **payload.dict(exclude_unset=True)
    )


class ProgressOut(Schema):
    code: str
    kind: str
    title_zh: str
    status: str
    percent: float | None
    narrative: str
    rolled_up: bool
    is_demo: bool
    children: list[ProgressOut]


def _progress(node: selectors.ProgressNode) -> dict[str, Any]:
    return {
        "code": node.section.code,
        "kind": node.section.kind,
        "title_zh": node.section.title_zh,
        "status": node.status,
        "percent": node.percent,
        "narrative": node.narrative,
        "rolled_up": node.submission is None,
        "is_demo": node.is_demo,
        "children": [_progress(c) for c in node.children],
    }


@router.get("/progress", auth=None, response=list[ProgressOut])
def progress_tree(request: HttpRequest, plan_code: PlanCode = None) -> list[dict[str, Any]]:
    """Published task progress: areas → tasks → measures, rolled up where not reported."""
    return [_progress(n) for n in selectors.task_progress(plan=plan_get(code=plan_code))]


# --- audit -----------------------------------------------------------------------------------
@router.get("/audit", response=list[AuditOut])
def audit_list(
    request: HttpRequest,
    object_type: str = "",
    object_id: str = "",
    action: str = "",
    actor: str = "",
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> Any:
    """The audit log, newest first (office only)."""
    if not _user(request).is_office:
        raise refused("only the plan office reads the audit log")
    return core_selectors.audit_list(
        object_type=object_type, object_id=object_id, action=action, actor=actor
    )[:limit]
