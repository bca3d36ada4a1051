"""Writes of the plan domain outside the package loader: key projects (重点项目).

The plan office creates key projects under a task or measure of the plan. The plan text names
none, so they are `Section` rows of kind `project` with `origin="office"` and no source span;
monitoring then assigns and reports on them like measures.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record, snapshot
from nengji.core.errors import DomainError, ErrorDetail
from nengji.core.roles import require_office
from nengji.plan.models import Plan, Section


class PlanError(DomainError):
    """A plan write that is refused or invalid; nothing was changed."""


PROJECT_FIELDS = ("code", "parent", "title_zh", "title_en", "description_zh")
PARENT_KINDS = (Section.Kind.TASK, Section.Kind.MEASURE)
CODE_RE = re.compile(r"^[A-Za-z0-9._-]+$")


def _subtree_last_order(parent: Section) -> int:
    """The highest `order` in the parent's subtree: a new project sorts right after it
    (ties broken by id), so flat lists show it beside its parent, after its siblings."""
    rows = list(parent.plan.sections.values_list("pk", "parent_id", "order"))
    children: dict[int, list[tuple[int, int]]] = {}
    for pk, parent_id, order in rows:
        children.setdefault(parent_id, []).append((pk, order))
    best, stack = parent.order, [parent.pk]
    while stack:
        for pk, order in children.get(stack.pop(), []):
            best = max(best, order)
            stack.append(pk)
    return best


@transaction.atomic
def key_project_save(
    *,
    plan: Plan,
    parent: Section | None,
    code: str,
    title_zh: str,
    title_en: str = "",
    description_zh: str = "",
    by: Any,
    project: Section | None = None,
    is_demo: bool = False,
) -> Section:
    """Create a key project, or update `project` (an office-created key project of `plan`)."""
    require_office(by)
    code, title_zh, title_en = code.strip(), title_zh.strip(), title_en.strip()
    description_zh = description_zh.strip()
    errors = []
    if project is not None and (
        project.plan_id != plan.pk
        or project.kind != Section.Kind.PROJECT
        or project.origin != Section.Origin.OFFICE
    ):
        errors.append(ErrorDetail("project", _("Choose a key project of this plan.")))
    if parent is None or parent.plan_id != plan.pk or parent.kind not in PARENT_KINDS:
        errors.append(ErrorDetail("parent", _("Choose a task or measure of this plan.")))
    max_code = Section._meta.get_field("code").max_length or 32
    if not code:
        errors.append(ErrorDetail("code", _("Give a code.")))
    elif not CODE_RE.match(code) or len(code) > max_code:
        errors.append(
            ErrorDetail(
                "code",
                _("Use at most %(n)s letters, digits, dots, hyphens or underscores.")
                % {"n": max_code},
            )
        )
    else:
        clash = plan.sections.filter(code=code)
        if project is not None:
            clash = clash.exclude(pk=project.pk)
        if clash.exists():
            errors.append(ErrorDetail("code", _("This code is already used in the plan.")))
    if not title_zh:
        errors.append(ErrorDetail("title_zh", _("Give the Chinese title.")))
    if errors:
        raise PlanError(errors)
    assert parent is not None
    before = None
    if project is None:
        row = Section(
            plan=plan,
            kind=Section.Kind.PROJECT,
            origin=Section.Origin.OFFICE,
            order=_subtree_last_order(parent),
            is_demo=is_demo,
        )
        action = "create"
    else:
        row = Section.objects.select_for_update().get(pk=project.pk)
        before = snapshot(row, PROJECT_FIELDS)
        action = "update"
    if project is not None and parent.pk != row.parent_id:
        row.order = _subtree_last_order(parent)
    row.parent = parent
    row.code = code
    row.title_zh = title_zh
    row.title_en = title_en
    row.description_zh = description_zh
    row.save()
    audit_record(
        actor=by, action=action, obj=row, before=before, after=snapshot(row, PROJECT_FIELDS)
    )
    return row
