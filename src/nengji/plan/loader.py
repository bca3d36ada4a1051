"""Load a validated plan package into the database: idempotent and all or nothing.

The package has already been read and checked by `nengji.plan.package` (no database
involved), so every error a user can make is reported before a single row is written.
A reload of an unchanged package writes nothing; a changed package replaces the plan's
elements in one transaction.

A reload never deletes what users reported (finding 4 of issue 15): an element or indicator the
new package drops that still has assignments, reports, observations, targets or comments is
refused, naming each (`PlanReloadRefusedError`); with ``retire=True`` (``plan load --retire``) it is
kept, marked retired (new rounds leave it out) and each retirement is audited. Elements nobody
used are removed as before.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record
from nengji.core.errors import ErrorDetail
from nengji.core.events import emit
from nengji.core.models import Organisation
from nengji.core.roles import OrgKind
from nengji.plan.events import PlanLoaded
from nengji.plan.models import Department, IndexDefinition, Indicator, Plan, Section
from nengji.plan.package import District, PlanPackage, Span
from nengji.plan.parts import parts_check
from nengji.plan.services import PlanError


class PlanReloadRefusedError(PlanError):
    """The package drops elements that reports refer to; nothing was loaded."""

    default_code = "conflict"


@dataclass(frozen=True)
class LoadReport:
    plan_code: str
    changed: bool
    sections: int
    indicators: int
    departments: int
    #: codes of elements the package dropped and that were kept as retired (``retire=True``)
    retired: tuple[str, ...] = field(default=())
    #: codes of elements the package dropped that nothing referred to, deleted
    removed: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        verb = "loaded" if self.changed else "already up to date"
        text = (
            f"Plan {self.plan_code} {verb}: {self.sections} elements, "
            f"{self.indicators} indicators, {self.departments} departments"
        )
        if self.removed:
            text += f"; removed (unused): {', '.join(self.removed)}"
        if self.retired:
            text += f"; retired (kept with their reports): {', '.join(self.retired)}"
        return text


def package_fingerprint(package: PlanPackage) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in package.root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(package.root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _span(span: Span | None) -> tuple[int | None, int | None, str]:
    if span is None:
        return None, None, ""
    return span.start, span.end, span.quote


def _decimal(value: object | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@transaction.atomic
def plan_load(*, package: PlanPackage, by: Any = None, retire: bool = False) -> LoadReport:
    """Load the package (its parts owned by other apps too); emits `PlanLoaded`.

    Raises `PackageInvalid` (nothing written) when a part registered by another app has errors,
    and `PlanReloadRefusedError` when the package drops elements that data refers to, unless
    ``retire`` (then they are kept, retired, audited).
    """
    parts_check(package)
    meta = package.meta
    fingerprint = package_fingerprint(package)
    existing = Plan.objects.filter(code=meta.code).first()
    district = _district_upsert(meta.district, plan=existing)
    departments = _departments_upsert(package, district)
    if existing is not None and existing.package_sha256 == fingerprint:
        emit(
            PlanLoaded(
                actor_id=_actor_id(by),
                plan_id=existing.pk,
                package_root=str(package.root),
                changed=False,
            )
        )
        return LoadReport(
            meta.code, False, existing.sections.count(), existing.indicators.count(), departments
        )

    fields = {
        "district": district,
        "title_zh": meta.title_zh,
        "title_en": meta.title_en,
        "issuer_zh": meta.issuer_zh,
        "issuer_en": meta.issuer_en,
        "doc_number": meta.doc_number,
        "adopted_on": meta.adopted_on,
        "adopted_at_zh": meta.adopted_at_zh,
        "issued_on": meta.issued_on,
        "period_start": meta.period_start,
        "period_end": meta.period_end,
        "vision_year": meta.vision_year,
        "source_text": package.source_text,
        "source_sha256": hashlib.sha256(package.source_text.encode("utf-8")).hexdigest(),
        "package_sha256": fingerprint,
        "loaded_at": timezone.now(),
    }
    plan, _ = Plan.objects.update_or_create(code=meta.code, defaults=fields)
    sections = _sections_upsert(plan, package)
    indicators = _indicators_upsert(plan, package, sections)
    retired, removed = _stale_remove(plan, sections, indicators, retire=retire, by=by)
    _index_upsert(plan, package)
    if retired or removed:
        audit_record(
            actor=by,
            action="update",
            obj=plan,
            label=f"plan {plan.code} reloaded",
            after={"retired": list(retired), "removed": list(removed)},
        )
    emit(
        PlanLoaded(
            actor_id=_actor_id(by), plan_id=plan.pk, package_root=str(package.root), changed=True
        )
    )
    return LoadReport(
        meta.code, True, len(sections), len(indicators), departments, retired, removed
    )


def _actor_id(by: Any) -> int | None:
    return by.pk if getattr(by, "is_authenticated", False) else None


def _district_upsert(district: District, *, plan: Plan | None) -> Organisation:
    """The plan's district as an organisation of kind region. A plan already loaded keeps its
    district row (its code and names follow the package), so nothing linked to it moves."""
    row = plan.district if plan is not None else None
    if row is None:
        row = Organisation.objects.filter(
            kind=OrgKind.REGION, parent__isnull=True, code=district.code
        ).first()
    if row is None:
        return Organisation.objects.create(
            kind=OrgKind.REGION,
            code=district.code,
            name_zh=district.name_zh,
            name_en=district.name_en,
        )
    changed = (row.code, row.name_zh, row.name_en) != (
        district.code,
        district.name_zh,
        district.name_en,
    )
    if changed:
        row.code, row.name_zh, row.name_en = district.code, district.name_zh, district.name_en
        row.save(update_fields=["code", "name_zh", "name_en"])
    return row


def _index_upsert(plan: Plan, package: PlanPackage) -> None:
    index = package.index
    if index is None:
        IndexDefinition.objects.filter(plan=plan).delete()
        return
    official = (
        plan.indicators.get(code=index.official_indicator) if index.official_indicator else None
    )
    IndexDefinition.objects.update_or_create(
        plan=plan,
        defaults={
            "root": index.root,
            "unit": index.unit,
            "framework": list(index.framework),
            "spec": index.spec,
            "official_indicator": official,
        },
    )


def _sections_upsert(plan: Plan, package: PlanPackage) -> dict[str, Section]:
    by_code: dict[str, Section] = {s.code: s for s in plan.sections.all()}
    keep: dict[str, Section] = {}
    # Parents first: the package guarantees an acyclic tree, so a topological pass suffices.
    pending = list(package.sections)
    position = {s.code: i for i, s in enumerate(package.sections)}
    while pending:
        progressed = []
        for item in pending:
            if item.parent is not None and item.parent not in keep:
                continue
            title_start, title_end, title_quote = _span(item.title)
            text_start, text_end, text_quote = _span(item.text)
            values = {
                "kind": item.kind,
                "parent": keep[item.parent] if item.parent else None,
                "order": position[item.code],
                "number": item.number or "",
                "lead": item.lead or "",
                "title_zh": item.title_zh,
                "title_en": item.title_en or "",
                "title_start": title_start,
                "title_end": title_end,
                "title_quote": title_quote,
                "text_start": text_start,
                "text_end": text_end,
                "text_quote": text_quote,
                "retired": False,
            }
            row = by_code.get(item.code)
            if row is not None and row.origin == Section.Origin.OFFICE:
                raise ValueError(
                    f"plan package section {item.code} has the code of a key project "
                    "the plan office created; rename that project first"
                )
            if row is None:
                row = Section.objects.create(plan=plan, code=item.code, **values)
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                row.save()
            keep[item.code] = row
            progressed.append(item)
        if not progressed:  # cannot happen for a validated package
            raise ValueError("plan package sections do not form a tree")
        pending = [p for p in pending if p not in progressed]
    return keep


def _indicators_upsert(
    plan: Plan, package: PlanPackage, sections: dict[str, Section]
) -> dict[str, Indicator]:
    rows: dict[str, Indicator] = {}
    for order, item in enumerate(package.indicators):
        baseline = item.baseline
        b_start, b_end, b_quote = _span(baseline.quote if baseline else None)
        target = item.stated_target
        t_start, t_end, t_quote = _span(target.quote if target else None)
        values = {
            "order": order,
            "name_zh": item.name_zh,
            "name_en": item.name_en or "",
            "unit_zh": item.unit_zh or "",
            "unit_en": item.unit_en or "",
            "direction": item.direction,
            "kind": item.kind or "",
            "progress_method": item.progress,
            "section": sections.get(item.section) if item.section else None,
            "share_of": None,
            "note_zh": item.note_zh or "",
            "note_en": item.note_en or "",
            "baseline_year": baseline.year if baseline else None,
            "baseline_as_of": baseline.as_of if baseline else None,
            "baseline_period_start": baseline.period_start if baseline else None,
            "baseline_value": _decimal(baseline.value) if baseline else None,
            "baseline_value_text": baseline.value_text if baseline else "",
            "baseline_qualifier": baseline.qualifier if baseline else Indicator.Qualifier.EXACT,
            "baseline_basis_zh": (baseline.basis_zh or "") if baseline else "",
            "baseline_start": b_start,
            "baseline_end": b_end,
            "baseline_quote": b_quote,
            "stated_target_year": target.year if target else None,
            "stated_target_min": _decimal(target.value_min) if target else None,
            "stated_target_max": _decimal(target.value_max) if target else None,
            "stated_target_start": t_start,
            "stated_target_end": t_end,
            "stated_target_quote": t_quote,
            "retired": False,
        }
        row, _ = Indicator.objects.update_or_create(plan=plan, code=item.code, defaults=values)
        rows[item.code] = row
    for item in package.indicators:
        if item.share_of:
            row = rows[item.code]
            row.share_of = rows[item.share_of]
            row.save(update_fields=["share_of"])
    return rows


def _stale_remove(
    plan: Plan,
    sections: dict[str, Section],
    indicators: dict[str, Indicator],
    *,
    retire: bool,
    by: Any,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Remove the elements and indicators the package dropped; keep (retire) those that data
    of other apps refers to, or refuse. Returns the codes retired and removed.

    Elements retired earlier stay as they are. Office-created key projects are never deleted
    or reordered by a reload; a reload that would delete the parent of one fails instead of
    cascade-deleting the project.
    """
    stale_sections = list(
        plan.sections.exclude(code__in=sections)
        .exclude(origin=Section.Origin.OFFICE)
        .exclude(retired=True)
    )
    stale_indicators = list(plan.indicators.exclude(code__in=indicators).exclude(retired=True))
    held: dict[models.Model, dict[str, int]] = {}
    for element in [*stale_sections, *stale_indicators]:
        found = _held_data(element)
        if found:
            held[element] = found
    if held and not retire:
        raise PlanReloadRefusedError(
            [
                ErrorDetail(
                    "__all__",
                    _(
                        "The package drops plan elements that reports or other data refer to; "
                        "nothing was loaded. Put them back in the package, or load with "
                        "--retire to keep them as retired (hidden from new rounds)."
                    ),
                ),
                *(
                    ErrorDetail(_code(element), _describe(element, found))
                    for element, found in held.items()
                ),
            ]
        )
    # a retired section keeps its stale ancestors (deleting one would cascade to it)
    by_pk = {s.pk: s for s in stale_sections}
    keep: set[models.Model] = set(held)
    retired_before = list(plan.sections.exclude(code__in=sections).filter(retired=True))
    for element in [*held, *retired_before]:
        parent_id = getattr(element, "parent_id", None)
        while parent_id in by_pk:
            keep.add(by_pk[parent_id])
            parent_id = by_pk[parent_id].parent_id
    doomed = [s for s in stale_sections if s not in keep]
    orphaned = list(
        plan.sections.filter(origin=Section.Origin.OFFICE, parent__in=doomed).values_list(
            "code", "parent__code"
        )
    )
    if orphaned:
        listed = ", ".join(f"{code} (under {parent})" for code, parent in orphaned)
        raise ValueError(
            "plan package removes the parent of key projects the plan office created: "
            f"{listed}; move or delete those projects first"
        )
    for element in sorted(keep, key=_code):
        element.retired = True  # type: ignore[attr-defined]
        element.save(update_fields=["retired"])
        audit_record(
            actor=by,
            action="retire",
            obj=element,
            label=f"{_code(element)} {_title(element)}",
            before={"retired": False},
            after={"retired": True, "kept_for": held.get(element, {})},
        )
    removed = sorted([s.code for s in doomed] + [i.code for i in stale_indicators if i not in keep])
    Section.objects.filter(pk__in=[s.pk for s in doomed]).delete()
    Indicator.objects.filter(pk__in=[i.pk for i in stale_indicators if i not in keep]).delete()
    return tuple(sorted(_code(e) for e in keep)), tuple(removed)


