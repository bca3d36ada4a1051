"""The registry API: roles, hostile input as 4xx naming the field, the public aggregates."""

from __future__ import annotations

import pytest

from nengji.registry import services
from tests.registry import make

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, plan):  # type: ignore[no-untyped-def]
    office = make.user("office")
    district = plan.district
    mine = make.enterprise(district, office, name="接口甲科技有限公司", with_org=True)
    other = make.enterprise(district, office, name="接口乙科技有限公司", with_org=True)
    me = make.user("enterprise", organisation=mine.organisation)
    return {"office": office, "mine": mine, "other": other, "me": me}


def test_enterprise_sees_only_itself(as_user, world):
    api = as_user(world["me"])
    listed = api.get("/registry/enterprises").json()
    assert [r["uscc"] for r in listed["results"]] == [world["mine"].uscc]
    assert api.get(f"/registry/enterprises/{world['mine'].uscc}").status_code == 200
    for url in (
        f"/registry/enterprises/{world['other'].uscc}",
        f"/registry/enterprises/{world['other'].uscc}/facts",
        f"/registry/enterprises/{world['other'].uscc}/assess?stage=high_tech",
    ):
        assert api.get(url).status_code == 404, url
    r = api.post(
        f"/registry/enterprises/{world['other'].uscc}/figures", {"year": 2023, "employees": 5}
    )
    assert r.status_code == 404
    r = api.post(
        f"/registry/enterprises/{world['mine'].uscc}/figures", {"year": 2023, "employees": 5}
    )
    assert r.status_code == 201 and r.json()["employees"] == 5
    assert api.get("/registry/pool?stage=high_tech").status_code == 403


def test_office_creates_filters_and_assesses(as_user, world):
    api = as_user(world["office"])
    code = make.code()
    r = api.post(
        "/registry/enterprises", {"uscc": code, "name_zh": "接口丙公司", "industry": "I65"}
    )
    assert r.status_code == 201 and r.json()["stage"] == "startup"
    api.post(
        f"/registry/enterprises/{code}/designations",
        {"kind": "tech_sme", "granted_on": "2024-05-01", "number": "TS-API-1"},
    )
    assert api.get("/registry/enterprises?q=接口丙").json()["count"] == 1
    assert api.get("/registry/enterprises?industry=I").json()["count"] >= 1
    r = api.get(f"/registry/enterprises/{code}/assess?stage=high_tech").json()
    assert r["status"] == "unknown" and r["clauses"][0]["source"]
    assert api.get(f"/registry/enterprises/{code}/assess?stage=rocket").status_code == 400


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"year": 2023, "revenue": "1e30"}, "revenue"),
        ({"year": 2023, "revenue": -1}, "revenue"),
        ({"year": 2023, "employees": 2.5}, "employees"),
        ({"year": 3000}, "year"),
        ({"year": 2023, "profit": 1}, "profit"),
        ({"year": 2023, "employees": 10, "st_staff": 11}, "st_staff"),
    ],
)
def test_hostile_figures_are_4xx_naming_the_field(as_user, world, body, field):
    r = as_user(world["office"]).post(f"/registry/enterprises/{world['mine'].uscc}/figures", body)
    assert r.status_code in (400, 422)
    assert any(field in d["field"] for d in r.json()["detail"]), r.json()


def test_bad_codes_and_duplicates(as_user, world):
    api = as_user(world["office"])
    r = api.post("/registry/enterprises", {"uscc": "91310110MA1234567X", "name_zh": "x"})
    assert r.status_code == 400 and r.json()["detail"][0]["field"] == "uscc"
    r = api.post("/registry/enterprises", {"uscc": world["mine"].uscc, "name_zh": "x"})
    assert r.status_code == 409


def test_import_upload_reports_rows(as_user, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api = as_user(world["office"])
    bad = SimpleUploadedFile("l.csv", "uscc,name_zh\n91310110MA1234567X,坏\n".encode())
    r = api.post("/registry/import", files={"file": bad})
    assert r.status_code == 400 and r.json()["detail"][0]["row"] == 2
    good = SimpleUploadedFile("l.csv", f"uscc,name_zh\n{make.code()},好\n".encode())
    r = api.post("/registry/import?dry_run=true", files={"file": good})
    assert r.status_code == 200 and r.json()["created"] == 1 and r.json()["dry_run"]


def test_public_stats_suppress_small_cells(as_user, world):
    office = world["office"]
    for i in range(3):
        e = make.enterprise(world["mine"].district, office)
        services.designation_grant(
            enterprise=e, kind="high_tech", granted_on="2024-12-01", number=f"GR-P-{i}", by=office
        )
    lone = make.enterprise(world["mine"].district, office)
    services.designation_grant(enterprise=lone, kind="gazelle", granted_on="2024-12-01", by=office)
    stats = as_user(None).get("/registry/public/stats").json()
    counts = {s["key"]: s["count"] for s in stats["by_stage"]}
    assert counts["high_tech"] == 3 and counts["gazelle"] is None
    assert as_user(None).get("/registry/enterprises").status_code == 401
    stages = as_user(None).get("/registry/stages").json()
    assert stages[3]["code"] == "high_tech" and stages[3]["rule"]
