from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from nengji.core.nav import NavItem


class ReportsConfig(AppConfig):
    name = "nengji.reports"
    label = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = (NavItem("reports", _("Reports"), 90, ("office", "leader")),)
