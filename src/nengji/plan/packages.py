"""Where the built-in plan package lives."""

from __future__ import annotations

from pathlib import Path

DEFAULT_PLAN = "yangpu-2021"


def default_package_path(code: str = DEFAULT_PLAN) -> Path:
    """The bundled package: `data/plans/<code>` at the project root (editable install)."""
    root = Path(__file__).resolve().parents[3]
    path = root / "data" / "plans" / code
    if not path.is_dir():
        raise FileNotFoundError(
            f"plan package {code!r} not found at {path}; nengji is meant to be installed "
            "from its source tree (`pip install -e .`), or pass the package path explicitly"
        )
    return path
