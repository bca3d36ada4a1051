"""Two office users computing or publishing the same year at once (PostgreSQL, real threads):
one run, one publication."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from nengji.indexing.benchmark.services import benchmark_publish, benchmark_run_ensure
from nengji.indexing.models import BenchmarkPublication, BenchmarkRun
from tests.indexing.benchmark import world as w
from tests.monitoring import factories as f

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and real concurrent connections need PostgreSQL",
    ),
]


def race(*actions: Callable[[], Any]) -> list[Any]:
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(i: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = action()
        except Exception as exc:  # reported by the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_two_runs_of_the_same_inputs_store_one():
    world = w.build()
    a, b = f.user("office"), f.user("office")
    manual = BenchmarkRun.Trigger.MANUAL
    results = race(
        lambda: benchmark_run_ensure(benchmark=world["benchmark"], year=2022, trigger=manual, by=a),
        lambda: benchmark_run_ensure(benchmark=world["benchmark"], year=2022, trigger=manual, by=b),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert results[0][0].pk == results[1][0].pk
    assert sorted(created for _, created in results) == [False, True]
    assert BenchmarkRun.objects.count() == 1


def test_two_publications_of_the_same_year_store_one():
    world = w.build()
    a, b = f.user("office"), f.user("office")
    benchmark_run_ensure(
        benchmark=world["benchmark"], year=2022, trigger=BenchmarkRun.Trigger.MANUAL, by=a
    )
    results = race(
        lambda: benchmark_publish(benchmark=world["benchmark"], year=2022, by=a),
        lambda: benchmark_publish(benchmark=world["benchmark"], year=2022, by=b),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(created for _, created in results) == [False, True]
    assert BenchmarkPublication.objects.count() == 1
