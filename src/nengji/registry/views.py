"""Registry pages: thin views over `selectors` and `services`.

The office and leaders see every enterprise; an enterprise's people see only their own (any
other code is a 404); the public sees aggregates with cells under 3 suppressed and the map."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError

from nengji.core.errors import DomainError
from nengji.core.roles import Role, role_of
from nengji.core.uploads import read_bounded
from nengji.plan.selectors import plan_of
from nengji.registry import services
from nengji.registry.facts import fact_spec
from nengji.registry.models import Area, Carrier, DesignationKind, Enterprise, Street
from nengji.registry.selectors import enterprise_get, figures_latest
from nengji.registry.selectors.browse import (
    SUPPRESS_BELOW,
    EnterpriseFilter,
    enterprise_search,
    public_counts,
)
from nengji.registry.selectors.facts import enterprise_facts
from nengji.registry.selectors.ladder import (
    LadderReading,
    ladder_assess,
    ladder_stages,
    next_stages,
    stage_get,
    stage_history,
    stage_on,
)
from nengji.registry.selectors.mapdata import map_payload
from nengji.registry.services.carriers import CARRIER_FIELDS, carrier_can_edit
from nengji.registry.services.figures import FIGURE_FIELDS
from nengji.registry.services.staging import registry_import_confirm, registry_import_stage
from nengji.registry.tabular import MAX_BYTES


def _reads_all(request: HttpRequest) -> bool:
    return role_of(request.user) in (Role.OFFICE, Role.LEADER)


@login_required
def registry_home(request: HttpRequest) -> HttpResponse:
    """The office's search and filter; an enterprise's person goes to its own page."""
    plan = plan_of(request)
    if role_of(request.user) == Role.ENTERPRISE:
        own = Enterprise.objects.filter(
            organisation_id=getattr(request.user, "organisation_id", None) or -1
        ).first()
        if own is None:
            raise Http404
        return redirect("registry-enterprise", uscc=own.uscc)
    own_carrier = None
    if role_of(request.user) == Role.CARRIER:
        own_carrier = Carrier.objects.filter(
            district=plan.district,
            organisation_id=getattr(request.user, "organisation_id", None) or -1,
        ).first()
        if own_carrier is None:
            raise PermissionDenied
    elif not _reads_all(request):
        raise PermissionDenied
    try:
        filters = EnterpriseFilter.model_validate(
            {k: v for k, v in request.GET.items() if k in EnterpriseFilter.model_fields and v != ""}
        )
    except ValidationError:
        filters = EnterpriseFilter.model_validate({})
    page = enterprise_search(plan=plan, filters=filters, user=request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/home.html",
        {
            "plan": plan,
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "stages": ladder_stages(plan=plan),
            "kinds": DesignationKind.choices,
            "streets": Street.objects.filter(district=plan.district),
            "carriers": Carrier.objects.filter(district=plan.district),
            "zones": Area.objects.filter(district=plan.district, kind=Area.Kind.ZONE),
            "areas": Area.objects.filter(district=plan.district, kind=Area.Kind.FUNCTIONAL),
            "expiring": _expiring() if own_carrier is None else [],
            "own_carrier": own_carrier,
        },
    )


def _expiring() -> list[Any]:
    from nengji.registry.selectors import designations_expiring

    return designations_expiring()[:20]


def _figure_rows() -> tuple[tuple[str, str], ...]:
    """The figures' labels, in the request's language (built per request: at import time
    the language is not yet known)."""
    return (
        ("employees", _("employees")),
        ("st_staff", _("S&T staff")),
        ("revenue", _("revenue (10k yuan)")),
        ("total_assets", _("total assets (10k yuan)")),
        ("total_liabilities", _("total liabilities (10k yuan)")),
        ("rd_domestic", _("R&D spend in China (10k yuan)")),
        ("rd_foreign", _("R&D spend abroad (10k yuan)")),
        ("high_tech_revenue", _("high-tech product revenue (10k yuan)")),
        ("ip_invention_patents", _("invention patents (class I)")),
        ("ip_other_class1", _("other class I IP (IC layouts, plant varieties, new drugs)")),
        ("ip_utility_models", _("utility models (class II)")),
        ("ip_designs", _("designs (class II)")),
        ("ip_software", _("software copyrights (class II)")),
        ("equity_financing", _("equity financing in the year (10k yuan)")),
        ("valuation", _("valuation (10k yuan)")),
    )


@login_required
def enterprise_view(request: HttpRequest, uscc: str) -> HttpResponse:
    """Profile, figures over time, designations, ladder position and the next stage's clauses;
    the form to record a year's figures (the office, or the enterprise itself)."""
    plan = plan_of(request)
    try:
        enterprise = enterprise_get(user=request.user, uscc=uscc)
    except DomainError:
        raise Http404 from None
    errors: dict[str, list[str]] = {}
    posted: dict[str, str] = {}
    if request.method == "POST":
        posted = {k: request.POST.get(k, "").strip() for k in ("year", *FIGURE_FIELDS)}
        values = {k: v for k, v in posted.items() if k != "year" and v != ""}
        source = "enterprise" if role_of(request.user) == Role.ENTERPRISE else "office"
        try:
            services.figures_record(
                enterprise=enterprise,
                year=posted["year"],
                values=values,
                by=request.user,
                source=source,
            )
        except DomainError as exc:
            if exc.code == "not_found":
                raise Http404 from None
            if exc.code == "permission":
                raise PermissionDenied from None
            errors = exc.by_field()
        else:
            messages.success(request, _("The figures were recorded as a new vintage."))
            return redirect("registry-enterprise", uscc=enterprise.uscc)
    figures = figures_latest(enterprise)
    rows = _figure_rows()
    stages = ladder_stages(plan=plan)
    designations = list(enterprise.designations.order_by("-granted_on"))
    current = stage_on(stages, designations, timezone.localdate())
    facts = enterprise_facts(enterprise)
    targets = next_stages(stages, current) if current else stages[:1]
    assessments = [(s, ladder_assess(enterprise, stage=s, facts=facts)) for s in targets]
    year_choice = request.GET.get("stage")
    if year_choice and any(s.code == year_choice for s in stages):
        chosen = stage_get(plan=plan, code=year_choice)
        if chosen not in targets:
            assessments.append((chosen, ladder_assess(enterprise, stage=chosen, facts=facts)))
    can_edit = role_of(request.user) == Role.OFFICE or (
        role_of(request.user) == Role.ENTERPRISE
        and enterprise.organisation_id == getattr(request.user, "organisation_id", None)
    )
    fact_rows = [
        (fact_spec(k).label, v, fact_spec(k).unit)
        for k, v in facts.items()
        if not k.startswith("has_")
        and k not in ("designations", "industry", "street", "industry_section")
    ]
    return render(
        request,
        "registry/enterprise.html",
        {
            "plan": plan,
            "e": enterprise,
            "figures": figures,
            "figure_rows": [(k, label, [getattr(f, k) for f in figures]) for k, label in rows],
            "designations": designations,
            "stage": current,
            "history": stage_history(enterprise, plan=plan),
            "assessments": assessments,
            "stages": stages,
            "facts": fact_rows,
            "facts_year": facts["year"],
            "can_edit": can_edit,
            "errors": errors,
            "posted": posted,
            "form_rows": [(k, label, posted.get(k, "")) for k, label in rows],
            "this_year": timezone.localdate().year,
        },
    )


