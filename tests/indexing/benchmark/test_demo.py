"""The benchmark demo: four flagged bases, published history, a live round in several states."""

from __future__ import annotations

from decimal import Decimal

from nengji.indexing.benchmark.demo import demo_benchmark_ensure
from nengji.indexing.models import BenchmarkPublication, BenchmarkRun
from nengji.monitoring.models import Observation, Submission
from nengji.plan.packages import demo_dir, package_path
from tests.django_fixtures import YANGPU, demo_monitoring


def test_demo_history_runs_publications_and_live_states(plan, office_user, tmp_path, client):
    assert demo_monitoring() is True
    assert demo_benchmark_ensure(
        plan=plan, demo_dir=demo_dir(package_path(YANGPU)), data_dir=tmp_path
    )
    partner = Observation.every_unit.filter(indicator__plan=plan, unit__isnull=False)
    assert partner.exists() and not partner.filter(is_demo=False).exists()
    # counts are whole numbers, rates keep two decimals
    for obs in partner.select_related("indicator"):
        if obs.indicator.unit_zh in ("家", "个", "人"):
            assert obs.value == obs.value.to_integral_value()
    runs = {r.year: r for r in BenchmarkRun.objects.filter(benchmark__plan=plan)}
    assert sorted(runs) == [2021, 2022, 2023, 2024] and all(r.is_demo for r in runs.values())
    published = sorted(BenchmarkPublication.objects.values_list("year", flat=True))
    assert published == [2021, 2022, 2023]
    rows = {r["base"]: r for r in runs[2021].results["bases"]}
    assert rows["NANHU"]["ranked"] is False and rows["NANHU"]["coverage"] == 8
    assert sorted(runs[2021].results["ranked"]) == ["HEFEI_HTZ", "WUJIN", "YANGPU"]
    assert len(runs[2024].results["ranked"]) == 4
    live = Submission.objects.filter(
        round__year=2025, assignment__unit__isnull=False
    ).select_related("assignment__unit")
    states = {(s.assignment.unit.code, s.status) for s in live}
    assert ("320412", "submitted") in states and ("330402", "draft") in states
    assert ("340171", "approved") in states
    assert Observation.every_unit.filter(year=2025, unit__code="340171", published_at=None).exists()
    assert Decimal(0) not in set(partner.values_list("value", flat=True))
    # idempotent
    assert not demo_benchmark_ensure(
        plan=plan, demo_dir=demo_dir(package_path(YANGPU)), data_dir=tmp_path
    )
    assert BenchmarkRun.objects.count() == 4
    # the plan's own pages show no partner value, and the benchmark pages say 演示数据
    logins = (tmp_path / "demo-logins.txt").read_text(encoding="utf-8")
    assert "region_wujin" in logins and "reporter_wujin" in logins
    html = client.get("/open/benchmark/").content.decode()
    assert "演示数据" in html and "合肥高新区" in html
