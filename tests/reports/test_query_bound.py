"""The content of a report is read with a bounded number of queries: a fixed handful whatever
the number of indicators, measures, years of data or vintages (issue 10: "build the content
once with bounded queries"). A query per indicator or per measure would be 100+ here."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nengji.indexing.services import index_run_ensure
from nengji.plan.selectors import plan_get
from nengji.reports.services import report_build
from tests.django_fixtures import demo_monitoring, load_demo_panel

pytestmark = pytest.mark.django_db

#: what one build reads: indicators with their targets, values and leads, rounds, the year's
#: progress (sections, assignments, submissions), settings, the index run and its definition
MAX_QUERIES = 20


@pytest.fixture
def story(plan, office_user):
    assert demo_monitoring(by=office_user)
    load_demo_panel()
    index_run_ensure(plan=plan, trigger="demo")
    return plan_get(code="yangpu-2021")


def queries(**kwargs) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        report_build(**kwargs)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("kind", ["annual", "midterm"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_build_reads_a_fixed_handful(story, kind: str, lang: str) -> None:
    assert story.indicators.count() > 50
    assert story.sections.filter(assignments__isnull=False).count() > 30
    for year in (2021, 2024):  # one to four years of values, rounds and progress reports
        counts = queries(plan=story, kind=kind, year=year, lang=lang, with_charts=False)
        assert counts <= MAX_QUERIES, (year, counts)


def test_the_workbook_and_charts_add_no_query_per_row(story) -> None:
    with_charts = queries(plan=story, kind="annual", year=2024, with_charts=True)
    workbook = queries(plan=story, kind="annual", year=2024, with_charts=False)
    assert with_charts <= MAX_QUERIES
    assert workbook <= MAX_QUERIES
