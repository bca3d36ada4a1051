"""The benchmark pages: /cockpit/benchmark/ per role, /open/benchmark/ published only, and
their downloads (real files opened with openpyxl)."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from nengji.indexing.benchmark.services import benchmark_publish, benchmark_run_ensure
from nengji.indexing.models import BenchmarkRun
from tests.indexing.benchmark import world as w
from tests.monitoring import factories as f


@pytest.fixture(autouse=True)
def fast_passwords(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    world = w.build()
    office = f.user("office")
    benchmark_run_ensure(
        benchmark=world["benchmark"], year=2022, trigger=BenchmarkRun.Trigger.MANUAL, by=office
    )
    return {**world, "office": office}


def page(client, world, user, path="/cockpit/benchmark/", **params):  # type: ignore[no-untyped-def]
    if user is not None:
        client.force_login(user)
    query = "&".join(f"{k}={v}" for k, v in {"plan": world["plan"].code, **params}.items())
    return client.get(f"{path}?{query}")


def test_office_sees_the_table_and_the_buttons(client, world):
    r = page(client, world, world["office"])
    html = r.content.decode()
    assert r.status_code == 200
    for name in ("本区", "常州武进", "嘉兴南湖", "合肥高新区"):
        assert name in html
    assert 'action="/cockpit/benchmark/publish/"' in html
    assert 'action="/cockpit/benchmark/run/"' in html


def test_office_publishes_from_the_page(client, world):
    client.force_login(world["office"])
    page(client, world, None)
    run = BenchmarkRun.objects.get()
    r = client.post(
        "/cockpit/benchmark/publish/", {"code": "MINI", "year": "2022", "run": str(run.pk)}
    )
    assert r.status_code == 302
    assert hasattr(BenchmarkRun.objects.get(), "publication")


def test_leader_reads_without_buttons(client, world):
    html = page(client, world, f.user("leader")).content.decode()
    assert "合肥高新区" in html and "/cockpit/benchmark/publish/" not in html
    r = client.post("/cockpit/benchmark/run/", {"code": "MINI", "year": "2022"})
    assert r.status_code == 403


def test_partner_reporter_sees_its_own_base_only(client, world):
    html = page(client, world, f.partner_user(world["bodies"]["WUJIN"])).content.decode()
    assert "常州武进" in html and "合肥高新区" not in html and "嘉兴南湖" not in html


def test_a_partner_finds_the_benchmark_from_the_cockpit(client, world):
    client.force_login(f.partner_user(world["bodies"]["NANHU"]))
    r = client.get("/cockpit/")
    assert r.status_code == 302 and r["Location"].endswith("/cockpit/benchmark/")


def test_department_reporter_and_public_are_kept_out(client, world):
    assert page(client, world, f.user("reporter", "STC")).status_code == 403
    client.logout()
    r = page(client, world, None)
    assert r.status_code == 302 and "next=" in r["Location"]


def test_portal_shows_published_years_only_with_downloads(client, world):
    html = page(client, world, None, path="/open/benchmark/").content.decode()
    assert "合肥高新区" not in html
    benchmark_publish(benchmark=world["benchmark"], year=2022, by=world["office"])
    html = page(client, world, None, path="/open/benchmark/").content.decode()
    assert "合肥高新区" in html and "2022" in html
    r = page(client, world, None, path="/open/benchmark/data.xlsx", year=2022)
    ws = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["base", "name_zh", "name_en"] and "rank_q95" in header
    assert ws.cell(row=2, column=1).value == "HEFEI"
    csv = page(client, world, None, path="/open/benchmark/data.csv", year=2022).content
    assert csv.startswith(b"\xef\xbb\xbf") and "合肥高新区".encode() in csv
    body = json.loads(page(client, world, None, path="/open/benchmark/data.json").content)
    assert body["year"] == 2022 and len(body["rows"]) == 4
    assert page(client, world, None, path="/open/benchmark/data.exe").status_code == 404
    assert page(client, world, None, path="/open/benchmark/", year="20x2").status_code == 404
