"""Setting up flagged demo data, app by app.

Each app that has demo data gives its `AppConfig` a method::

    def demo_setup(self, *, plan, demo_dir, data_dir, full): ...

which creates its demo rows for the plan (idempotently; every row flagged ``is_demo``). ``full``
asks for the whole story (e.g. years of demo reports), as `nengji demo` does; without it only
what every demo needs. `demo_setup_all` calls them in the order of ``INSTALLED_APPS``, which
follows the layers (accounts before monitoring before indexing…), so an app can rely on the
demo data of the apps below it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps


def demo_setup_all(*, plan: Any, demo_dir: Path, data_dir: Path, full: bool) -> None:
    for config in apps.get_app_configs():
        setup = getattr(config, "demo_setup", None)
        if setup is not None:
            setup(plan=plan, demo_dir=demo_dir, data_dir=data_dir, full=full)
