"""Fixtures for the Django apps: the Yangpu plan loaded once per session, users per role."""

from __future__ import annotations

import pytest

YANGPU = "yangpu-2021"


def load_yangpu() -> None:
    from nengji.plan.loader import plan_load
    from nengji.plan.package import read_package
    from nengji.plan.packages import package_path

    plan_load(package=read_package(package_path(YANGPU)))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The test database with the Yangpu plan loaded, as `nengji init` leaves it."""
    with django_db_blocker.unblock():
        load_yangpu()


@pytest.fixture
def plan(db):  # type: ignore[no-untyped-def]
    from nengji.plan.selectors import plan_get

    return plan_get(code=YANGPU)


def _user(username: str, role: str, department: str | None = None):  # type: ignore[no-untyped-def]
    from nengji.accounts.models import User
    from nengji.plan.models import Department

    org = None
    if department:
        org = Department.objects.get(district__plans__code=YANGPU, code=department).organisation
    return User.objects.create_user(
        username=username, password="pw-" + username, role=role, organisation=org
    )


@pytest.fixture
def office_user(db):  # type: ignore[no-untyped-def]
    return _user("t_office", "office")


@pytest.fixture
def leader_user(db):  # type: ignore[no-untyped-def]
    return _user("t_leader", "leader")


@pytest.fixture
def reporter_user(db):  # type: ignore[no-untyped-def]
    return _user("t_reporter", "reporter", "STC")


def yangpu_demo_config():  # type: ignore[no-untyped-def]
    from nengji.plan.demo import read_demo_config
    from nengji.plan.packages import demo_dir, package_path

    return read_demo_config(demo_dir(package_path(YANGPU)))


def demo_monitoring(by=None) -> bool:  # type: ignore[no-untyped-def]
    """The flagged demo monitoring story of the Yangpu plan (what `nengji demo` creates)."""
    from nengji.monitoring.demo import demo_monitoring_ensure
    from nengji.plan.selectors import plan_get

    return demo_monitoring_ensure(plan=plan_get(code=YANGPU), config=yangpu_demo_config(), by=by)


def load_demo_panel() -> int:
    """The flagged demo index panel of the Yangpu plan, loaded as demo values (as `nengji init
    --demo` does); returns how many values were added."""
    from nengji.monitoring.demo import demo_panel_load
    from nengji.plan.selectors import plan_get

    config = yangpu_demo_config()
    return demo_panel_load(plan=plan_get(code=YANGPU), path=config.index_panel)


@pytest.fixture
def demo_panel(db):  # type: ignore[no-untyped-def]
    return load_demo_panel()


@pytest.fixture(autouse=True)
def tasks_run_at_once(request):  # type: ignore[no-untyped-def]
    """Background jobs run at once in tests (they still wait for the commit: tests that need
    them capture the on-commit callbacks); the worker itself is tested with subprocesses.
    Without pytest-django (tests/index in a bare venv) there is nothing to configure."""
    try:
        settings = request.getfixturevalue("settings")
    except pytest.FixtureLookupError:
        return
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
