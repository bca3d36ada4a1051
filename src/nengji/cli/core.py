"""Set-up and serving commands: init, demo, serve, manage."""

from __future__ import annotations

import signal
import subprocess
import sys

import click

from nengji.cli.django_setup import setup_django


def _init(*, demo_data: bool, quiet: bool = False, demo_reports: bool = False) -> None:
    """Migrate, load every bundled plan package, and with `demo_data` their flagged demo data
    (`demo_reports`: the whole demo story, with years of demo reports)."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from nengji.accounts.demo import demo_logins
    from nengji.core.demo import demo_setup_all
    from nengji.plan.loader import plan_load
    from nengji.plan.models import Plan
    from nengji.plan.package import read_package
    from nengji.plan.packages import bundled_packages, demo_dir

    call_command("migrate", interactive=False, verbosity=0)
    for path in bundled_packages():
        report = plan_load(package=read_package(path))
        if not quiet:
            click.echo(report.summary())
        if demo_data:
            plan = Plan.objects.get(code=report.plan_code)
            demo_setup_all(
                plan=plan, demo_dir=demo_dir(path), data_dir=settings.DATA_DIR, full=demo_reports
            )
    if demo_data and not quiet:
        click.echo(f"Demo logins (also in {settings.DATA_DIR / 'demo-logins.txt'}):")
        for login in demo_logins(data_dir=settings.DATA_DIR):
            click.echo("  " + login.line())


@click.command()
@click.option("--demo", "demo_data", is_flag=True, help="Also create demo users and demo data.")
def init(demo_data: bool) -> None:
    """Create or migrate the database and load the bundled plans (idempotent; no server)."""
    _init(demo_data=demo_data)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def demo(host: str, port: int) -> None:
    """Init with demo users and data (and demo monitoring reports), then serve the platform."""
    _init(demo_data=True, demo_reports=True)
    _serve(host=host, port=port, workers=2, with_worker=True)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option(
    "--worker/--no-worker",
    "with_worker",
    default=True,
    show_default=True,
    help="Start a background-job worker beside the web server (the database queue only; run "
    "`nengji worker` yourself with --no-worker or with Redis).",
)
def serve(host: str, port: int, workers: int, with_worker: bool) -> None:
    """Serve with gunicorn (a production WSGI server, not Django's runserver)."""
    setup_django()
    _serve(host=host, port=port, workers=workers, with_worker=with_worker)


@click.command()
@click.option("--batch", is_flag=True, help="Run the jobs waiting now, then exit.")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between polls.")
def worker(batch: bool, interval: float) -> None:
    """Run background jobs (report generation, index recomputation) from the queue."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if settings.TASKS_BACKEND == "rq":
        call_command("rqworker", "default", job_class="django_tasks_rq.Job", burst=batch)
    elif settings.TASKS_BACKEND == "database":
        call_command(
            "db_worker",
            batch=batch,
            interval=interval,
            reload=False,
            startup_delay=False,
            verbosity=1,
        )
    else:
        raise click.ClickException(
            f"the {settings.TASKS_BACKEND!r} job queue runs jobs at once; there is no worker to run"
        )


def _start_worker() -> subprocess.Popen[bytes] | None:
    """A `nengji worker` process beside the web server, for the database queue."""
    from django.conf import settings

    if settings.TASKS_BACKEND != "database":
        return None
    return subprocess.Popen([sys.executable, "-m", "nengji", "worker"], preexec_fn=_die_with_parent)


def _die_with_parent() -> None:
    """In the worker process (Linux): end when the server that started it ends, even by
    SIGKILL; elsewhere the server's own shutdown stops it."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _serve(*, host: str, port: int, workers: int, with_worker: bool) -> None:
    from django.core.wsgi import get_wsgi_application
    from gunicorn.app.base import BaseApplication

    application = get_wsgi_application()

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)

        def load(self):  # type: ignore[no-untyped-def]
            return application

    click.echo(f"nengji is serving at http://{host}:{port}/  (Ctrl+C to stop)")
    job_worker = _start_worker() if with_worker else None
    try:
        _Server().run()
    finally:
        if job_worker is not None:
            job_worker.terminate()
            try:
                job_worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                job_worker.kill()


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (e.g. `nengji manage createsuperuser`)."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["nengji manage", *args])


@click.command("settings-doc")
def settings_doc() -> None:
    """Print the settings reference (docs/settings.md) generated from the declaration."""
    setup_django()
    from django.core.management import call_command

    call_command("settings_doc")
