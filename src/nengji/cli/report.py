"""`nengji report`: the annual monitoring report and the mid-term evaluation, as files.

nengji report annual --year 2023 --format docx --out 2023年度监测报告.docx
nengji report midterm --year 2023 --format pdf --out 中期评估报告.pdf
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from nengji.cli.django_setup import PLAN_OPTION, plan_or_exit, setup_django

FORMAT = click.Choice(["docx", "pdf", "xlsx"])


F = TypeVar("F", bound=Callable[..., None])


def _options(command: F) -> F:
    command = click.option(
        "--date",
        "date",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="成文日期 printed at the end, YYYY-MM-DD (default: the date the year's round was "
        "published).",
    )(command)
    command = click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default="zh",
        show_default=True,
        help="Language of the report: zh (Chinese) or en (English).",
    )(command)
    command = click.option(
        "--issuer", default=None, help="Issuing unit printed at the end (default: the plan office)."
    )(command)
    command = click.option(
        "--out",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        default=None,
        help="Output file (default: <data dir>/media/reports/…).",
    )(command)
    command = click.option("--format", "fmt", type=FORMAT, default="docx", show_default=True)(
        command
    )
    command = PLAN_OPTION(command)
    return click.option("--year", type=int, required=True, help="The year reported on.")(command)


def _generate(
    *,
    kind: str,
    year: int,
    fmt: str,
    out: Path | None,
    issuer: str | None,
    date: dt.datetime | None,
    plan_code: str | None,
    lang: str = "zh",
) -> None:
    setup_django()
    from nengji.reports.services import ReportError, report_generate

    with click.progressbar(length=100, label=f"{kind} {year} → {fmt}", file=None) as bar:
        done = 0

        def progress(percent: int, message: str) -> None:
            nonlocal done
            bar.label = f"{kind} {year} → {fmt}: {message}"
            bar.update(max(0, percent - done))
            done = max(done, percent)

        try:
            path = report_generate(
                plan=plan_or_exit(plan_code),
                kind=kind,
                year=year,
                fmt=fmt,
                out=out,
                issuer=issuer,
                date=date.date() if date else None,
                progress=progress,
                lang=lang,
            )
        except ReportError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(str(path))


@click.group()
def report() -> None:
    """Reports from the live data: annual monitoring report, mid-term evaluation."""


def _command(kind: str, help_text: str) -> click.Command:
    """`nengji report KIND`: the same options for every kind of report."""

    def run(**options: Any) -> None:
        _generate(kind=kind, **options)

    run.__doc__ = help_text
    return report.command(kind)(_options(run))


annual = _command("annual", "The annual monitoring report (年度监测报告) for YEAR.")
midterm = _command("midterm", "The mid-term evaluation (中期评估报告) as of YEAR.")
