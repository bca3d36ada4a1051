"""Demo users: one per role, passwords generated per data directory and kept on re-init."""

from __future__ import annotations

import pytest

from nengji.accounts.demo import demo_users_ensure
from nengji.accounts.models import User

pytestmark = pytest.mark.django_db


def test_demo_users_and_logins_file(plan, tmp_path):
    logins = demo_users_ensure(data_dir=tmp_path)
    lines = (tmp_path / "demo-logins.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(logins) >= 4
    roles = [line.split()[0] for line in lines]
    assert roles.count("office") >= 1 and roles.count("leader") >= 1
    reporters = [line.split() for line in lines if line.startswith("reporter ")]
    assert len({r[3] for r in reporters}) >= 2  # two different departments
    for role, username, password, department in (line.split() for line in lines):
        user = User.objects.get(username=username)
        assert user.check_password(password)
        assert user.role == role
        assert (user.department.code if user.department else "-") == department


def test_passwords_are_stable_per_data_dir_and_differ_between_dirs(plan, tmp_path):
    (tmp_path / "a").mkdir()
    first = demo_users_ensure(data_dir=tmp_path / "a")
    again = demo_users_ensure(data_dir=tmp_path / "a")
    assert [x.password for x in first] == [x.password for x in again]
    (tmp_path / "b").mkdir()
    other = demo_users_ensure(data_dir=tmp_path / "b")
    assert [x.password for x in other] != [x.password for x in first]
