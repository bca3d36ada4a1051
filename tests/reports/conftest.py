from __future__ import annotations

import datetime as dt

import pytest

REPORT_DATE = dt.date(2024, 3, 28)


@pytest.fixture
def seeded(plan):
    from tests.reports.monitoring_data import seed_monitoring

    return seed_monitoring(plan, year=2023)