@login_required
def ladder_view(request: HttpRequest) -> HttpResponse:
    """Funnel, cohorts and the 培育库 of a stage (office, leaders), from one reading of the
    district's designations (a bounded number of queries, whatever the registry's size)."""
    if not _reads_all(request):
        raise PermissionDenied
    plan = plan_of(request)
    reading = LadderReading(plan=plan)
    stages = reading.stages
    code = request.GET.get("stage") or (stages[3].code if len(stages) > 3 else "")
    stage = next((s for s in stages if s.code == code), None)
    this_year = timezone.localdate().year
    try:
        cohort_year = int(request.GET.get("year", this_year - 3))
    except ValueError:
        cohort_year = this_year - 3
    cohort_year = max(2000, min(this_year, cohort_year))
    return render(
        request,
        "registry/ladder.html",
        {
            "plan": plan,
            "stages": stages,
            "stage": stage,
            "funnel": reading.funnel(timezone.localdate()),
            "cohorts": reading.cohorts(stages[:-3], year=cohort_year, within=3),
            "cohort_year": cohort_year,
            "years": list(range(this_year - 8, this_year + 1)),
            "pool": reading.pool(stage, limit=200) if stage else [],
        },
    )


def _import_kinds() -> tuple[tuple[str, str], ...]:
    return (
        ("enterprises", _("Enterprises (profile and a year's figures)")),
        ("designations", _("Designations (certificate lists)")),
    )


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    """The office's upload: the file is checked (a dry run; errors with row, column and
    field) and what it would do is shown; “Import” then imports that same file, all or
    nothing (`services.staging`)."""
    if role_of(request.user) != Role.OFFICE:
        raise PermissionDenied
    plan = plan_of(request)
    context: dict[str, Any] = {"plan": plan, "kinds": _import_kinds(), "max_mb": MAX_BYTES >> 20}
    if request.method == "POST":
        kind = request.POST.get("kind", "enterprises")
        context["kind"] = kind
        try:
            if request.POST.get("token"):
                report = registry_import_confirm(
                    district=plan.district, token=request.POST["token"], by=request.user
                )
                messages.success(
                    request,
                    _(
                        "Imported %(rows)s rows: %(created)s enterprises created, %(updated)s "
                        "updated, %(figures)s years of figures, %(designations)s designations."
                    )
                    % report.__dict__,
                )
                return redirect("registry-home")
            upload = request.FILES.get("file")
            if upload is None:
                raise DomainError.one("file", _("Choose a CSV or .xlsx file."))
            if kind not in dict(_import_kinds()):
                raise DomainError.one("kind", _("enterprises or designations"))
            data = read_bounded(upload, limit=MAX_BYTES, field="file")
            context["staged"] = registry_import_stage(
                district=plan.district,
                data=data,
                filename=upload.name or "upload",
                kind=kind,
                by=request.user,
            )
        except DomainError as exc:
            context["errors"] = exc.detail
    return render(request, "registry/import.html", context)


