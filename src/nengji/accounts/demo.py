"""Demo users, one or more per role, with passwords generated once per data directory.

The logins are kept in `<data dir>/demo-logins.txt` (one user a line:
`role username password organisation-code`, "-" for none) so the README's run command can
print them, and a second `nengji init --demo` keeps the same passwords. Apps that bring more
roles (enterprises, regions…) add their demo users with `demo_login_ensure`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from nengji.accounts.models import Role, User
from nengji.core.models import Organisation
from nengji.plan.demo import DemoUser
from nengji.plan.models import Department, Plan

LOGINS_FILE = "demo-logins.txt"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    organisation: str  # the organisation's code, or "-"

    def line(self) -> str:
        return f"{self.role} {self.username} {self.password} {self.organisation}"


def _read_logins(path: Path) -> list[DemoLogin]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 4:
            out.append(DemoLogin(*parts))
    return out


def _write_logins(path: Path, logins: list[DemoLogin]) -> None:
    path.write_text("".join(login.line() + "\n" for login in logins), encoding="utf-8")
    path.chmod(0o600)


@transaction.atomic
def demo_login_ensure(
    *,
    data_dir: Path,
    username: str,
    role: str,
    organisation: Organisation | None,
    display_name: str,
) -> DemoLogin:
    """Create or refresh one demo user and record its login (the password of this data
    directory is kept)."""
    path = data_dir / LOGINS_FILE
    logins = _read_logins(path)
    known = {login.username: login.password for login in logins}
    password = known.get(username) or secrets.token_urlsafe(9)
    user, _ = User.objects.get_or_create(username=username)
    user.role = role
    user.organisation = organisation
    user.display_name = display_name
    user.is_staff = role == Role.OFFICE
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    login = DemoLogin(str(role), username, password, organisation.code if organisation else "-")
    # a known login keeps its line: a second `init --demo` writes the same file
    if username in known:
        logins = [login if x.username == username else x for x in logins]
    else:
        logins.append(login)
    _write_logins(path, logins)
    return login


def demo_users_ensure(*, data_dir: Path, plan: Plan, users: Iterable[DemoUser]) -> list[DemoLogin]:
    """The plan's demo users (office, leaders, department reporters) from its demo config."""
    out = []
    for u in users:
        org = None
        if u.department is not None:
            department = Department.objects.get(district_id=plan.district_id, code=u.department)
            org = department.organisation
        out.append(
            demo_login_ensure(
                data_dir=data_dir,
                username=u.username,
                role=u.role,
                organisation=org,
                display_name=u.display_name,
            )
        )
    return out


def demo_logins(*, data_dir: Path) -> list[DemoLogin]:
    """Every demo login recorded in this data directory."""
    return _read_logins(data_dir / LOGINS_FILE)
