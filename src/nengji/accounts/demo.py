"""Demo users, one per role, with passwords generated once per data directory.

The logins are written to `<data dir>/demo-logins.txt` (one user a line:
`role username password department-code`) so the README's run command can print them,
and a second `nengji init --demo` keeps the same passwords.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from nengji.accounts.models import Role, User
from nengji.plan.models import Department

LOGINS_FILE = "demo-logins.txt"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    department: str  # a department code, or "-"

    def line(self) -> str:
        return f"{self.role} {self.username} {self.password} {self.department}"


# (username, role, department code, display name)
DEMO_USERS: tuple[tuple[str, str, str | None, str], ...] = (
    ("office", Role.OFFICE, None, "规划办（演示）"),
    ("leader", Role.LEADER, None, "区领导（演示）"),
    ("reporter_stc", Role.REPORTER, "STC", "区科委填报员（演示）"),
    ("reporter_drc", Role.REPORTER, "DRC", "区发展改革委填报员（演示）"),
)


def _read_logins(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    passwords = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 4:
            passwords[parts[1]] = parts[2]
    return passwords


@transaction.atomic
def demo_users_ensure(*, data_dir: Path) -> list[DemoLogin]:
    """Create or refresh the demo users; their passwords stay those of this data directory."""
    path = data_dir / LOGINS_FILE
    known = _read_logins(path)
    logins = []
    for username, role, department_code, display_name in DEMO_USERS:
        department = None
        if department_code is not None:
            department = Department.objects.get(code=department_code)
        password = known.get(username) or secrets.token_urlsafe(9)
        user, _ = User.objects.get_or_create(username=username)
        user.role = role
        user.department = department
        user.display_name = display_name
        user.is_staff = role == Role.OFFICE
        user.set_password(password)
        user.save()
        logins.append(DemoLogin(str(role), username, password, department_code or "-"))
    path.write_text("".join(login.line() + "\n" for login in logins), encoding="utf-8")
    path.chmod(0o600)
    return logins
