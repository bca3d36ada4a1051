from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from nengji.core.nav import NavItem


class CockpitConfig(AppConfig):
    name = "nengji.cockpit"
    label = "cockpit"
    verbose_name = _("Cockpit")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = (
        NavItem("cockpit", _("Cockpit"), 10, ("office", "leader")),
        NavItem("cockpit-benchmark", _("Benchmark (all runs)"), 12, ("office", "leader", "region")),
    )