def _code(element: models.Model) -> str:
    return str(getattr(element, "code", ""))


def _title(element: models.Model) -> str:
    return str(getattr(element, "title_zh", "") or getattr(element, "name_zh", ""))


def _held_data(element: models.Model) -> dict[str, int]:
    """What other apps keep about the element, by kind of row (assignments, reports,
    observations, targets, comments…), counting what deleting it would take with it.

    Only relations from outside the plan app count: the plan's own children are the package's
    business. Generic (Django's deletion collector), so an app added later is covered too.
    """
    found: Counter[str] = Counter()
    for rel in element._meta.related_objects:
        model = rel.related_model
        if model._meta.app_label == element._meta.app_label:
            continue
        rows = model._base_manager.filter(**{rel.field.name: element})
        if rel.many_to_many:
            found[str(model._meta.verbose_name_plural)] += rows.count()
            continue
        if not rows.exists():
            continue
        collector = Collector(using=rows.db)
        try:
            collector.collect(rows)
        except (ProtectedError, RestrictedError) as exc:
            found[str(model._meta.verbose_name_plural)] += rows.count()
            held_by = (
                exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
            )
            for obj in held_by:
                found[str(obj._meta.verbose_name_plural)] += 1
            continue
        for kind, objs in collector.data.items():
            if not kind._meta.auto_created:
                found[str(kind._meta.verbose_name_plural)] += len(objs)
        for qs in collector.fast_deletes:
            if not qs.model._meta.auto_created:
                found[str(qs.model._meta.verbose_name_plural)] += qs.count()
    return {k: v for k, v in found.items() if v}


def _describe(element: models.Model, found: dict[str, int]) -> str:
    data = ", ".join(f"{n} {kind}" for kind, n in sorted(found.items()))
    return _("%(title)s is no longer in the package but has %(data)s") % {
        "title": _title(element),
        "data": data,
    }


def _departments_upsert(package: PlanPackage, district: Organisation) -> int:
    """Add the district's template departments that are missing (each with its organisation);
    never overwrite the office's edits."""
    existing = set(Department.objects.filter(district=district).values_list("code", flat=True))
    for i, d in enumerate(package.departments):
        if d.code in existing:
            continue
        org = Organisation.objects.create(
            kind=OrgKind.DEPARTMENT,
            parent=district,
            code=d.code,
            name_zh=d.name_zh,
            name_en=d.name_en or "",
        )
        Department.objects.create(
            district=district,
            organisation=org,
            code=d.code,
            name_zh=d.name_zh,
            name_en=d.name_en or "",
            kind=d.kind or "",
            is_template=d.template,
            order=i,
        )
    return Department.objects.filter(district=district).count()
