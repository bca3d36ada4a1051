from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from nengji.core.nav import NavItem


class AccountsConfig(AppConfig):
    name = "nengji.accounts"
    verbose_name = _("Accounts")
    nav_items = (NavItem("access", _("Access"), 95, ("office",)),)

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from nengji.accounts.lockouts import lockout_audit

        user_locked_out.connect(lockout_audit, dispatch_uid="nengji.accounts.lockout_audit")

    def demo_setup(self, *, plan: Any, demo_dir: Path, data_dir: Path, full: bool) -> None:
        from nengji.accounts.demo import demo_users_ensure
        from nengji.plan.demo import read_demo_config

        config = read_demo_config(demo_dir)
        if config is not None:
            demo_users_ensure(data_dir=data_dir, plan=plan, users=config.users)
