"""The admin shows voucher rows read-only (every change goes through a service, audited),
except the risk rules, which are data the region offices tune."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nengji.vouchers import models as m


@admin.register(m.RiskRule)
class RiskRuleAdmin(admin.ModelAdmin[m.RiskRule]):
    list_display = ("code", "active", "params")


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


for model in (
    m.Programme,
    m.Institution,
    m.Quota,
    m.Order,
    m.Claim,
    m.LedgerEntry,
    m.ClearingPeriod,
    m.ClearingEntry,
    m.Statement,
):
    admin.site.register(model, ReadOnly)
