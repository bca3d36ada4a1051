"""The `nengji` command from a clean shell: a subprocess with its own data directory.

These runs use a fresh SQLite file in a temporary data directory (DATABASE_URL cleared),
so they exercise exactly what a new user's `nengji init` does.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nengji.plan.packages import package_path
from tests.conftest import subprocess_env


def nengji(*args: str, data_dir: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = subprocess_env(data_dir)
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "nengji", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(result.stdout + result.stderr)
    return result


@pytest.fixture(scope="module")
def initialised(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("data")
    nengji("init", "--demo", data_dir=data_dir)
    return data_dir


def test_init_demo_creates_database_secret_and_logins(initialised):
    assert (initialised / "nengji.sqlite3").is_file()
    assert (initialised / "secret_key").is_file()
    lines = (initialised / "demo-logins.txt").read_text(encoding="utf-8").splitlines()
    roles = {line.split()[0] for line in lines}
    # the plan's own users, and the demo organisations' people the apps add (enterprises, banks…)
    assert {"office", "leader", "reporter", "enterprise", "bank"} <= roles


def test_init_is_idempotent(initialised):
    before = (initialised / "demo-logins.txt").read_text(encoding="utf-8")
    result = nengji("init", "--demo", data_dir=initialised)
    assert "already up to date" in result.stdout
    assert (initialised / "demo-logins.txt").read_text(encoding="utf-8") == before


def test_export_json(initialised):
    data = json.loads(nengji("plan", "export", "--format", "json", data_dir=initialised).stdout)
    assert len(data["areas"]) == 5
    assert sum(len(a["tasks"]) for a in data["areas"]) == 12
    assert all("baseline" in i and "quote" in i["baseline"] for i in data["indicators"])


def test_validate_ok(tmp_path):
    result = nengji("plan", "validate", str(package_path("yangpu-2021")), data_dir=tmp_path)
    assert result.stdout.startswith("OK")


def test_load_of_broken_package_reports_every_error_and_changes_nothing(initialised, tmp_path):
    copy = tmp_path / "pkg"
    shutil.copytree(package_path("yangpu-2021"), copy)
    sections = copy / "sections.yaml"
    text = sections.read_text(encoding="utf-8")
    text = text.replace("parent: A1", "parent: NO_SUCH_AREA", 1)
    text = text.replace("打造区校融合升级版", "打造区校融合升级版X", 1)
    sections.write_text(text, encoding="utf-8")
    before = nengji("plan", "export", data_dir=initialised).stdout
    result = nengji("plan", "load", str(copy), data_dir=initialised, check=False)
    assert result.returncode != 0
    assert "sections.yaml:" in result.stderr
    assert "NO_SUCH_AREA" in result.stderr
    assert "quote" in result.stderr
    assert nengji("plan", "export", data_dir=initialised).stdout == before


def test_version_and_help(tmp_path):
    assert "init" in nengji("--help", data_dir=tmp_path).stdout
