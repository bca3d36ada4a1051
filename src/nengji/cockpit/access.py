"""Who may open which cockpit page: the office and leaders everything, a department reporter at
most its own department (its department page and the items assigned to it)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied


def require_reader(user: Any) -> None:
    if not getattr(user, "can_read_all", False):
        raise PermissionDenied


def require_department(user: Any, department_id: int | None) -> None:
    if getattr(user, "can_read_all", False):
        return
    if department_id is None or getattr(user, "department_id", None) != department_id:
        raise PermissionDenied
