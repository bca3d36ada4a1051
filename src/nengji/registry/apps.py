from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from nengji.core.nav import PUBLIC, NavItem


class RegistryConfig(AppConfig):
    name = "nengji.registry"
    label = "registry"
    verbose_name = _("Registry of innovation entities")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = (
        NavItem(
            "registry-home", _("Enterprises"), 62, ("office", "leader", "enterprise", "carrier")
        ),
        NavItem("registry-public", _("Innovation entities"), 64, (PUBLIC,)),
    )

    def demo_setup(self, *, plan: Any, demo_dir: Path, data_dir: Path, full: bool) -> None:
        """The flagged demo registry (whole with `full`), and with it the year-end counts
        proposed to monitoring for the office to accept."""
        from nengji.registry.demo import demo_registry_ensure
        from nengji.registry.indicators import registry_counts_propose
        from nengji.registry.services.access import SYSTEM

        demo_registry_ensure(plan=plan, demo_dir=demo_dir, data_dir=data_dir, full=full)
        if full:
            for year in range(plan.period_start, plan.period_end + 1):
                registry_counts_propose(plan=plan, year=year, by=SYSTEM)

    def ready(self) -> None:
        from nengji.core.events import subscribe
        from nengji.plan.events import PlanLoaded
        from nengji.plan.parts import PackagePart, register_part
        from nengji.registry.loading import registry_on_plan_loaded
        from nengji.registry.package import registry_part_check

        register_part(PackagePart("registry", check=registry_part_check))
        subscribe(PlanLoaded, registry_on_plan_loaded)
