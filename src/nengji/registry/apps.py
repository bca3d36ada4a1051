from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from nengji.core.nav import PUBLIC, NavItem


class RegistryConfig(AppConfig):
    name = "nengji.registry"
    label = "registry"
    verbose_name = _("Registry of innovation entities")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = (
        NavItem("registry-home", _("Enterprises"), 62, ("office", "leader", "enterprise")),
        NavItem("registry-public", _("Innovation entities"), 64, (PUBLIC,)),
    )

    def ready(self) -> None:
        from nengji.core.events import subscribe
        from nengji.plan.events import PlanLoaded
        from nengji.plan.parts import PackagePart, register_part
        from nengji.registry.loading import registry_on_plan_loaded
        from nengji.registry.package import registry_part_check

        register_part(PackagePart("registry", check=registry_part_check))
        subscribe(PlanLoaded, registry_on_plan_loaded)
