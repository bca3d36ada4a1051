"""Every cockpit and portal page does a bounded number of queries with the full demo data
(48 indicators × 4 years of reports, 33 measures, an open round) loaded."""

from __future__ import annotations

import pytest

from nengji.indexing.services import index_run_compute
from tests.django_fixtures import demo_monitoring, load_demo_panel
from tests.monitoring import factories as f

pytestmark = pytest.mark.django_db

PAGES = [
    ("leader", "/cockpit/", 20),
    ("leader", "/cockpit/?area=A1&status=on_track", 20),
    ("leader", "/cockpit/index/", 10),
    ("leader", "/cockpit/index/?DIM_OUTCOMES=2", 10),
    ("leader", "/cockpit/indicators/HIGH_TECH_ENTERPRISES/", 16),
    ("leader", "/cockpit/tasks/T01.M1/", 15),  # the progress read model of the whole plan
    ("leader", "/cockpit/departments/STC/", 10),
    ("leader", "/cockpit/data/tasks-area.xlsx", 20),
    (None, "/open/", 16),
    (None, "/open-data/", 18),
    (None, "/open-data/indicators.csv", 16),
    (None, "/open-data/observations.json", 4),
    (None, "/open/comments/task/T01/", 6),
]


@pytest.fixture
def demo(plan):  # type: ignore[no-untyped-def]
    f.user("office")
    demo_monitoring()
    load_demo_panel()
    return index_run_compute(plan=plan, trigger="demo")


@pytest.mark.parametrize(("who", "url", "bound"), PAGES)
def test_bounded_queries(client, leader_user, demo, django_assert_max_num_queries, who, url, bound):
    if who:
        client.force_login(leader_user)
        client.get("/cockpit/")  # the session is loaded once, as in real use
    with django_assert_max_num_queries(bound):
        response = client.get(url)
    assert response.status_code == 200
