"""Computing and publishing the benchmark (issue 17): idempotent runs, ranks, intervals,
profiles, screening, the office's rights and the append-only records."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from nengji.core.errors import DomainError
from nengji.core.models import AuditEntry
from nengji.indexing.benchmark.services import benchmark_publish, benchmark_run_ensure
from nengji.indexing.models import BenchmarkPublication, BenchmarkRun
from tests.indexing.benchmark import world as w
from tests.monitoring import factories as f

MANUAL = BenchmarkRun.Trigger.MANUAL


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    return w.build()


@pytest.fixture
def office(db):  # type: ignore[no-untyped-def]
    return f.user("office")


def test_run_ranks_every_base_with_intervals_profiles_and_sobol(world, office):
    run, created = benchmark_run_ensure(
        benchmark=world["benchmark"], year=2022, trigger=MANUAL, by=office
    )
    assert created and run.year == 2022 and not run.is_demo
    res = run.results
    rows = {r["base"]: r for r in res["bases"]}
    assert sorted(res["ranked"]) == ["HEFEI", "NANHU", "OWN", "WUJIN"]
    # HEFEI leads on outcomes and labs, NANHU trails everywhere
    assert rows["NANHU"]["ranks"]["MINI"] == 4
    assert rows["HEFEI"]["ranks"]["MINI"] == 1
    assert rows["NANHU"]["normalised"]["B2"] == 1.0  # the minimum of min-max 1–100
    assert rows["HEFEI"]["normalised"]["B2"] == 100.0
    for r in rows.values():
        iv = r["interval"]
        assert iv is not None and 1 <= iv["q05"] <= iv["median"] <= iv["q95"] <= 4
        assert r["coverage"] == 4
    # a profile: OWN's best indicator is A1 (research institutes 100, the most)
    assert rows["OWN"]["strengths"][0]["code"] == "A1"
    assert rows["OWN"]["strengths"][0]["rank"] == 1
    assert rows["NANHU"]["weaknesses"][0]["rank"] == 4
    assert {s["input"] for s in res["sensitivity"]} == {"normalisation", "weights"}
    assert all(0 <= (s["ST"] or 0) <= 1.5 for s in res["sensitivity"])
    # the snapshot says where each value came from
    assert len(run.snapshot) == 16 and all(v["observation"] for v in run.snapshot)
    assert AuditEntry.objects.filter(object_type="benchmarkrun", action="compute").count() == 1


def test_same_inputs_same_run_new_values_new_run(world, office):
    b = world["benchmark"]
    first, created = benchmark_run_ensure(benchmark=b, year=2022, trigger=MANUAL, by=office)
    again, created_again = benchmark_run_ensure(benchmark=b, year=2022, trigger=MANUAL, by=office)
    assert created and not created_again and again.pk == first.pk
    w.publish(world, 2022, {"NANHU": {"B1": 2500}})  # a revised vintage
    newer, created = benchmark_run_ensure(benchmark=b, year=2022, trigger=MANUAL, by=office)
    assert created and newer.pk != first.pk and newer.data_sha256 != first.data_sha256
    rows = {r["base"]: r for r in newer.results["bases"]}
    assert rows["NANHU"]["values"]["B1"] == 2500


def test_a_base_without_enough_values_is_shown_not_ranked(world, office):
    w.publish(world, 2023, {k: v for k, v in w.VALUES.items() if k != "NANHU"})
    w.publish(world, 2023, {"NANHU": {"A1": 16, "B1": 450}})  # 2 of 4 < 75 %
    run, _ = benchmark_run_ensure(
        benchmark=world["benchmark"], year=2023, trigger=MANUAL, by=office
    )
    rows = {r["base"]: r for r in run.results["bases"]}
    assert rows["NANHU"]["ranked"] is False and rows["NANHU"]["coverage"] == 2
    assert rows["NANHU"]["ranks"] == {} and rows["NANHU"]["interval"] is None
    assert sorted(run.results["ranked"]) == ["HEFEI", "OWN", "WUJIN"]


def test_fewer_than_three_ranked_bases_is_refused_naming_the_year(world, office):
    w.publish(world, 2024, {"OWN": w.VALUES["OWN"], "HEFEI": w.VALUES["HEFEI"]})
    with pytest.raises(DomainError) as exc:
        benchmark_run_ensure(benchmark=world["benchmark"], year=2024, trigger=MANUAL, by=office)
    assert exc.value.detail[0].field == "year"
    assert not BenchmarkRun.objects.filter(year=2024).exists()


@pytest.mark.parametrize("year", [2020, 2027, 0, -1, True, 10**9])
def test_year_out_of_range_is_refused(world, office, year):
    with pytest.raises(DomainError) as exc:
        benchmark_run_ensure(benchmark=world["benchmark"], year=year, trigger=MANUAL, by=office)
    assert exc.value.detail[0].field == "year"


@pytest.mark.parametrize("role", ["leader", "reporter", None])
def test_only_the_office_runs_by_hand_and_publishes(world, office, role):
    user = f.user(role, "STC") if role == "reporter" else (f.user(role) if role else None)
    b = world["benchmark"]
    with pytest.raises(DomainError) as exc:
        benchmark_run_ensure(benchmark=b, year=2022, trigger=MANUAL, by=user)
    assert exc.value.code == "permission"
    benchmark_run_ensure(benchmark=b, year=2022, trigger=MANUAL, by=office)
    with pytest.raises(DomainError) as exc:
        benchmark_publish(benchmark=b, year=2022, by=user)
    assert exc.value.code == "permission"
    assert not BenchmarkPublication.objects.exists()


def test_publish_the_latest_run_only_and_idempotently(world, office):
    b = world["benchmark"]
    with pytest.raises(DomainError) as exc:
        benchmark_publish(benchmark=b, year=2022, by=office)  # nothing computed yet
    assert exc.value.detail[0].field == "year"
    old, _ = benchmark_run_ensure(benchmark=b, year=2022, trigger=MANUAL, by=office)
    w.publish(world, 2022, {"WUJIN": {"A1": 30}})
    new, _ = benchmark_run_ensure(benchmark=b, year=2022, trigger=MANUAL, by=office)
    with pytest.raises(DomainError) as exc:
        benchmark_publish(benchmark=b, year=2022, by=office, run_id=old.pk)
    assert exc.value.code == "conflict" and exc.value.detail[0].field == "run"
    pub, created = benchmark_publish(benchmark=b, year=2022, by=office, run_id=new.pk)
    again, created_again = benchmark_publish(benchmark=b, year=2022, by=office)
    assert created and not created_again and again.pk == pub.pk and pub.run_id == new.pk
    assert AuditEntry.objects.filter(object_type="benchmarkpublication").count() == 1


def test_runs_and_publications_are_append_only(world, office):
    b = world["benchmark"]
    run, _ = benchmark_run_ensure(benchmark=b, year=2022, trigger=MANUAL, by=office)
    pub, _ = benchmark_publish(benchmark=b, year=2022, by=office)
    run.trigger = "demo"
    with pytest.raises(ValidationError):
        run.save()
    with pytest.raises(ValidationError):
        BenchmarkRun.objects.filter(pk=run.pk).update(trigger="demo")
    with pytest.raises(ValidationError):
        BenchmarkRun.objects.filter(pk=run.pk).delete()
    with pytest.raises(ValidationError):
        pub.delete()
    with pytest.raises(ValidationError):
        BenchmarkPublication.objects.all().update(year=1999)
