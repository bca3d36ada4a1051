"""The index adapter: series up to the report's year and exact contributions of the dimensions."""

from __future__ import annotations

import pytest

from nengji.reports import index_source
from tests.django_fixtures import load_demo_panel
from tests.reports.toy_index import toy_results


class TestFactsFromResults:
    def test_series_stop_at_the_year(self) -> None:
        facts = index_source.facts_from_results(toy_results(), up_to=2014, is_demo=True)
        assert facts is not None
        assert facts.years == [2013, 2014]
        assert facts.values[facts.index_name][0] == pytest.approx(100.0)

    def test_contributions_add_up_to_the_change(self) -> None:
        facts = index_source.facts_from_results(toy_results(), up_to=2015, is_demo=True)
        assert facts is not None
        assert (facts.previous, facts.year) == (2014, 2015)
        values = facts.values[facts.index_name]
        assert facts.change == pytest.approx(values[-1] - values[-2])
        assert sum(facts.contributions.values()) == pytest.approx(facts.change, abs=1e-9)

    def test_no_years_before_the_panel(self) -> None:
        assert index_source.facts_from_results(toy_results(), up_to=2010, is_demo=True) is None


@pytest.mark.django_db
def test_a_report_shows_the_stored_index_run_the_cockpit_shows(plan) -> None:
    from nengji.indexing.services import index_run_compute
    from nengji.reports.evidence import evidence_for_year

    load_demo_panel()
    run = index_run_compute(plan=plan, trigger="manual")
    facts = evidence_for_year(plan=plan, year=2023).index
    assert facts is not None
    assert facts.is_demo == run.is_demo
    assert facts.names[0] == "杨浦双创综合指数"
    assert facts.names[1:] == ["双创要素", "双创环境", "双创成果", "双创影响力"]
    for year, value in zip(facts.years, facts.values[facts.index_name], strict=True):
        assert value == pytest.approx(run.stored.score(run.stored.root, year), abs=1e-6)


@pytest.mark.django_db
def test_without_a_stored_run_the_report_says_so(plan) -> None:
    from nengji.reports.evidence import evidence_for_year

    ev = evidence_for_year(plan=plan, year=2023)
    assert ev.index is None
    assert any("双创综合指数尚无测算结果" in m for m in ev.missing)
