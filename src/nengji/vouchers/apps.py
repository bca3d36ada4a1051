from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from nengji.core.nav import NavItem


class VouchersConfig(AppConfig):
    name = "nengji.vouchers"
    label = "vouchers"
    verbose_name = _("Innovation vouchers")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = (
        NavItem(
            "vouchers-home",
            _("Vouchers"),
            70,
            ("office", "leader", "region", "enterprise", "provider"),
        ),
    )

    def demo_setup(self, *, plan: Any, demo_dir: Path, data_dir: Path, full: bool) -> None:
        """The demo alliance of four regions (vouchers.yaml in the plan's demo folder)."""
        from nengji.vouchers.demo import demo_vouchers_ensure

        demo_vouchers_ensure(plan=plan, demo_dir=demo_dir, data_dir=data_dir)
