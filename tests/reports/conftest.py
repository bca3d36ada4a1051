from __future__ import annotations

import datetime as dt

import pytest

# The real-server and browser fixtures, for tests/reports/test_browser.py.
from tests.browser.conftest import browser, live_server_url, open_page  # noqa: F401

REPORT_DATE = dt.date(2024, 3, 28)


@pytest.fixture
def seeded(plan):
    from tests.reports.monitoring_data import seed_monitoring

    return seed_monitoring(plan, year=2023)
