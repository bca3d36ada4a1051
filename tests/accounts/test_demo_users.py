"""Demo users: one per role, passwords generated per data directory and kept on re-init."""

from __future__ import annotations

import pytest

from nengji.accounts.demo import demo_login_ensure, demo_users_ensure
from nengji.accounts.models import User
from nengji.plan.demo import read_demo_config
from nengji.plan.packages import demo_dir, package_path

pytestmark = pytest.mark.django_db


def _users():  # type: ignore[no-untyped-def]
    config = read_demo_config(demo_dir(package_path("yangpu-2021")))
    assert config is not None
    return config.users


def test_demo_users_and_logins_file(plan, tmp_path):
    logins = demo_users_ensure(data_dir=tmp_path, plan=plan, users=_users())
    lines = (tmp_path / "demo-logins.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(logins) >= 4
    roles = [line.split()[0] for line in lines]
    assert roles.count("office") >= 1 and roles.count("leader") >= 1
    reporters = [line.split() for line in lines if line.startswith("reporter ")]
    assert len({r[3] for r in reporters}) >= 2  # two different departments
    for role, username, password, organisation in (line.split() for line in lines):
        user = User.objects.get(username=username)
        assert user.check_password(password)
        assert user.role == role
        assert (user.organisation.code if user.organisation else "-") == organisation
        if role == "reporter":
            assert user.department is not None and user.department.code == organisation


def test_passwords_are_stable_per_data_dir_and_differ_between_dirs(plan, tmp_path):
    (tmp_path / "a").mkdir()
    first = demo_users_ensure(data_dir=tmp_path / "a", plan=plan, users=_users())
    again = demo_users_ensure(data_dir=tmp_path / "a", plan=plan, users=_users())
    assert [x.password for x in first] == [x.password for x in again]
    (tmp_path / "b").mkdir()
    other = demo_users_ensure(data_dir=tmp_path / "b", plan=plan, users=_users())
    assert [x.password for x in other] != [x.password for x in first]


def test_other_apps_add_their_demo_users_to_the_same_file(plan, tmp_path):
    demo_users_ensure(data_dir=tmp_path, plan=plan, users=_users())
    demo_login_ensure(
        data_dir=tmp_path, username="visitor", role="leader", organisation=None, display_name="x"
    )
    names = [line.split()[1] for line in (tmp_path / "demo-logins.txt").read_text().splitlines()]
    assert names[-1] == "visitor" and "office" in names


def test_a_role_needs_an_organisation_of_its_kind(plan, tmp_path):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        demo_login_ensure(
            data_dir=tmp_path, username="r", role="reporter", organisation=None, display_name="r"
        )
