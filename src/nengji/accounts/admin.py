from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from nengji.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ("username", "display_name", "role", "organisation", "is_active")
    list_filter = ("role", "organisation__kind", "is_active")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("nengji", {"fields": ("role", "organisation", "display_name")}),
    )
