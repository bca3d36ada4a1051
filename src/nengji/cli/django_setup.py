"""What the CLI commands that need the database share: Django set-up and the plan they act on."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from nengji.plan.models import Plan

PLAN_OPTION = click.option(
    "--plan",
    "plan_code",
    default=None,
    metavar="CODE",
    help="The plan to act on (default: the only plan loaded; see `nengji plan list`).",
)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nengji.web.settings")
    import django

    django.setup()


def plan_or_exit(code: str | None) -> Plan:
    """The plan `--plan` names (or the default one); an unknown or missing choice exits 2 with
    the codes there are."""
    from nengji.core.errors import DomainError
    from nengji.plan.selectors import plan_get

    try:
        return plan_get(code=code)
    except DomainError as exc:
        for d in exc.detail:
            click.echo(f"--plan: {d.message}", err=True)
        sys.exit(2)
