"""The `nengji` command: a thin shell over the services and `nengji.index`.

Django is set up only by the commands that need the database, so `nengji index …`
works as a plain analyst tool.
"""

from __future__ import annotations

import click

from nengji.cli.core import demo, init, manage, serve, settings_doc
from nengji.cli.index import index
from nengji.cli.index_uncertainty import COMMANDS as INDEX_ANALYSIS_COMMANDS
from nengji.cli.plan import plan
from nengji.cli.report import report
from nengji.cli.rounds import round as round_group


@click.group()
@click.version_option(package_name="nengji")
def main() -> None:
    """能级 nengji: run, monitor and evaluate a district innovation plan."""


for command in (init, demo, serve, manage, settings_doc, plan, index, round_group, report):
    main.add_command(command)
for command in INDEX_ANALYSIS_COMMANDS:
    index.add_command(command)
