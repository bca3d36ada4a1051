from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def _private_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite creates its file (and journals) at the first connection with the process's
    umask: make them readable by the service account only."""
    if connection.vendor != "sqlite":
        return
    from pathlib import Path

    from nengji.web.env import private_files

    name = str(connection.settings_dict.get("NAME") or "")
    if name and not name.startswith(":memory:") and "mode=memory" not in name:
        path = Path(name)
        private_files(path.parent, path.name, path.name + "-wal", path.name + "-shm")


class WebConfig(AppConfig):
    name = "nengji.web"
    verbose_name = "Web"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        connection_created.connect(_private_sqlite, dispatch_uid="nengji-private-sqlite")
