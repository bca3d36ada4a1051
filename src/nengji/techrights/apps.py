from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from nengji.core.nav import NavItem


class TechrightsConfig(AppConfig):
    name = "nengji.techrights"
    label = "techrights"
    verbose_name = _("Technology rights")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = (
        NavItem(
            "techrights:home",
            _("Technology rights"),
            70,
            ("office", "leader", "university", "exchange", "enterprise"),
        ),
        NavItem("techrights:verify-form", _("Verify a certificate"), 90),
    )

    def demo_setup(self, *, plan: Any, demo_dir: Path, data_dir: Path, full: bool) -> None:
        """The flagged demo story of the register, if the plan's demo folder has one."""
        from nengji.techrights.demo import demo_techrights_ensure

        demo_techrights_ensure(demo_dir=demo_dir, data_dir=data_dir)
