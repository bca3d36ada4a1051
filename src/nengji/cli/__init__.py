"""The `nengji` command: a thin shell over the services and `nengji.index`.

Command groups are imported only when used (`LazyGroup`): `nengji --help` imports click and
nothing else, `nengji index …` never sets up Django, and only the commands that need the
database do.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

# name → (module:attribute, one-line help shown by `nengji --help` without importing the module)
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("nengji.cli.core:init", "Create or migrate the database and load the bundled plans."),
    "demo": ("nengji.cli.core:demo", "Init with demo users and data, then serve the platform."),
    "serve": ("nengji.cli.core:serve", "Serve with gunicorn, with a background-job worker."),
    "worker": ("nengji.cli.core:worker", "Run background jobs (reports, index runs) alone."),
    "manage": ("nengji.cli.core:manage", "Run a Django management command."),
    "settings-doc": ("nengji.cli.core:settings_doc", "Print the settings reference."),
    "plan": ("nengji.cli.plan:plan", "Plan packages: validate, load, list, export."),
    "index": ("nengji.cli:index_group", "The composite-index engine on files."),
    "round": ("nengji.cli.rounds:round", "Reporting rounds of the plan monitoring."),
    "vouchers": (
        "nengji.cli.vouchers:vouchers",
        "Innovation vouchers across regions: clearing, reconcile.",
    ),
    "cert": (
        "nengji.cli.cert:cert",
        "Signed certificates: list, export, verify offline, public key, revoke.",
    ),
    "policy": ("nengji.cli.policy:policy", "Policy catalogue: validate, match an enterprise."),
    "report": (
        "nengji.cli.report:report",
        "Reports: annual monitoring report, mid-term evaluation.",
    ),
    "registry": (
        "nengji.cli.registry:registry",
        "The registry of innovation entities: import, export, assess.",
    ),
}


def index_group() -> click.Group:
    """`nengji index` with its analysis commands (uncertainty, sensitivity …) attached."""
    from nengji.cli.index import index
    from nengji.cli.index_uncertainty import COMMANDS as ANALYSIS

    for command in ANALYSIS:
        index.add_command(command)
    return index


class LazyGroup(click.Group):
    """A group whose subcommands are imported when invoked, not when listed."""

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module_name, attr = self.lazy[cmd_name][0].split(":")
            found = getattr(importlib.import_module(module_name), attr)
            command = found() if attr == "index_group" else found
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, self.lazy[name][1]) for name in sorted(self.lazy)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, lazy=COMMANDS)
@click.version_option(package_name="nengji")
def main() -> None:
    """能级 nengji: run, monitor and evaluate a district innovation plan."""
