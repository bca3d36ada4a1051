"""Admin: read-only views of monitoring data. Every change goes through the services (and the
audit log) via the monitoring pages or the API."""

from __future__ import annotations

from django.contrib import admin

from nengji.core.admin import ReadOnlyAdmin
from nengji.monitoring.models import (
    Assignment,
    Evidence,
    MonitoringSettings,
    Observation,
    Round,
    Submission,
    Target,
)


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
