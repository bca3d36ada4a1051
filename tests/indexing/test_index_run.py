"""index_run_compute: the panel from official values, else flagged demo values; results stored."""

from __future__ import annotations

import pytest

from nengji.indexing.models import IndexRun
from nengji.indexing.selectors import index_run_latest, index_run_whatif
from nengji.indexing.services import index_run_compute, snapshot_sha256
from tests.django_fixtures import load_demo_panel
from tests.indexing.publish import publish_value

pytestmark = pytest.mark.django_db


class TestIndexRunCompute:
    def test_demo_run_is_flagged_and_based_at_100(self, plan):
        load_demo_panel()
        run = index_run_compute(plan=plan, trigger="demo")
        assert run.is_demo
        assert all(v["source"] == "demo" for v in run.snapshot)
        scores = run.results["scores"]["SHUANGCHUANG_INDEX"]
        assert scores["2013"] == pytest.approx(100.0)
        assert set(run.results["aggregates"]) >= {
            "DIM_ELEMENTS",
            "DIM_ENVIRONMENT",
            "DIM_OUTCOMES",
            "DIM_INFLUENCE",
        }
        assert run.snapshot_sha256 == snapshot_sha256(run.snapshot)
        assert run.spec["steps"][1]["method"] == "base_year"

    def test_contributions_add_up_to_the_change(self, plan):
        load_demo_panel()
        run = index_run_compute(plan=plan, trigger="manual")
        last = run.results["contributions"][-1]
        assert sum(last["aggregates"].values()) == pytest.approx(last["change"], abs=1e-4)
        assert sum(last["indicators"].values()) == pytest.approx(last["change"], abs=1e-4)

    def test_official_value_replaces_the_demo_value_with_its_provenance(
        self, plan, office_user, reporter_user
    ):
        load_demo_panel()
        sub = publish_value(plan=plan, office=office_user, reporter=reporter_user)
        run = index_run_latest(plan=plan)
        assert run is not None
        assert run.trigger == IndexRun.Trigger.PUBLICATION
        assert run.created_by == office_user
        (entry,) = [
            v for v in run.snapshot if v["code"] == "HIGH_TECH_ENTERPRISES" and v["year"] == 2021
        ]
        assert entry["source"] == "observation"
        assert entry["observation"] == sub.observation.pk
        assert entry["value"] == 1500.0
        assert not entry["is_demo"]
        raw = run.results["stages"]["raw"]["HIGH_TECH_ENTERPRISES"]["2021"]
        assert raw == 1500.0

    def test_whatif_recomputes_on_the_stored_snapshot(self, plan):
        load_demo_panel()
        run = index_run_compute(plan=plan, trigger="manual")
        same = index_run_whatif(run=run, weights={})
        assert same.scores == run.stored.scores
        changed = index_run_whatif(run=run, weights={"DIM_INFLUENCE": 3})
        assert changed.score("SHUANGCHUANG_INDEX", 2013) == pytest.approx(100.0)
        assert changed.scores != run.stored.scores
        assert IndexRun.objects.count() == 1


def test_a_year_with_few_values_is_left_out_of_the_index(plan, office_user, reporter_user):
    load_demo_panel()
    publish_value(plan=plan, office=office_user, reporter=reporter_user, year=2026, value="3000")
    from nengji.indexing.selectors import index_run_latest

    run = index_run_latest(plan=plan)
    assert 2026 not in run.results["years"]
    assert run.results["years_left_out"] == [2026]
    assert any(v["year"] == 2026 for v in run.snapshot)  # kept in the snapshot, with provenance


def test_ensure_computes_only_when_the_data_changed(plan, office_user, reporter_user):
    from nengji.indexing.services import index_run_ensure

    load_demo_panel()
    first = index_run_ensure(plan=plan, trigger="demo")
    assert index_run_ensure(plan=plan, trigger="demo") == first
    publish_value(plan=plan, office=office_user, reporter=reporter_user)  # computes a run itself
    latest = index_run_ensure(plan=plan, trigger="demo")
    assert latest != first
    assert index_run_ensure(plan=plan, trigger="demo") == latest
    assert IndexRun.objects.count() == 2


def test_a_plan_without_an_index_or_values_gets_no_run(plan):
    from nengji.indexing.services import index_run_ensure

    assert index_run_ensure(plan=plan, trigger="demo") is None  # no base-year values yet


def test_demo_values_come_from_the_flagged_demo_panel(plan):
    import csv

    from nengji.monitoring.models import Observation
    from tests.django_fixtures import yangpu_demo_config

    with yangpu_demo_config().index_panel.open(encoding="utf-8") as fh:
        first = next(csv.DictReader(fh))
    added = load_demo_panel()
    assert added > 0 and load_demo_panel() == 0  # loading twice adds nothing
    run = index_run_compute(plan=plan, trigger="demo")
    (entry,) = [
        v for v in run.snapshot if v["code"] == "ACADEMICIANS" and v["year"] == int(first["year"])
    ]
    obs = Observation.objects.get(pk=entry["observation"])
    assert obs.is_demo and obs.source == Observation.Source.DEMO and obs.published_at
    assert entry == {
        "code": "ACADEMICIANS",
        "year": int(first["year"]),
        "value": float(first["ACADEMICIANS"]),
        "source": "demo",
        "observation": obs.pk,
        "vintage": 1,
        "is_demo": True,
    }
