"""Binding indicators, measures and key projects to departments (一体化推进落实机制)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record, snapshot
from nengji.core.errors import DomainError
from nengji.core.models import Organisation
from nengji.core.numbers import bounded_decimal
from nengji.core.roles import OrgKind
from nengji.monitoring.errors import ErrorDetail, MonitoringError
from nengji.monitoring.models import Assignment, Frequency
from nengji.monitoring.permissions import require_office
from nengji.plan.models import PARTNER_BASE, Department, Indicator, Plan, Section

ASSIGNMENT_FIELDS = ("lead", "frequency", "min_value", "max_value", "evidence_required", "active")
ASSIGNABLE_KINDS = (Section.Kind.MEASURE, Section.Kind.TASK, Section.Kind.PROJECT)


@transaction.atomic
def assignment_set(
    *,
    plan: Plan,
    lead: Department,
    by: Any,
    indicator: Indicator | None = None,
    section: Section | None = None,
    supporting: Sequence[Department] = (),
    frequency: str = Frequency.ANNUAL,
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
    evidence_required: bool = False,
    active: bool = True,
    is_demo: bool = False,
) -> Assignment:
    """Create or update the assignment of one indicator or one measure/key project."""
    require_office(by)
    errors = []
    if (indicator is None) == (section is None):
        errors.append(ErrorDetail("item", _("Give exactly one indicator or one measure.")))
    if indicator is not None and indicator.plan_id != plan.pk:
        errors.append(ErrorDetail("indicator", _("The indicator belongs to another plan.")))
    if section is not None and (section.plan_id != plan.pk or section.kind not in ASSIGNABLE_KINDS):
        errors.append(ErrorDetail("section", _("Choose a task or measure of this plan.")))
    if frequency not in Frequency.values:
        errors.append(ErrorDetail("frequency", _("Choose annual or quarterly.")))
    bounds: dict[str, Decimal | None] = {"min_value": min_value, "max_value": max_value}
    for key, raw in list(bounds.items()):
        if raw is None:
            continue
        try:
            bounds[key] = bounded_decimal(raw, field=key)
        except DomainError as exc:
            errors.extend(exc.detail)
            bounds[key] = None
    min_value, max_value = bounds["min_value"], bounds["max_value"]
    if min_value is not None and max_value is not None and min_value > max_value:
        errors.append(ErrorDetail("max_value", _("The highest allowed value is below the lowest.")))
    if not lead.active:
        errors.append(ErrorDetail("lead", _("The department is not active.")))
    if any(d.pk == lead.pk for d in supporting):
        errors.append(
            ErrorDetail(
                "supporting", _("The lead department cannot also be a supporting department.")
            )
        )
    if errors:
        raise MonitoringError(errors)
    lookup = {"indicator": indicator} if indicator is not None else {"section": section}
    existing = Assignment.objects.select_for_update().filter(plan=plan, **lookup).first()
    before = None
    if existing is None:
        assignment = Assignment(plan=plan, **lookup, is_demo=is_demo)
        action = "create"
    else:
        assignment = existing
        before = {
            **snapshot(existing, ASSIGNMENT_FIELDS),
            "supporting": sorted(existing.supporting.values_list("code", flat=True)),
        }
        action = "update"
    assignment.lead = lead
    assignment.frequency = frequency
    assignment.min_value = min_value
    assignment.max_value = max_value
    assignment.evidence_required = evidence_required
    assignment.active = active
    assignment.save()
    assignment.supporting.set(supporting)
    after = {
        **snapshot(assignment, ASSIGNMENT_FIELDS),
        "supporting": sorted(d.code for d in supporting),
    }
    audit_record(actor=by, action=action, obj=assignment, before=before, after=after)
    return assignment


@transaction.atomic
def assignments_sync(
    *,
    plan: Plan,
    unit: Organisation,
    lead: Department,
    indicators: Sequence[Indicator],
    by: Any = None,
    is_demo: bool = False,
) -> list[Assignment]:
    """Bind a partner region (``unit``) to the plan indicators it reports for the 长三角
    benchmark index, through its reporting body ``lead``. Called by the loader of the
    benchmark part of a plan package (by the system, inside the plan load), so it checks
    consistency, not roles.

    Never deletes: an indicator no longer listed keeps its assignment (its reports and
    values stay) but is made inactive, so later rounds do not ask for it; one listed again is
    re-activated. Returns the active assignments, in the order given.
    """
    errors = []
    if unit.pk == plan.district_id:
        errors.append(
            ErrorDetail("unit", _("The plan's own district reports through its departments."))
        )
    if unit.kind != OrgKind.REGION:
        errors.append(ErrorDetail("unit", _("A benchmark unit is an organisation of kind region.")))
    if lead.kind != PARTNER_BASE:
        errors.append(ErrorDetail("lead", _("Choose the region's reporting body.")))
    elif lead.district_id != unit.pk:
        errors.append(ErrorDetail("lead", _("The reporting body belongs to another region.")))
    if any(i.plan_id != plan.pk for i in indicators):
        errors.append(ErrorDetail("indicators", _("An indicator belongs to another plan.")))
    if errors:
        raise MonitoringError(errors)
    existing = {
        a.indicator_id: a
        for a in Assignment.every_unit.select_for_update().filter(plan=plan, unit=unit)
    }
    wanted = [i.pk for i in indicators]
    out = []
    for indicator in indicators:
        assignment = existing.get(indicator.pk)
        if assignment is None:
            assignment = Assignment.every_unit.create(
                plan=plan, unit=unit, indicator=indicator, lead=lead, is_demo=is_demo
            )
            audit_record(
                actor=by,
                action="create",
                obj=assignment,
                organisation=unit,
                after=snapshot(assignment, (*ASSIGNMENT_FIELDS, "unit")),
            )
        elif not assignment.active or assignment.lead_id != lead.pk:
            before = snapshot(assignment, (*ASSIGNMENT_FIELDS, "unit"))
            assignment.active = True
            assignment.lead = lead
            assignment.save(update_fields=["active", "lead"])
            audit_record(
                actor=by,
                action="update",
                obj=assignment,
                organisation=unit,
                before=before,
                after=snapshot(assignment, (*ASSIGNMENT_FIELDS, "unit")),
            )
        out.append(assignment)
    for indicator_id, assignment in existing.items():
        if indicator_id not in wanted and assignment.active:
            before = snapshot(assignment, (*ASSIGNMENT_FIELDS, "unit"))
            assignment.active = False
            assignment.save(update_fields=["active"])
            audit_record(
                actor=by,
                action="update",
                obj=assignment,
                organisation=unit,
                before=before,
                after=snapshot(assignment, (*ASSIGNMENT_FIELDS, "unit")),
            )
    return out
