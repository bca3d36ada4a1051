from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from nengji.core.nav import PUBLIC, NavItem


class PortalConfig(AppConfig):
    name = "nengji.portal"
    label = "portal"
    verbose_name = _("Public portal")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = (
        NavItem("portal", _("Progress"), 20, (PUBLIC,)),
        NavItem("portal-benchmark", _("Benchmark index"), 25, (PUBLIC,)),
        NavItem("open-data", _("Open data"), 70, (PUBLIC,)),
        NavItem("portal-moderation", _("Comments"), 100, ("office",)),
    )
