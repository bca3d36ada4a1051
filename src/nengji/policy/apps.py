from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from nengji.core.nav import NavItem


class PolicyConfig(AppConfig):
    name = "nengji.policy"
    label = "policy"
    verbose_name = _("Policies")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = (
        NavItem("policy-catalogue", _("Policies"), 70),
        NavItem("policy-matches", _("My policy matches"), 71, ("enterprise",)),
        NavItem("policy-office", _("Policy applications"), 72, ("office", "leader")),
        NavItem("policy-pool", _("Risk pool"), 73, ("office", "leader", "bank")),
    )

    def ready(self) -> None:
        """The catalogue is a part of the plan package: checked by `plan validate`, loaded with
        the plan."""
        from nengji.core.events import subscribe
        from nengji.plan.events import PlanLoaded
        from nengji.plan.parts import PackagePart, register_part
        from nengji.policy.catalogue import catalogue_check
        from nengji.policy.services.applications import notices_on_registry_change
        from nengji.policy.services.catalogue import catalogue_load_on_plan_loaded
        from nengji.registry.events import DesignationChanged, FiguresRecorded

        register_part(PackagePart("policy", check=catalogue_check))
        subscribe(PlanLoaded, catalogue_load_on_plan_loaded)
        # the push list: an enterprise whose data change is told of what it now qualifies for
        subscribe(FiguresRecorded, notices_on_registry_change)
        subscribe(DesignationChanged, notices_on_registry_change)

    def demo_setup(self, *, plan: Any, demo_dir: Path, data_dir: Path, full: bool) -> None:
        from nengji.policy.demo import demo_policy_ensure

        demo_policy_ensure(plan=plan, demo_dir=demo_dir, data_dir=data_dir, full=full)
