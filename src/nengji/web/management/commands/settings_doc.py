"""`nengji settings-doc` (and `nengji manage settings_doc`): print docs/settings.md."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nengji.web.env import settings_markdown


class Command(BaseCommand):
    help = "Print the settings reference (docs/settings.md) generated from the declaration."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(settings_markdown(), ending="")
