"""Flagged demo data of the policy app (filled in below)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def demo_policy_ensure(*, plan: Any, demo_dir: Path) -> None:
    """Nothing yet."""
