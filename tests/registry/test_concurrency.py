"""Two writers at once on PostgreSQL: vintages are numbered without gaps or duplicates, a
certificate number lands on one enterprise only."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from nengji.core.errors import DomainError
from nengji.registry import services
from nengji.registry.models import Designation, YearFigures
from tests.registry import make

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
        except Exception as exc:  # asserted below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_concurrent_corrections_get_consecutive_vintages():
    district, office = make.district(), make.user("office")
    e = make.enterprise(district, office)
    results = race(
        *[
            (
                lambda n=n: services.figures_record(
                    enterprise=e, year=2023, values={"employees": n}, by=office
                )
            )
            for n in (10, 20, 30)
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    vintages = sorted(YearFigures.objects.filter(enterprise=e).values_list("vintage", flat=True))
    assert vintages == [1, 2, 3]


def test_one_number_lands_on_one_enterprise():
    district, office = make.district(), make.user("office")
    a, b = make.enterprise(district, office), make.enterprise(district, office)
    results = race(
        *[
            (
                lambda e=e: services.designation_grant(
                    enterprise=e,
                    kind="high_tech",
                    granted_on="2024-11-01",
                    number="GR2024310000",
                    by=office,
                )
            )
            for e in (a, b)
        ]
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], DomainError), errors
    assert errors[0].code == "conflict"
    assert Designation.objects.filter(number="GR2024310000").count() == 1
