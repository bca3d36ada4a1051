"""Parts of a plan package that other apps own: the registry's growth ladder, the policy
catalogue, a voucher programme… Each is data in the package (files under the package folder,
documented by the app), checked by `nengji plan validate` and loaded with the plan.

An app registers its part in `AppConfig.ready()`::

    register_part(PackagePart("ladder", check=ladder_check))

``check(package)`` reads the app's files under ``package.root`` and returns a list of
`PackageError` (file, line, field, message), with no database: `plan validate` and `plan load`
report them with the plan's own errors, and nothing is loaded while there is one. The app then
loads its part when the plan is loaded, by subscribing to `nengji.plan.events.PlanLoaded`
(its handler runs inside the loading transaction: all or nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nengji.plan.package import PackageError, PackageInvalid, PlanPackage

Check = Callable[[PlanPackage], list[PackageError]]


@dataclass(frozen=True)
class PackagePart:
    name: str
    check: Check


_parts: dict[str, PackagePart] = {}


def register_part(part: PackagePart) -> None:
    _parts[part.name] = part


def registered_parts() -> list[PackagePart]:
    return [_parts[name] for name in sorted(_parts)]


def parts_check(package: PlanPackage) -> None:
    """Raise `PackageInvalid` with every error of every registered part."""
    errors = [e for part in registered_parts() for e in part.check(package)]
    if errors:
        raise PackageInvalid(errors)
