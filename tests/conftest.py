"""Shared fixtures. No Django import at module level: tests/index runs without Django."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.django_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ARTIFACTS = ROOT / "artifacts"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def subprocess_env(data_dir: Path) -> dict[str, str]:
    """Environment for running `python -m nengji` as a user would: own data dir, SQLite."""
    import os

    env = {**os.environ, "NENGJI_DATA_DIR": str(data_dir), "DATABASE_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p
    )
    return env
