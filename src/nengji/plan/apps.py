from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from nengji.core.nav import PUBLIC, NavItem


class PlanConfig(AppConfig):
    name = "nengji.plan"
    verbose_name = _("Plan")
    nav_items = (
        NavItem("plan-browser", _("Tasks"), 30, (PUBLIC,)),
        NavItem("plan-document", _("Full plan"), 40, (PUBLIC,)),
        NavItem("indicators", _("Indicators"), 50, (PUBLIC,)),
        NavItem("departments", _("Departments"), 80, ("office", "leader", "reporter")),
    )
