"""The site's main navigation, contributed by each app.

An app lists its entries as ``nav_items`` on its `AppConfig`; the page header shows those the
user may open, ordered by ``order``. A new app adds its pages to the menu without editing the
base template or any other app.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import reverse

from nengji.core.roles import role_of

PUBLIC = "public"  # everyone, logged in or not
USER = "user"  # anyone logged in


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any  # a lazy translation
    order: int
    visible_to: tuple[str, ...] = (PUBLIC,)

    def visible(self, user: Any) -> bool:
        if PUBLIC in self.visible_to:
            return True
        role = role_of(user)
        if role is None:
            return False
        return USER in self.visible_to or role in self.visible_to


def nav_items(user: Any) -> list[tuple[str, Any]]:
    """(url, label) of every entry the user may see, in menu order."""
    items: Iterable[NavItem] = (
        item for config in apps.get_app_configs() for item in getattr(config, "nav_items", ())
    )
    return [
        (reverse(item.url_name), item.label)
        for item in sorted(items, key=lambda i: (i.order, i.url_name))
        if item.visible(user)
    ]