def _counts_by_carrier(plan: Any) -> Counter[int]:
    return Counter(
        Enterprise.objects.filter(district=plan.district, carrier__isnull=False).values_list(
            "carrier_id", flat=True
        )
    )


def carriers_view(request: HttpRequest) -> HttpResponse:
    """Carriers with their structure group, zone and enterprise count (public: small counts
    suppressed)."""
    plan = plan_of(request)
    counts = _counts_by_carrier(plan)
    public = not _reads_all(request)
    rows = [
        (c, counts.get(c.pk, 0) if not public or counts.get(c.pk, 0) >= SUPPRESS_BELOW else None)
        for c in Carrier.objects.filter(district=plan.district).order_by("group", "code")
    ]
    areas = {(a.kind, a.code): a for a in Area.objects.filter(district=plan.district)}
    return render(
        request,
        "registry/carriers.html",
        {
            "plan": plan,
            "rows": rows,
            "areas": areas,
            "groups": Area.objects.filter(district=plan.district, kind=Area.Kind.GROUP),
            "public": public,
        },
    )


def carrier_view(request: HttpRequest, code: str) -> HttpResponse:
    plan = plan_of(request)
    carrier = Carrier.objects.filter(district=plan.district, code=code).first()
    if carrier is None:
        raise Http404
    enterprises = None
    count = Enterprise.objects.filter(carrier=carrier).count()
    editor = carrier_can_edit(request.user, carrier)
    if _reads_all(request) or editor:
        enterprises = reverse("registry-home") + f"?carrier={carrier.code}"
    areas = {(a.kind, a.code): a for a in Area.objects.filter(district=plan.district)}
    return render(
        request,
        "registry/carrier.html",
        {
            "plan": plan,
            "c": carrier,
            "count": count if _reads_all(request) or editor or count >= SUPPRESS_BELOW else None,
            "can_edit": editor,
            "list_url": enterprises,
            "zone": areas.get(("zone", carrier.zone)),
            "functional": areas.get(("functional", carrier.functional_area)),
            "group": areas.get(("group", carrier.group)),
        },
    )


