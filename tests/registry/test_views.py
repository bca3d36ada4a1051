"""Registry pages: who sees what, forms refuse bad numbers, the public sees aggregates only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nengji.registry import services
from tests.registry import make

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(plan, office, acme, acme_user):  # type: ignore[no-untyped-def]
    other = make.enterprise(plan.district, office, name="别家科技有限公司", with_org=True)
    services.figures_record(
        enterprise=acme, year=2023, values={"employees": 20, "st_staff": 5}, by=office
    )
    return {"other": other}


def _login(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


def test_office_lists_filters_and_opens(client, office, acme, world):
    c = _login(client, office)
    r = c.get(reverse("registry-home"), {"q": "测试科技"})
    assert r.status_code == 200 and acme.name_zh in r.content.decode()
    assert world["other"].name_zh not in r.content.decode()
    r = c.get(
        reverse("registry-home"), {"stage": "startup", "page_size": "999"}
    )  # bad size: ignored
    assert r.status_code == 200
    r = c.get(reverse("registry-enterprise", args=[acme.uscc]))
    body = r.content.decode()
    assert r.status_code == 200 and "科技型中小企业" in body and "ts-employees" not in body
    for name in ("registry-ladder", "registry-carriers", "registry-map", "registry-public"):
        assert c.get(reverse(name)).status_code == 200, name


def test_list_query_count_is_bounded(client, office, plan, world):
    for _ in range(15):
        make.enterprise(plan.district, office)
    c = _login(client, office)
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(reverse("registry-home")).status_code == 200
    assert len(ctx.captured_queries) <= 25


def test_enterprise_sees_itself_only(client, acme, acme_user, world):
    c = _login(client, acme_user)
    r = c.get(reverse("registry-home"))
    assert r.status_code == 302 and acme.uscc in r["Location"]
    assert c.get(reverse("registry-enterprise", args=[acme.uscc])).status_code == 200
    assert c.get(reverse("registry-enterprise", args=[world["other"].uscc])).status_code == 404
    r = c.post(
        reverse("registry-enterprise", args=[world["other"].uscc]), {"year": 2023, "employees": 1}
    )
    assert r.status_code == 404
    assert c.get(reverse("registry-ladder")).status_code == 403


def test_figures_form_records_and_refuses(client, acme, acme_user, world):
    c = _login(client, acme_user)
    url = reverse("registry-enterprise", args=[acme.uscc])
    r = c.post(url, {"year": "2024", "employees": "30", "revenue": "1200.50"})
    assert r.status_code == 302
    r = c.post(url, {"year": "2024", "revenue": "1e30", "st_staff": "99"})
    body = r.content.decode()
    assert r.status_code == 200 and "revenue" in body and 'role="alert"' in body
    assert acme.figures.filter(year=2024).count() == 1


def test_public_pages_hide_small_counts(client, plan, office, world):
    r = client.get(reverse("registry-public"))
    assert r.status_code == 200 and "&lt;3" in r.content.decode()
    assert client.get(reverse("registry-home")).status_code == 302  # to the login
    r = client.get(reverse("registry-map"))
    assert r.status_code == 200 and "registry-map-data" in r.content.decode()
    assert "cdn" not in r.content.decode().lower()
