"""Loading the catalogue of a plan package into the database, all or nothing, idempotently.

Rows are matched by code: a reload updates what changed, adds what is new, and withdraws (never
deletes) an item no longer in the file, since applications and payments point to it. A newly
published item is announced (`ItemPublished`) so that the push list is built for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from nengji.core.audit import audit_record
from nengji.core.events import emit
from nengji.plan.events import PlanLoaded
from nengji.plan.models import Plan
from nengji.policy.catalogue import (
    CATALOGUE_FILE,
    FOLDER,
    POOL_PARAMETERS,
    Catalogue,
    catalogue_read,
)
from nengji.policy.events import ItemPublished
from nengji.policy.models import PolicyDocument, PolicyGroup, PolicyItem, Programme, RiskPool
from nengji.policy.rules import plain
from nengji.policy.services.applications import notices_build


@transaction.atomic
def catalogue_load(*, plan: Plan, catalogue: Catalogue, by: Any = None) -> dict[str, int]:
    """Write the catalogue's groups, documents and items for the plan; counts of what changed."""
    counts = {"groups": 0, "documents": 0, "items": 0, "withdrawn": 0}
    span = catalogue.system_span
    groups: dict[str, PolicyGroup] = {}
    for g in catalogue.groups:
        groups[g.code], created = PolicyGroup.objects.update_or_create(
            plan=plan,
            code=g.code,
            defaults={
                "tier": g.tier,
                "order": g.order,
                "name_zh": g.name_zh,
                "name_en": g.name_en,
                "is_demo": g.is_demo,
                "source_quote": span.quote if span else "",
                "source_start": span.start if span else None,
            },
        )
        counts["groups"] += int(created)
    docs: dict[str, PolicyDocument] = {}
    for d in catalogue.documents:
        docs[d.code], created = PolicyDocument.objects.update_or_create(
            plan=plan,
            code=d.code,
            defaults={
                "group": groups.get(d.group) if d.group else None,
                "title_zh": d.title_zh,
                "title_en": d.title_en,
                "doc_number": d.doc_number,
                "issuer_zh": d.issuer_zh,
                "level": d.level,
                "issued_on": d.issued_on,
                "valid_from": d.valid_from,
                "valid_until": d.valid_until,
                "status": d.status,
                "url": d.url,
                "text": d.text,
                "is_demo": d.is_demo,
            },
        )
        counts["documents"] += int(created)
    now = timezone.now()
    published: list[PolicyItem] = []
    for i in catalogue.items:
        item, created = PolicyItem.objects.update_or_create(
            plan=plan,
            code=i.code,
            defaults={
                "document": docs[i.document],
                "group": groups[i.group],
                "title_zh": i.title_zh,
                "title_en": i.title_en,
                "kind": i.kind,
                "article": i.article,
                "max_amount": i.max_amount,
                "amount_rule": i.amount.as_dict(),
                "clauses": [c.data for c in i.clauses],
                "opens": i.opens,
                "closes": i.closes,
                "period": i.period,
                "auto_grant": i.auto_grant,
                "status": PolicyItem.Status.PUBLISHED,
                "is_demo": i.is_demo,
            },
        )
        if created:
            item.published_at = now
            item.save(update_fields=["published_at"])
            published.append(item)
            counts["items"] += 1
    gone = PolicyItem.objects.filter(plan=plan, status=PolicyItem.Status.PUBLISHED).exclude(
        code__in=[i.code for i in catalogue.items]
    )
    for item in gone:
        item.status = PolicyItem.Status.WITHDRAWN
        item.save(update_fields=["status"])
        audit_record(actor=by, action="withdraw", obj=item, after={"status": "withdrawn"})
        counts["withdrawn"] += 1
    counts["programmes"] = _programmes_load(plan, catalogue)
    if any(counts.values()):
        audit_record(
            actor=by,
            action="load",
            obj=plan,
            label=f"policy catalogue of {plan.code}",
            after={"file": catalogue.file, **counts},
        )
    for item in published:
        emit(ItemPublished(actor_id=getattr(by, "pk", None), item_id=item.pk))
        notices_build(item=item, trigger="published", by=by)
    return counts


def _programmes_load(plan: Plan, catalogue: Catalogue) -> int:
    """Pools (with their parameters) and policy finance products named by the catalogue."""
    made = 0
    for p in catalogue.programmes:
        source = p.source.quote if p.source else ""
        if p.kind == "pool":
            params = {k: p.parameters[k] for k in POOL_PARAMETERS}
            _, created = RiskPool.objects.update_or_create(
                plan=plan,
                code=p.code,
                defaults={
                    "name_zh": p.name_zh,
                    **params,
                    "max_term_months": int(params["max_term_months"]),
                    "source": source,
                    "is_demo": p.is_demo,
                },
            )
        else:
            _, created = Programme.objects.update_or_create(
                plan=plan,
                code=p.code,
                defaults={
                    "name_zh": p.name_zh,
                    "name_en": p.name_en,
                    "parameters": {k: plain(v) for k, v in p.parameters.items()},
                    "institutions": list(p.institutions),
                    "source_quote": source,
                    "source_start": p.source.start if p.source else None,
                    "is_demo": p.is_demo,
                },
            )
        made += int(created)
    return made


def catalogue_load_on_plan_loaded(event: PlanLoaded) -> None:
    """Load the package's catalogue with its plan (inside the plan's loading transaction)."""
    file = Path(event.package_root) / FOLDER / CATALOGUE_FILE
    if not file.is_file():
        return
    plan = Plan.objects.get(pk=event.plan_id)
    catalogue_load(plan=plan, catalogue=catalogue_read(file, source=plan.source_text))
