"""Parts of a package other apps own are checked with the plan and loaded with it."""

from __future__ import annotations

from collections import defaultdict

import pytest

from nengji.core.events import subscribe
from nengji.plan import parts
from nengji.plan.events import PlanLoaded
from nengji.plan.loader import plan_load
from nengji.plan.models import Plan
from nengji.plan.package import PackageError, PackageInvalid, read_package
from nengji.plan.packages import package_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_part(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(parts, "_parts", {})
    parts.register_part(
        parts.PackagePart(
            "test", lambda package: [PackageError("ladder.yaml", 3, "stages", "unknown stage")]
        )
    )


def test_a_part_with_errors_stops_the_load(plan, broken_part):
    before = Plan.objects.get(code="yangpu-2021").loaded_at
    with pytest.raises(PackageInvalid) as exc:
        plan_load(package=read_package(package_path("yangpu-2021")))
    assert "ladder.yaml:3: stages: unknown stage" in str(exc.value)
    assert Plan.objects.get(code="yangpu-2021").loaded_at == before


def test_loading_tells_the_apps_with_the_package_folder(plan, monkeypatch):
    seen = []
    monkeypatch.setattr("nengji.core.events._handlers", defaultdict(list))
    subscribe(PlanLoaded, seen.append)
    plan_load(package=read_package(package_path("yangpu-2021")))
    assert len(seen) == 1 and seen[0].plan_id == plan.pk and not seen[0].changed
    assert seen[0].package_root.endswith("yangpu-2021")
