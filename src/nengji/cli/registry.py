"""`nengji registry`: import lists, export the registry, pre-assess an enterprise.

Exit codes: 0 done; 1 bad input (every problem printed with its row and field, nothing
written); 2 bad usage (an unknown plan, user or enterprise)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from nengji.cli.django_setup import PLAN_OPTION, plan_or_exit, setup_django


@click.group()
def registry() -> None:
    """The registry of innovation entities: import, export, assess."""


def _actor(username: str | None) -> Any:
    from nengji.accounts.models import User
    from nengji.registry.services.access import SYSTEM

    if username is None:
        return SYSTEM
    user = User.objects.filter(username=username).first()
    if user is None or not user.is_office:
        click.echo(f"{username!r} is not a plan-office user", err=True)
        sys.exit(2)
    return user


def _fail(exc: Any) -> None:
    for d in exc.detail:
        where = f"row {d.row}" + (f" ({d.column})" if d.column else "") if d.row else ""
        click.echo(f"{where + ': ' if where else ''}{d.field}: {d.message}", err=True)
    sys.exit(1)


@registry.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(["enterprises", "designations"]),
    default="enterprises",
    show_default=True,
    help="enterprises (profile and a year's figures) or designations (certificate lists)",
)
@click.option("--dry-run", is_flag=True, help="check everything, write nothing")
@click.option(
    "--as", "username", default=None, help="the plan-office user acting (default: system)"
)
@PLAN_OPTION
def import_(
    file: Path, kind: str, dry_run: bool, username: str | None, plan_code: str | None
) -> None:
    """Import a CSV or .xlsx list (columns: docs/registry.md); all or nothing."""
    setup_django()
    from nengji.core.errors import DomainError
    from nengji.registry.services.imports import registry_import

    plan = plan_or_exit(plan_code)
    try:
        report = registry_import(
            district=plan.district,
            data=file.read_bytes()[: 10 * 1024 * 1024 + 1],
            filename=file.name,
            by=_actor(username),
            kind=kind,
            dry_run=dry_run,
        )
    except DomainError as exc:
        _fail(exc)
        return
    verb = "checked (dry run, nothing written)" if dry_run else "imported"
    click.echo(
        f"{verb} {report.rows} rows: {report.created} new, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.figures} figure vintages, "
        f"{report.designations} designations"
    )


@registry.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="file (default: standard output)",
)
@PLAN_OPTION
def export(fmt: str, out: Path | None, plan_code: str | None) -> None:
    """One row per enterprise: 信用代码, name, stage, active designations."""
    setup_django()
    from nengji.registry.exports import registry_export_csv, registry_export_rows

    plan = plan_or_exit(plan_code)
    if fmt == "json":
        text = json.dumps(registry_export_rows(plan=plan), ensure_ascii=False, indent=1) + "\n"
    else:
        text = registry_export_csv(plan=plan)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)


@registry.command("assess")
@click.argument("code")
@click.option(
    "--stage", "stage_code", required=True, help="a stage of the plan's ladder, e.g. high_tech"
)
@click.option("--year", type=int, default=None, help="the figures' year (default: the latest)")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True
)
@PLAN_OPTION
def assess(code: str, stage_code: str, year: int | None, fmt: str, plan_code: str | None) -> None:
    """Pre-assess enterprise CODE (统一社会信用代码) against a stage: each clause pass / fail /
    unknown, with its numbers, the gap and its source."""
    setup_django()
    from nengji.core.errors import DomainError
    from nengji.registry.models import Enterprise
    from nengji.registry.selectors.facts import enterprise_facts
    from nengji.registry.selectors.ladder import ladder_assess, stage_get
    from nengji.registry.uscc import uscc_normalise

    plan = plan_or_exit(plan_code)
    enterprise = Enterprise.objects.filter(uscc=uscc_normalise(code)).first()
    if enterprise is None:
        click.echo(f"no enterprise {code!r} in the registry", err=True)
        sys.exit(2)
    try:
        stage = stage_get(plan=plan, code=stage_code)
    except DomainError as exc:
        for d in exc.detail:
            click.echo(f"--stage: {d.message}", err=True)
        sys.exit(2)
    facts = enterprise_facts(enterprise, year=year)
    result = ladder_assess(enterprise, stage=stage, facts=facts)
    if fmt == "json":
        payload = {
            "uscc": enterprise.uscc,
            "name": enterprise.name_zh,
            "stage": stage.code,
            "year": facts["year"],
            **result.as_dict(),
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    click.echo(
        f"{enterprise.name_zh} {enterprise.uscc} — {stage.name_zh} ({facts['year']}): "
        f"{result.status}"
    )
    mark = {"pass": "✓", "fail": "✗", "unknown": "?"}

    def show(clauses: list[Any], depth: int) -> None:
        for c in clauses:
            click.echo(f"{'  ' * depth}{mark[c.status]} {c.label}: {c.words}")
            if c.source:
                click.echo(f"{'  ' * depth}    {c.source}")
            show(c.children, depth + 1)

    show(result.clauses, 1)


@registry.command("indicators")
@click.option("--year", type=int, required=True, help="count as of 31 December of this year")
@click.option(
    "--propose",
    is_flag=True,
    help="propose the counts to monitoring (the office accepts them there)",
)
@click.option(
    "--as", "username", default=None, help="the plan-office user acting (default: system)"
)
@PLAN_OPTION
def indicators(year: int, propose: bool, username: str | None, plan_code: str | None) -> None:
    """The plan's indicators the registry counts (registry/indicators.yaml), as of year end."""
    setup_django()
    from nengji.core.errors import DomainError
    from nengji.registry.indicators import registry_counts, registry_counts_propose

    plan = plan_or_exit(plan_code)
    for c in registry_counts(plan=plan, year=year):
        demo = f" ({c.demo_rows} demo)" if c.demo_rows else ""
        click.echo(f"{c.indicator}\t{year}\t{c.value}{demo}\t{c.method}\tsha256 {c.sha256[:12]}")
    if propose:
        try:
            made = registry_counts_propose(plan=plan, year=year, by=_actor(username))
        except DomainError as exc:
            _fail(exc)
            return
        click.echo(f"proposed {len(made)} values to monitoring (pending the office's decision)")
