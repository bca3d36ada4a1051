from __future__ import annotations

from decimal import Decimal

import pytest

from nengji.core.errors import DomainError
from nengji.core.models import AuditEntry
from nengji.monitoring import services
from nengji.monitoring.models import Target


def test_assignment_update_is_audited_with_before_and_after(mini, office):
    services.assignment_set(
        plan=mini["plan"],
        indicator=mini["i1"],
        lead=mini["DRC"],
        supporting=[mini["STC"]],
        evidence_required=True,
        by=office,
    )
    entry = AuditEntry.objects.filter(object_type="assignment", action="update").first()
    assert entry.before["lead"] == mini["STC"].pk and entry.after["lead"] == mini["DRC"].pk
    assert entry.after["supporting"] == ["STC"] and entry.after["evidence_required"] is True


def test_assignment_validation(mini, office):
    with pytest.raises(DomainError) as exc:
        services.assignment_set(
            plan=mini["plan"],
            indicator=mini["i1"],
            section=mini["m1"],
            lead=mini["STC"],
            supporting=[mini["STC"]],
            frequency="weekly",
            min_value=Decimal(5),
            max_value=Decimal(1),
            by=office,
        )
    fields = {d.field for d in exc.value.detail}
    assert fields == {"item", "frequency", "max_value", "supporting"}


def test_area_cannot_be_assigned(mini, office):
    with pytest.raises(DomainError) as exc:
        services.assignment_set(
            plan=mini["plan"], section=mini["area"], lead=mini["STC"], by=office
        )
    assert exc.value.detail[0].field == "section"


def test_target_set_and_change(mini, office):
    t = services.target_set(
        indicator=mini["i1"],
        target_year=2025,
        target_value=Decimal(200),
        milestones={"2023": "150"},
        nature=Target.Nature.BINDING,
        basis="区委常委会决定",
        by=office,
        is_demo=True,
    )
    assert t.set_by == office and t.milestones == {"2023": "150"} and t.is_demo
    t2 = services.target_set(
        indicator=mini["i1"],
        target_year=2025,
        target_value=Decimal(220),
        basis="中期调整",
        by=office,
        version=1,
    )
    assert t2.version == 2
    entry = AuditEntry.objects.filter(object_type="target", action="update").get()
    assert entry.before["target_value"] == "200" and entry.after["target_value"] == "220"
    with pytest.raises(DomainError) as exc:
        services.target_set(
            indicator=mini["i1"],
            target_year=2025,
            target_value=Decimal(1),
            basis="x",
            by=office,
            version=1,
        )
    assert exc.value.code == "conflict"


def test_target_validation(mini, office):
    with pytest.raises(DomainError) as exc:
        services.target_set(
            indicator=mini["i1"],
            target_year=2050,
            target_value=Decimal(1),
            milestones={"2023": "abc", "2060": "1"},
            nature="x",
            basis="",
            by=office,
        )
    assert {d.field for d in exc.value.detail} == {"target_year", "nature", "milestones", "basis"}
    assert not Target.objects.exists()


def test_leader_cannot_set_targets(mini, leader):
    with pytest.raises(DomainError) as exc:
        services.target_set(
            indicator=mini["i1"], target_year=2025, target_value=Decimal(1), basis="x", by=leader
        )
    assert exc.value.code == "permission"


def test_settings_update(mini, office):
    s = services.settings_update(plan=mini["plan"], on_track_ratio=0.9, by=office)
    assert s.on_track_ratio == 0.9
    with pytest.raises(DomainError):
        services.settings_update(plan=mini["plan"], moderate_ratio=0.95, by=office)
    with pytest.raises(DomainError):
        services.settings_update(plan=mini["plan"], bogus=1, by=office)
