"""Finding 12: production settings could not be turned on.

With production settings from the environment (HTTPS behind a proxy, real hosts, DEBUG off)
`check --deploy` is clean; pages carry a Content-Security-Policy; the data directory, the
SQLite file and uploaded evidence are readable by the service account only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

from tests.conftest import subprocess_env

PRODUCTION = {
    "NENGJI_DEBUG": "false",
    "NENGJI_ALLOWED_HOSTS": "plan.example.gov.cn",
    "NENGJI_HTTPS": "true",
    "NENGJI_TRUST_PROXY": "true",
    "NENGJI_SECRET_KEY": "k" * 20 + "-production-secret-" + "x9Q2" * 10,
}


def _manage(tmp_path, *args, extra=None):  # type: ignore[no-untyped-def]
    env = {**subprocess_env(tmp_path / "data"), **PRODUCTION, **(extra or {})}
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "nengji", "manage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    r = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_data_directory_and_database_are_private(tmp_path):
    r = _manage(tmp_path, "migrate", "--noinput")
    assert r.returncode == 0, r.stderr[-2000:]
    data = tmp_path / "data"
    assert stat.S_IMODE(os.stat(data).st_mode) == 0o700
    db = data / "nengji.sqlite3"
    assert stat.S_IMODE(os.stat(db).st_mode) & 0o077 == 0
    secret_file = data / "secret_key"
    if secret_file.exists():
        assert stat.S_IMODE(os.stat(secret_file).st_mode) == 0o600


def test_uploads_are_private(settings):
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600
    assert settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700


def test_pages_carry_a_content_security_policy(client, plan):
    r = client.get("/open/")
    policy = r.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
