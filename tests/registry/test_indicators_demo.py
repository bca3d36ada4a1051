"""Year-end counts enter monitoring as proposals with provenance; the demo registry is flagged,
agrees with its configured counts, and its enterprise login is one clause from HTE."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nengji.monitoring.models import ProposedValue
from nengji.registry import services
from nengji.registry.demo import demo_registry_ensure
from nengji.registry.indicators import registry_counts, registry_counts_propose
from nengji.registry.models import Designation, Enterprise
from nengji.registry.selectors.ladder import ladder_assess, stage_get
from tests.conftest import ROOT
from tests.registry import make

pytestmark = pytest.mark.django_db


def test_counts_and_proposals(plan, office):
    a = make.enterprise(plan.district, office)
    b = make.enterprise(plan.district, office)
    services.designation_grant(
        enterprise=a, kind="high_tech", granted_on="2020-11-01", number="GR-I-1", by=office
    )
    services.designation_grant(
        enterprise=b, kind="high_tech", granted_on="2017-11-01", number="GR-I-2", by=office
    )
    counts = {c.indicator: c for c in registry_counts(plan=plan, year=2020)}
    assert counts["HIGH_TECH_ENTERPRISES"].value == 1  # b's certificate ran out in 2020
    assert counts["INNOVATION_STREETS"].value == 4
    first = registry_counts_propose(plan=plan, year=2020, by=office)
    again = registry_counts_propose(plan=plan, year=2020, by=office)
    assert [p.pk for p in first] == [p.pk for p in again]
    p = ProposedValue.objects.get(
        indicator__code="HIGH_TECH_ENTERPRISES", year=2020, source="registry"
    )
    assert p.status == "pending" and p.value == 1 and len(p.snapshot_sha256) == 64
    assert p.provenance["query"] == {"designation": "high_tech"}


def test_demo_registry_is_flagged_and_consistent(plan, tmp_path, settings):
    config = yaml.safe_load((ROOT / "data/demo/yangpu-2021/registry/demo.yaml").read_text("utf-8"))
    config["small_share"] = 0.05
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry" / "demo.yaml").write_text(
        yaml.safe_dump(config, allow_unicode=True), "utf-8"
    )
    created = demo_registry_ensure(plan=plan, demo_dir=tmp_path, data_dir=tmp_path, full=False)
    assert created == 600
    assert not Enterprise.objects.filter(is_demo=False, name_zh__contains="演示").exists()
    assert not Designation.objects.filter(is_demo=False).exists()
    counts = {c.indicator: c.value for c in registry_counts(plan=plan, year=2020)}
    assert counts["HIGH_TECH_ENTERPRISES"] == round(300 * 0.05) + round(320 * 0.05) + round(
        353 * 0.05
    )
    assert counts["TECH_SMES"] == round(8126 * 0.05)
    # idempotent
    assert demo_registry_ensure(plan=plan, demo_dir=tmp_path, data_dir=tmp_path, full=False) == 0
    login = Enterprise.objects.get(uscc="91310110MA1D3M001D")
    result = ladder_assess(login, stage=stage_get(plan=plan, code="high_tech"))
    assert result.one_away and result.failing[0].id == "hte-ht-revenue"
    assert "enterprise_demo" in (Path(tmp_path) / "demo-logins.txt").read_text("utf-8")
