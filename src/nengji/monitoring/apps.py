from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from nengji.core.nav import NavItem


class MonitoringConfig(AppConfig):
    name = "nengji.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = (NavItem("monitoring-home", _("Monitoring"), 60, ("office", "leader", "reporter")),)

    def demo_setup(self, *, plan: Any, demo_dir: Path, data_dir: Path, full: bool) -> None:
        """Demo reports 2021–2024 (only for the whole story), then the demo index panel."""
        from nengji.monitoring.demo import demo_monitoring_ensure, demo_panel_load
        from nengji.plan.demo import read_demo_config

        config = read_demo_config(demo_dir)
        if config is None:
            return
        if full:
            demo_monitoring_ensure(plan=plan, config=config)
        if config.index_panel is not None:
            demo_panel_load(plan=plan, path=config.index_panel)
