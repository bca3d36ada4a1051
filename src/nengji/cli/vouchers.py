"""`nengji vouchers`: clearing between the alliance's regions, and the ledger check.

`clearing --period 2025Q1 --format json` prints the period's gross flows, net pairs and net
positions (exit 2 for an unknown or malformed period); `reconcile` checks the ledger against
the clearing and exits 1 on any difference.
"""

from __future__ import annotations

import json
import sys

import click

from nengji.cli.django_setup import setup_django


@click.group()
def vouchers() -> None:
    """Innovation vouchers across regions: clearing and reconciliation."""


@vouchers.command("clearing")
@click.option("--period", required=True, metavar="YYYYQn", help="The clearing period, e.g. 2025Q1.")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True
)
def clearing(period: str, fmt: str) -> None:
    """Gross flows and net positions per region for a period (amounts in 分)."""
    setup_django()
    from nengji.vouchers.clearing import clearing_report
    from nengji.vouchers.models import ClearingPeriod
    from nengji.vouchers.money import yuan

    row = ClearingPeriod.objects.filter(code=period).first()
    if row is None:
        click.echo(
            f"unknown period {period!r} (periods: "
            f"{', '.join(ClearingPeriod.objects.values_list('code', flat=True)) or 'none'})",
            err=True,
        )
        sys.exit(2)
    report = clearing_report(period=row)
    data = report.as_json()
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(f"{data['period']} ({data['state']}), 元")
        for g in data["gross"]:
            click.echo(f"  {g['debtor']} → {g['creditor']}: {yuan(g['amount_fen'])}")
        click.echo("net:")
        for p in data["positions"]:
            click.echo(f"  {p['region']} {p['name']}: {yuan(p['net_fen'])}")
    if not report.balanced:
        click.echo("the net positions do not sum to zero", err=True)
        sys.exit(1)


@vouchers.command("reconcile")
def reconcile_command() -> None:
    """Check the ledger against the clearing; exit 1 on any difference."""
    setup_django()
    from nengji.vouchers.reconcile import reconcile

    problems = reconcile()
    for p in problems:
        click.echo(p, err=True)
    if problems:
        click.echo(f"{len(problems)} difference(s)", err=True)
        sys.exit(1)
    click.echo("ledger and clearing reconcile")
