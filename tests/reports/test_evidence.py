"""The year's evidence: latest vintage up to the year, stale values, missing data in words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nengji.monitoring.models import TaskStatus
from nengji.monitoring.ontrack import Band
from nengji.reports.evidence import evidence_for_year
from tests.reports.monitoring_data import REVISED, REVISED_VALUE


@pytest.mark.django_db
class TestEvidenceForYear:
    def test_latest_vintage_of_the_latest_year(self, plan, seeded) -> None:
        ev = evidence_for_year(plan=plan, year=2023, with_index=False)
        facts = {f.indicator.pk: f for f in ev.indicators}
        revised = facts[seeded.indicators[REVISED].pk]
        assert revised.latest is not None
        assert (revised.latest.year, revised.latest.vintage) == (2023, 2)
        assert revised.latest.value == Decimal(REVISED_VALUE)

    def test_a_year_only_sees_values_up_to_it(self, plan, seeded) -> None:
        ev = evidence_for_year(plan=plan, year=2022, with_index=False)
        years = {f.latest.year for f in ev.indicators if f.latest}
        assert years == {2022}

    def test_every_evaluation_appears(self, plan, seeded) -> None:
        ev = evidence_for_year(plan=plan, year=2023, with_index=False)
        counts = ev.evaluation_counts()
        assert counts[Band.LIMITED] + counts[Band.AWAY] >= 1
        assert counts[Band.ACHIEVED] + counts[Band.AHEAD] + counts[Band.ON_TRACK] >= 1
        assert sum(counts.values()) == plan.indicators.count()
        binding = ev.evaluation_counts(binding_only=True)
        assert binding[Band.LIMITED] + binding[Band.AWAY] == 1

    def test_progress_and_demo_flag(self, plan, seeded) -> None:
        ev = evidence_for_year(plan=plan, year=2023, with_index=False)
        statuses = sorted(p.status for p in ev.progress)
        assert statuses.count(TaskStatus.LAGGING) == 2
        assert ev.has_demo_data

    def test_missing_data_is_named(self, plan, seeded) -> None:
        ev = evidence_for_year(plan=plan, year=2023, with_index=False)
        text = "".join(ev.missing)
        assert "此前年份" in text  # the indicator without a 2023 value
        assert "尚无监测值的指标" in text
        # the one-off event of 2017 is a fact of the past: nothing is missing for it
        assert "2017年全国双创活动周主会场参观人次" not in text

    def test_a_year_without_any_data(self, plan) -> None:
        ev = evidence_for_year(plan=plan, year=2021, with_index=False)
        assert all(f.latest is None for f in ev.indicators)
        assert any("未开展监测填报轮次" in m for m in ev.missing)
        assert not ev.has_demo_data
