"""Publishing an annual round recomputes that year's benchmark in a background job."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from nengji.indexing.models import BenchmarkRun
from nengji.monitoring import services
from tests.indexing.benchmark import world as w
from tests.monitoring import factories as f


def test_publishing_an_annual_round_computes_the_year(db):
    world = w.build(with_values=False)
    office = f.user("office")
    w.publish(world, 2023, {k: v for k, v in w.VALUES.items() if k != "OWN"})
    rnd = services.round_open(
        plan=world["plan"], year=2023, deadline=timezone.now() + dt.timedelta(days=9), by=office
    )
    assert not BenchmarkRun.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.round_publish(round=rnd, by=office)
    run = BenchmarkRun.objects.get()
    assert run.year == 2023 and run.trigger == "publication"
    assert sorted(run.results["ranked"]) == ["HEFEI", "NANHU", "WUJIN"]


def test_a_year_that_cannot_be_ranked_is_skipped(db):
    world = w.build(with_values=False)
    office = f.user("office")
    rnd = services.round_open(
        plan=world["plan"], year=2023, deadline=timezone.now() + dt.timedelta(days=9), by=office
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.round_publish(round=rnd, by=office)
    assert not BenchmarkRun.objects.exists()
