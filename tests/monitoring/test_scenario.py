"""Issue 4, "Done means": the whole round, scripted through the API and the web.

The office opens a round; a department downloads its Excel template, uploads a broken copy
(rejected, nothing changed), then a good one; the office returns one value, the department
fixes it, the office approves and publishes; the public sees the values and their on-track
status; a revision adds a vintage and the old one stays visible; another department could not
see or touch any of it; the audit log shows every step.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from nengji.core.models import AuditEntry
from nengji.monitoring.models import Submission
from tests.api.conftest import ApiClient
from tests.monitoring import factories as f
from tests.monitoring.helpers import fill


def token(client, user) -> ApiClient:  # type: ignore[no-untyped-def]
    r = client.post(
        "/api/auth/token",
        {"username": user.username, "password": "pw-" + user.username},
        content_type="application/json",
    )
    return ApiClient(client, r.json()["token"])


def test_done_means(client, plan, django_db_blocker):  # type: ignore[no-untyped-def]
    from django.test import Client

    office, stc, drc = f.user("office"), f.user("reporter", "STC"), f.user("reporter", "DRC")
    web_office, web_stc, web_drc, public = Client(), Client(), Client(), Client()
    web_office.force_login(office)
    web_stc.force_login(stc)
    web_drc.force_login(drc)
    api_office, api_stc, api_drc = token(client, office), token(client, stc), token(client, drc)
    api_public = ApiClient(client)

    # the office binds indicators and a measure to departments, and sets a target
    for body in (
        {"indicator": "HIGH_TECH_ENTERPRISES", "lead": "STC", "supporting": ["COMM"]},
        {"indicator": "TECH_SMES", "lead": "STC"},
        {"section": "T01.M1", "lead": "STC"},
        {"indicator": "LISTED_COMPANIES", "lead": "DRC"},
    ):
        assert api_office.put("/monitoring/assignments", body).status_code == 200
    r = api_office.put(
        "/monitoring/targets/HIGH_TECH_ENTERPRISES",
        {
            "target_year": 2025,
            "target_value": "1500",
            "nature": "expected",
            "basis": "场景测试目标",
        },
    )
    assert r.status_code == 200

    # 1. the office opens the round
    r = api_office.post(
        "/monitoring/rounds", {"year": 2021, "deadline": "2022-03-31T17:00:00+08:00"}
    )
    assert r.status_code == 201
    rid = r.json()["id"]

    # 2. STC downloads its template (web), uploads a broken copy: rejected, nothing changed
    template = web_stc.get(f"/monitoring/rounds/{rid}/template.xlsx").content
    broken = fill(
        template,
        {
            "HIGH_TECH_ENTERPRISES": {"value": "一千"},
            "T01.M1": {"task_status": "按计划推进", "percent_complete": 150},
        },
    )
    audit_before = AuditEntry.objects.count()
    r = web_stc.post(
        f"/monitoring/rounds/{rid}/upload/",
        {"file": SimpleUploadedFile("broken.xlsx", broken)},
        follow=True,
    )
    page = r.content.decode()
    assert "填报!G4" in page and "填报!J6" in page
    assert AuditEntry.objects.count() == audit_before
    assert set(Submission.objects.filter(round_id=rid).values_list("version", flat=True)) == {1}

    # ... then the filled copy, submitted at once (API)
    good = fill(
        template,
        {
            "HIGH_TECH_ENTERPRISES": {"value": 1100, "explanation": "新认定高企增加"},
            "TECH_SMES": {"value": 8100},
            "T01.M1": {
                "task_status": "按计划推进",
                "percent_complete": 40,
                "narrative": "区校合作项目签约",
            },
        },
    )
    r = api_stc.post(
        f"/monitoring/rounds/{rid}/upload?submit=true",
        files={"file": SimpleUploadedFile("good.xlsx", good)},
    )
    assert r.status_code == 200 and r.json() == {"updated": 3, "submitted": 3, "skipped": 0}

    # 3. another department sees none of it and cannot touch it
    stc_subs = api_stc.get(f"/monitoring/rounds/{rid}/submissions").json()
    ids = {s["item_code"]: s["id"] for s in stc_subs}
    assert {
        s["department"] for s in api_drc.get(f"/monitoring/rounds/{rid}/submissions").json()
    } == {"DRC"}
    for sid in ids.values():
        assert api_drc.get(f"/monitoring/submissions/{sid}").status_code == 404
        assert api_drc.patch(f"/monitoring/submissions/{sid}", {"value": "1"}).status_code == 404
        assert web_drc.get(f"/monitoring/reports/{sid}/").status_code == 404
    r = web_drc.post(
        f"/monitoring/rounds/{rid}/upload/",
        {"file": SimpleUploadedFile("stc.xlsx", good)},
        follow=True,
    )
    assert "其他轮次或部门" in r.content.decode()

    # 4. the office returns one value (web), the department fixes it (API)
    ht = ids["HIGH_TECH_ENTERPRISES"]
    version = Submission.objects.get(pk=ht).version
    r = web_office.post(
        f"/monitoring/reports/{ht}/",
        {"action": "return", "version": version, "comment": "请按统计局口径"},
    )
    assert r.status_code == 302
    fixed = api_stc.patch(f"/monitoring/submissions/{ht}", {"value": "1070"})
    assert fixed.json()["status"] == "returned"
    assert api_stc.post(f"/monitoring/submissions/{ht}/submit", {}).json()["status"] == "submitted"

    # 5. the office approves everything and publishes (web)
    for sid in ids.values():
        r = api_office.post(f"/monitoring/submissions/{sid}/approve", {})
        assert r.json()["status"] == "approved", r.json()
    web_office.post(f"/monitoring/rounds/{rid}/publish/")

    # 6. the public sees the published values and their on-track status
    obs = api_public.get("/monitoring/observations?indicator=HIGH_TECH_ENTERPRISES").json()
    assert [(o["vintage"], float(o["value"])) for o in obs] == [(1, 1070.0)]
    status = {s["indicator"]: s for s in api_public.get("/monitoring/status").json()}
    ht_status = status["HIGH_TECH_ENTERPRISES"]
    assert ht_status["band"] == "on_track" and ht_status["evaluation_zh"] == "符合预期"
    assert "需年均增长" in ht_status["explanation_zh"]
    page = public.get("/monitoring/published/").content.decode()
    assert "1070" in page and "符合预期" in page and "区校合作项目签约" in page

    # 7. a revision creates a new vintage; the old one is still visible
    r = api_stc.post(f"/monitoring/submissions/{ht}/revise", {"reason": "统计局年报更正"})
    rev = r.json()["id"]
    api_stc.patch(f"/monitoring/submissions/{rev}", {"value": "1075"})
    api_stc.post(f"/monitoring/submissions/{rev}/submit", {})
    api_office.post(f"/monitoring/submissions/{rev}/approve", {})
    obs = api_public.get("/monitoring/observations?indicator=HIGH_TECH_ENTERPRISES").json()
    assert [(o["vintage"], float(o["value"]), o["reason"]) for o in obs] == [
        (1, 1070.0, ""),
        (2, 1075.0, "统计局年报更正"),
    ]
    page = public.get("/monitoring/published/").content.decode()
    assert "v1: 1070" in page and "v2: 1075" in page

    # 8. the audit log shows every step
    log = api_office.get("/monitoring/audit?limit=5000").json()
    actions = [e["action"] for e in reversed(log)]
    for step in (
        "create",
        "open",
        "update",
        "submit",
        "return",
        "approve",
        "publish",
        "index_due",
        "revise",
    ):
        assert step in actions, step
    ht_log = [
        e["action"]
        for e in reversed(log)
        if e["object_type"] == "submission" and e["object_id"] == str(ht)
    ]
    assert ht_log == ["submit", "return", "update", "submit", "approve"]
    csv = web_office.get("/monitoring/audit/?format=csv").content.decode("utf-8-sig")
    assert "publish" in csv and "统计局年报更正" in csv
