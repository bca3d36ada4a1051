"""Admin: read-only views of monitoring data. Every change goes through the services (and the
audit log) via the monitoring pages or the API; the audit log itself cannot be changed or
deleted from here, nor anywhere else."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nengji.monitoring.models import (
    Assignment,
    AuditEntry,
    Evidence,
    MonitoringSettings,
    Observation,
    Round,
    Submission,
    Target,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_id", "object_label")
    list_filter = ("action", "object_type")
    search_fields = ("object_label", "actor_label", "object_id")
    date_hierarchy = "at"

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}  # not even the bulk "delete selected"


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "item_code",
        "lead",
        "frequency",
        "evidence_required",
        "active",
        "is_demo",
    )
    list_filter = ("frequency", "lead", "is_demo")


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = (
        "indicator",
        "target_year",
        "target_value",
        "nature",
        "set_by",
        "set_at",
        "is_demo",
    )


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ("label", "deadline", "status", "published_at", "is_demo")


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "round",
        "assignment",
        "department",
        "sequence",
        "status",
        "value",
        "task_status",
        "is_demo",
    )
    list_filter = ("status", "department", "round")


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = (
        "indicator",
        "series",
        "year",
        "quarter",
        "vintage",
        "value",
        "source",
        "published_at",
        "is_demo",
    )


admin.site.register(Evidence, ReadOnlyAdmin)
admin.site.register(MonitoringSettings, ReadOnlyAdmin)
