"""`nengji round`: open, close, publish and list reporting rounds; send reminders; demo data.

Each command names the office user it acts as (`--as`), so the audit log knows who did it.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click

from nengji.cli.django_setup import setup_django


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


def _round(year: int, quarter: int) -> Any:
    from nengji.monitoring.models import Round
    from nengji.plan.selectors import plan_get

    rnd = Round.objects.filter(plan=plan_get(), year=year, quarter=quarter).first()
    if rnd is None:
        click.echo(f"no round {year}" + (f" Q{quarter}" if quarter else ""), err=True)
        sys.exit(2)
    return rnd


def _run(fn: Any, **kwargs: Any) -> Any:
    from nengji.monitoring.errors import MonitoringError

    try:
        return fn(**kwargs)
    except MonitoringError as exc:
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
def open_(year: int, quarter: int, deadline: dt.datetime, username: str) -> None:
    """Open a round: every responsible department gets its empty reports."""
    setup_django()
    from django.utils import timezone

    from nengji.monitoring import services
    from nengji.plan.selectors import plan_get

    if deadline.hour == 0 and deadline.minute == 0:
        deadline = deadline.replace(hour=23, minute=59)
    rnd = _run(
        services.round_open,
        plan=plan_get(),
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
def close(year: int, quarter: int, username: str) -> None:
    """Close a round for reporting."""
    setup_django()
    from nengji.monitoring import services

    rnd = _run(services.round_close, round=_round(year, quarter), by=_office(username))
    click.echo(f"closed round {rnd.label}")


@round.command("publish")
@click.option("--year", type=int, required=True)
@click.option("--quarter", type=click.IntRange(0, 4), default=0)
@click.option("--as", "username", required=True)
def publish(year: int, quarter: int, username: str) -> None:
    """Publish a round's approved values and task progress."""
    setup_django()
    from nengji.monitoring import services

    rnd = _run(services.round_publish, round=_round(year, quarter), by=_office(username))
    click.echo(f"published round {rnd.label}")


@round.command("remind")
@click.option("--year", type=int, required=True)
@click.option("--quarter", type=click.IntRange(0, 4), default=0)
@click.option("--as", "username", required=True)
def remind(year: int, quarter: int, username: str) -> None:
    """E-mail the reporters of departments with reports not yet submitted."""
    setup_django()
    from nengji.monitoring import services

    sent = _run(services.reminders_send, round=_round(year, quarter), by=_office(username))
    click.echo(f"{sent} reminder e-mail(s) sent")


@round.command("list")
def list_() -> None:
    """Every round with its status and report counts."""
    setup_django()
    from django.db.models import Count, Q

    from nengji.monitoring.selectors import round_list
    from nengji.plan.selectors import plan_get

    rounds = round_list(plan=plan_get()).annotate(
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
def demo() -> None:
    """Create the demo monitoring data (flagged 演示数据) once; needs the demo users."""
    setup_django()
    from nengji.monitoring.demo import demo_monitoring_ensure

    try:
        created = demo_monitoring_ensure()
    except RuntimeError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    click.echo("demo monitoring data created" if created else "demo monitoring data already there")