@login_required
def carrier_edit(request: HttpRequest, code: str) -> HttpResponse:
    """A carrier's own details, kept by its people (or the office): another carrier's code is
    a 404."""
    plan = plan_of(request)
    carrier = Carrier.objects.filter(district=plan.district, code=code).first()
    if carrier is None or not carrier_can_edit(request.user, carrier):
        raise Http404
    errors: dict[str, list[str]] = {}
    posted: dict[str, str] = {}
    if request.method == "POST":
        posted = {k: request.POST.get(k, "") for k in CARRIER_FIELDS}
        posted["coords_approximate"] = "on" if request.POST.get("coords_approximate") else ""
        try:
            services.carrier_update(carrier=carrier, by=request.user, values=posted)
        except DomainError as exc:
            if exc.code == "not_found":
                raise Http404 from None
            errors = exc.by_field()
        else:
            messages.success(request, _("The carrier's details were saved."))
            return redirect("registry-carrier", code=carrier.code)
    values = posted or {
        k: ("" if getattr(carrier, k) is None else str(getattr(carrier, k))) for k in CARRIER_FIELDS
    }
    return render(
        request,
        "registry/carrier_edit.html",
        {
            "plan": plan,
            "c": carrier,
            "errors": errors,
            "rows": [
                ("name_en", _("name (English)"), values.get("name_en", ""), 300),
                ("operator", _("operator"), values.get("operator", ""), 200),
                ("area_m2", _("floor area (m²)"), values.get("area_m2", ""), 14),
                ("lon", _("longitude (GCJ-02)"), values.get("lon", ""), 12),
                ("lat", _("latitude (GCJ-02)"), values.get("lat", ""), 12),
            ],
            "approximate": (
                bool(posted.get("coords_approximate")) if posted else carrier.coords_approximate
            ),
        },
    )


def map_view(request: HttpRequest) -> HttpResponse:
    """The offline map: the district's boundary, carriers sized by enterprises (filtered by
    stage and industry), zones and functional areas; the regional partners' view."""
    plan = plan_of(request)
    stage = request.GET.get("stage", "")[:32]
    industry = request.GET.get("industry", "")[:5].upper()
    payload = map_payload(plan=plan, stage=stage, industry=industry, public=not _reads_all(request))
    return render(
        request,
        "registry/map.html",
        {
            "plan": plan,
            "payload": payload,
            "stages": ladder_stages(plan=plan),
            "stage": stage,
            "industry": industry,
            "labels": {
                "enterprises": _("Enterprises"),
                "approximate": _("approximate position"),
                "demo": _("demo data"),
                "other": _("other"),
                "lon": _("longitude"),
                "lat": _("latitude"),
            },
            "sections": sorted(
                {
                    e[:1]
                    for e in Enterprise.objects.filter(district=plan.district)
                    .exclude(industry="")
                    .values_list("industry", flat=True)
                    .distinct()[:200]
                }
            ),
        },
    )


def public_view(request: HttpRequest) -> HttpResponse:
    """Aggregates for everyone: counts by stage, zone and industry section; cells under 3
    suppressed."""
    plan = plan_of(request)
    stats = public_counts(plan=plan)
    tables = [
        (_("By stage"), stats["by_stage"]),
        (_("By zone (where the carrier is)"), stats["by_zone"]),
        (_("By industry section (GB/T 4754)"), stats["by_industry"]),
    ]
    has_demo = Enterprise.objects.filter(district=plan.district, is_demo=True).exists()
    return render(
        request,
        "registry/public.html",
        {"plan": plan, "stats": stats, "tables": tables, "has_demo": has_demo},
    )
