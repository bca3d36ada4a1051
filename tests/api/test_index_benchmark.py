"""/api/index: the benchmark index through the API (issue 17)."""

from __future__ import annotations

import pytest

from tests.indexing.benchmark import world as w
from tests.monitoring import factories as f


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    return w.build()


def url(world, tail=""):  # type: ignore[no-untyped-def]
    return f"/index/benchmarks{tail}?plan={world['plan'].code}"


def test_office_computes_201_then_200_and_publishes(world, as_user, office):
    api = as_user(office)
    r = api.post(url(world, "/MINI/2022/runs"))
    assert r.status_code == 201, r.content
    run = r.json()
    assert run["year"] == 2022 and sorted(run["ranked"]) == ["HEFEI", "NANHU", "OWN", "WUJIN"]
    again = api.post(url(world, "/MINI/2022/runs"))
    assert again.status_code == 200 and again.json()["id"] == run["id"]
    r = api.post(url(world, "/MINI/2022/publication"), {"run": run["id"]})
    assert r.status_code == 201 and r.json()["run"] == run["id"]
    assert api.post(url(world, "/MINI/2022/publication"), {}).status_code == 200
    public = as_user(None).get(url(world, "/MINI/2022")).json()
    assert public["scope"] == "published" and len(public["bases"]) == 4
    top = public["bases"][0]
    assert top["rank"] == 1 and top["interval"]["q05"] >= 1 and top["strengths"]
    assert as_user(None).get(url(world)).json()[0]["published_years"] == [2022]


def test_before_publication_public_sees_nothing_partner_its_own(world, as_user, office):
    as_user(office).post(url(world, "/MINI/2022/runs"))
    assert as_user(None).get(url(world, "/MINI/2022")).json()["bases"] == []
    partner = f.partner_user(world["bodies"]["HEFEI"])
    partner.set_password("pw-" + partner.username)
    partner.save()
    mine = as_user(partner).get(url(world, "/MINI/2022")).json()
    assert mine["scope"] == "own" and [b["code"] for b in mine["bases"]] == ["HEFEI"]
    assert mine["sensitivity"] == []


@pytest.mark.parametrize("who", ["leader", "stc", None])
def test_only_the_office_writes(world, as_user, who, leader, stc):
    api = as_user({"leader": leader, "stc": stc}.get(who))
    r = api.post(url(world, "/MINI/2022/runs"))
    assert r.status_code in (401, 403), r.content
    r = api.post(url(world, "/MINI/2022/publication"), {})
    assert r.status_code in (401, 403)


@pytest.mark.parametrize(
    ("tail", "status", "field"),
    [
        ("/MINI/1800/runs", 400, "year"),
        ("/MINI/99999999999999999999/runs", 400, "year"),
        ("/MINI/2020/runs", 400, "year"),
        ("/MINI/2025/runs", 400, "year"),  # no values: too few bases
        ("/NOPE/2022/runs", 404, "code"),
        ("/MINI/2023/publication", 400, "year"),  # nothing computed
    ],
)
def test_bad_requests_are_4xx_naming_the_field(world, as_user, office, tail, status, field):
    r = as_user(office).post(url(world, tail), {})
    assert r.status_code == status, r.content
    assert r.json()["detail"][0]["field"] == field


def test_publishing_an_old_run_is_a_conflict(world, as_user, office):
    api = as_user(office)
    old = api.post(url(world, "/MINI/2022/runs")).json()["id"]
    w.publish(world, 2022, {"OWN": {"A1": 120}})
    assert api.post(url(world, "/MINI/2022/runs")).status_code == 201
    r = api.post(url(world, "/MINI/2022/publication"), {"run": old})
    assert r.status_code == 409 and r.json()["detail"][0]["field"] == "run"
    for bad in ({"run": "x"}, {"run": -1}, {"run": 10**30}, {"run": old, "extra": 1}):
        r = api.post(url(world, "/MINI/2022/publication"), bad)
        assert r.status_code == 422 and r.json()["detail"][0]["field"] in ("run", "extra")
