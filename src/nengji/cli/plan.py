"""`nengji plan`: validate, load and export a plan package."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from nengji.cli.django_setup import PLAN_OPTION, plan_or_exit, setup_django


@click.group()
def plan() -> None:
    """Plan packages: validate, load, export."""


def _read_or_exit(path: Path):  # type: ignore[no-untyped-def]
    """The package with every part other apps own checked too (apps register their parts when
    Django starts; no database is touched)."""
    setup_django()
    from nengji.plan.package import PackageInvalid, read_package
    from nengji.plan.parts import parts_check

    try:
        package = read_package(path)
        parts_check(package)
        return package
    except PackageInvalid as exc:
        for error in exc.errors:
            click.echo(str(error), err=True)
        click.echo(f"{len(exc.errors)} error(s) in {path}; nothing was loaded.", err=True)
        sys.exit(1)


@plan.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
def validate(path: Path) -> None:
    """Check a plan package (and the parts other apps own) without touching the database."""
    package = _read_or_exit(path)
    click.echo(
        f"OK: {package.meta.code}: {len(package.sections)} elements, "
        f"{len(package.indicators)} indicators, {len(package.departments)} departments"
    )


@plan.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--retire",
    is_flag=True,
    help="Keep elements the package drops that have reports or other data, marked retired "
    "(hidden from new rounds), instead of refusing the reload.",
)
def load(path: Path, retire: bool) -> None:
    """Load (or reload) a plan package, all or nothing. Never deletes what was reported."""
    package = _read_or_exit(path)
    from django.core.management import call_command

    from nengji.core.errors import DomainError
    from nengji.plan.loader import plan_load

    call_command("migrate", interactive=False, verbosity=0)
    try:
        report = plan_load(package=package, retire=retire)
    except DomainError as exc:
        for detail in exc.detail:
            prefix = "" if detail.field == "__all__" else f"{detail.field}: "
            click.echo(prefix + detail.message, err=True)
        sys.exit(1)
    click.echo(report.summary())


@plan.command()
@PLAN_OPTION
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
def export(plan_code: str | None, fmt: str) -> None:
    """Print the loaded plan (areas → tasks → measures, indicators) as JSON."""
    setup_django()
    from nengji.plan.export import plan_export

    data = plan_export(plan=plan_or_exit(plan_code))
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@plan.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def list_(fmt: str) -> None:
    """The loaded plans: code, district, period and title (the default marked *)."""
    setup_django()
    from nengji.core.errors import DomainError
    from nengji.plan.selectors import plan_get, plan_list

    try:
        default = plan_get().code
    except DomainError:
        default = None
    plans = list(plan_list())
    if fmt == "json":
        rows = [
            {
                "code": p.code,
                "district": p.district.code,
                "district_name": p.district.name_zh,
                "period": [p.period_start, p.period_end],
                "title": p.title_zh,
                "default": p.code == default,
            }
            for p in plans
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    for p in plans:
        mark = "*" if p.code == default else " "
        click.echo(
            f"{mark} {p.code}\t{p.district.code}\t{p.period_start}-{p.period_end}\t{p.title_zh}"
        )
