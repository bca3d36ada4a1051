"""`nengji round`: open, close, publish and list reporting rounds; send reminders; demo data.

Each command names the office user it acts as (`--as`), so the audit log knows who did it.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click

from nengji.cli.django_setup import PLAN_OPTION, plan_or_exit, setup_django


@click.group()
def round() -> None:  # the command is called `round` (shadows the builtin here only)
    """Reporting rounds of the plan monitoring."""


def _office(username: str) -> Any:
    from nengji.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None or not user.is_office:
        click.echo(f"{username!r} is not a plan-office user", err=True)
        sys.exit(2)
    return user


def _round(plan_code: str | None, year: int, quarter: int) -> Any:
    from nengji.monitoring.models import Round

    plan = plan_or_exit(plan_code)
    rnd = Round.objects.filter(plan=plan, year=year, quarter=quarter).first()
    if rnd is None:
        click.echo(f"no round {year}" + (f" Q{quarter}" if quarter else ""), err=True)
        sys.exit(2)
    return rnd


def _run(fn: Any, **kwargs: Any) -> Any:
    from nengji.core.errors import DomainError

    try:
        return fn(**kwargs)
    except DomainError as exc:
        for d in exc.detail:
            click.echo(f"{d.where()}: {d.message}", err=True)
        sys.exit(1)


@round.command("open")
@click.option("--year", type=int, required=True)
@click.option(
    "--quarter",
    type=click.IntRange(0, 4),
    default=0,
    show_default=True,
    help="1–4 for a quarterly round, 0 for the year",
)
@click.option(
    "--deadline",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%d %H:%M"]),
    required=True,
    help="local time (Asia/Shanghai unless TIME_ZONE says otherwise)",
)
@click.option("--as", "username", required=True, help="the plan-office user acting")
@PLAN_OPTION
def open_(
    year: int, quarter: int, deadline: dt.datetime, username: str, plan_code: str | None
) -> None:
    """Open a round: every responsible department gets its empty reports."""
    setup_django()
    from django.utils import timezone

    from nengji.monitoring import services

    if deadline.hour == 0 and deadline.minute == 0:
        deadline = deadline.replace(hour=23, minute=59)
    rnd = _run(
        services.round_open,
        plan=plan_or_exit(plan_code),
        year=year,
        quarter=quarter,
        deadline=timezone.make_aware(deadline),
        by=_office(username),
    )
    click.echo(f"opened round {rnd.label} (id {rnd.pk}) with {rnd.submissions.count()} reports")


@round.command("close")
@click.option("--year", type=int, required=True)
@click.option("--quarter", type=click.IntRange(0, 4), default=0)
@click.option("--as", "username", required=True)
@PLAN_OPTION
def close(year: int, quarter: int, username: str, plan_code: str | None) -> None:
    """Close a round for reporting."""
    setup_django()
    from nengji.monitoring import services

    rnd = _run(services.round_close, round=_round(plan_code, year, quarter), by=_office(username))
    click.echo(f"closed round {rnd.label}")


@round.command("publish")
@click.option("--year", type=int, required=True)
@click.option("--quarter", type=click.IntRange(0, 4), default=0)
@click.option("--as", "username", required=True)
@PLAN_OPTION
def publish(year: int, quarter: int, username: str, plan_code: str | None) -> None:
    """Publish a round's approved values and task progress."""
    setup_django()
    from nengji.monitoring import services

    rnd = _run(services.round_publish, round=_round(plan_code, year, quarter), by=_office(username))
    click.echo(f"published round {rnd.label}")


@round.command("remind")
@click.option("--year", type=int, required=True)
@click.option("--quarter", type=click.IntRange(0, 4), default=0)
@click.option("--as", "username", required=True)
@PLAN_OPTION
def remind(year: int, quarter: int, username: str, plan_code: str | None) -> None:
    """E-mail the reporters of departments with reports not yet submitted."""
    setup_django()
    from nengji.monitoring import services

    sent = _run(
        services.reminders_send, round=_round(plan_code, year, quarter), by=_office(username)
    )
    click.echo(f"{sent} reminder e-mail(s) sent")


@round.command("list")
@PLAN_OPTION
def list_(plan_code: str | None) -> None:
    """Every round with its status and report counts."""
    setup_django()
    from django.db.models import Count, Q

    from nengji.monitoring.selectors import round_list

    rounds = round_list(plan=plan_or_exit(plan_code)).annotate(
        n=Count("submissions"),
        approved=Count("submissions", filter=Q(submissions__status="approved")),
    )
    for r in rounds:
        demo = "  [demo]" if r.is_demo else ""
        click.echo(
            f"{r.label:8} {r.status:9} deadline {r.deadline:%Y-%m-%d}  "
            f"{r.approved}/{r.n} approved{demo}"
        )


@round.command("demo")
@PLAN_OPTION
def demo(plan_code: str | None) -> None:
    """Create the demo monitoring data (flagged 演示数据) once; needs the demo users."""
    setup_django()
    from nengji.monitoring.demo import demo_monitoring_ensure
    from nengji.plan.demo import read_demo_config
    from nengji.plan.packages import demo_dir, package_path

    plan = plan_or_exit(plan_code)
    config = read_demo_config(demo_dir(package_path(plan.code)))
    if config is None:
        click.echo(f"plan {plan.code} has no demo data", err=True)
        sys.exit(2)
    try:
        created = demo_monitoring_ensure(plan=plan, config=config)
    except RuntimeError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    click.echo("demo monitoring data created" if created else "demo monitoring data already there")
