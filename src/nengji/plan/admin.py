"""The office edits the department catalogue here; plan content changes only through packages."""

from django.contrib import admin

from nengji.plan.models import Department


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ("code", "name_zh", "name_en", "kind", "is_template", "active")
    list_filter = ("kind", "is_template", "active")
    search_fields = ("code", "name_zh", "name_en")
