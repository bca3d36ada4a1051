"""`nengji policy`: check a catalogue file, match an enterprise against the catalogue."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from nengji.cli.django_setup import PLAN_OPTION, plan_or_exit, setup_django


@click.group()
def policy() -> None:
    """The “1+6+4” policy catalogue: validate, match."""


@policy.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def validate(path: Path) -> None:
    """Check a catalogue (a catalogue.yaml, a policy/ folder or a plan package); no database.

    Exits 1 naming the file, line, item, clause and field of every error."""
    setup_django()  # the fact catalogue and clause checks are the registry's
    from nengji.plan.package import PackageInvalid
    from nengji.policy.catalogue import catalogue_read

    try:
        catalogue = catalogue_read(path)
    except PackageInvalid as exc:
        for error in exc.errors:
            click.echo(str(error), err=True)
        click.echo(f"{len(exc.errors)} error(s) in {path}.", err=True)
        sys.exit(1)
    click.echo(f"OK: {catalogue.file}: {catalogue.summary()}")


@policy.command()
@click.argument("code")
@PLAN_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True
)
def match(code: str, plan_code: str | None, fmt: str) -> None:
    """Every published item for the enterprise with 统一社会信用代码 CODE: eligible / not
    eligible / unknown, the clauses, the estimated amount."""
    setup_django()
    from nengji.policy.matching import match_enterprise
    from nengji.policy.selectors import enterprise_by_code

    plan = plan_or_exit(plan_code)
    enterprise = enterprise_by_code(code)
    if enterprise is None:
        click.echo(f"CODE: no enterprise with 统一社会信用代码 {code!r}", err=True)
        sys.exit(2)
    matches = match_enterprise(enterprise=enterprise, plan=plan)
    if fmt == "json":
        out = {
            "enterprise": enterprise.uscc,
            "name": enterprise.name_zh,
            "plan": plan.code,
            "items": [m.as_dict() for m in matches],
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    for m in matches:
        d = m.as_dict()
        amount = d["estimated_amount"] or "?"
        click.echo(f"{d['outcome']:<13}{amount:>14}  {d['item']}  {d['title']}")
        for c in d["clauses"]:
            click.echo(f"    {c['outcome']:<8} {c['code']}: {c['text_zh']}")
