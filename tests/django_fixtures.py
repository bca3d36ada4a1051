"""Fixtures for the Django apps: the Yangpu plan loaded once per session, users per role."""

from __future__ import annotations

import pytest


def load_yangpu() -> None:
    from nengji.plan.loader import plan_load
    from nengji.plan.package import read_package
    from nengji.plan.packages import default_package_path

    plan_load(package=read_package(default_package_path()))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The test database with the Yangpu plan loaded, as `nengji init` leaves it."""
    with django_db_blocker.unblock():
        load_yangpu()


@pytest.fixture
def plan(db):  # type: ignore[no-untyped-def]
    from nengji.plan.selectors import plan_get

    return plan_get()


def _user(username: str, role: str, department: str | None = None):  # type: ignore[no-untyped-def]
    from nengji.accounts.models import User
    from nengji.plan.models import Department

    dept = Department.objects.get(code=department) if department else None
    user = User.objects.create_user(username=username, password="pw-" + username, role=role)
    user.department = dept
    user.save()
    return user


@pytest.fixture
def office_user(db):  # type: ignore[no-untyped-def]
    return _user("t_office", "office")


@pytest.fixture
def leader_user(db):  # type: ignore[no-untyped-def]
    return _user("t_leader", "leader")


@pytest.fixture
def reporter_user(db):  # type: ignore[no-untyped-def]
    return _user("t_reporter", "reporter", "STC")
