"""Admin for organisations and the (read-only, undeletable) audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nengji.core.models import AuditEntry, Organisation


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Rows every app shows but changes only through its services (and their audit)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "at",
        "actor_label",
        "app",
        "action",
        "object_type",
        "object_id",
        "object_label",
    )
    list_filter = ("app", "action", "object_type")
    search_fields = ("object_label", "actor_label", "object_id")
    date_hierarchy = "at"

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}  # not even the bulk "delete selected"


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("kind", "code", "name_zh", "name_en", "parent", "active", "is_demo")
    list_filter = ("kind", "active", "is_demo")
    search_fields = ("code", "name_zh", "name_en")
