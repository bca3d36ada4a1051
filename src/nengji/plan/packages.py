"""Where the plan packages shipped with nengji live: `data/plans/<code>/` in the source tree
(nengji is installed editable), with their flagged demo data in `data/demo/<code>/`."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3] / "data"


def bundled_packages() -> list[Path]:
    """Every plan package under `data/plans/`, by code."""
    plans = ROOT / "plans"
    return (
        sorted(p for p in plans.iterdir() if (p / "plan.yaml").is_file()) if plans.is_dir() else []
    )


def package_path(code: str) -> Path:
    """The bundled package of a plan code."""
    path = ROOT / "plans" / code
    if not (path / "plan.yaml").is_file():
        raise FileNotFoundError(
            f"plan package {code!r} not found at {path}; nengji is meant to be installed "
            "from its source tree (`pip install -e .`), or pass the package path explicitly"
        )
    return path


def demo_dir(package: Path) -> Path:
    """The flagged demo data beside a package: `<root>/demo/<code>` for `<root>/plans/<code>`."""
    return package.parent.parent / "demo" / package.name
