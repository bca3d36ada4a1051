from __future__ import annotations

from nengji.monitoring.models import Submission


def _sub(yp, key):
    return Submission.objects.get(round=yp["round"], assignment=yp[key], sequence=1)


def test_reporter_lists_only_own_and_404s_others(as_user, stc, yp):
    api = as_user(stc)
    subs = api.get(f"/monitoring/rounds/{yp['round'].pk}/submissions").json()
    assert {s["department"] for s in subs} == {"STC"} and len(subs) == 3
    other = _sub(yp, "a_list").pk
    assert api.get(f"/monitoring/submissions/{other}").status_code == 404
    r = api.patch(f"/monitoring/submissions/{other}", {"value": "1"})
    assert r.status_code == 404
    assert [a["item_code"] for a in api.get("/monitoring/assignments").json()] == [
        "HIGH_TECH_ENTERPRISES",
        "INVENTION_PATENTS_PER_10K",
        "T01.M1",
    ]


def test_lifecycle_through_the_api(as_user, stc, office, leader, yp):
    rep, off = as_user(stc), as_user(office)
    sid = _sub(yp, "a_ht").pk
    r = rep.patch(f"/monitoring/submissions/{sid}", {"version": 1, "value": "3000"})
    assert r.status_code == 200 and r.json()["version"] == 2
    r = rep.post(f"/monitoring/submissions/{sid}/submit", {"version": 2})
    assert r.status_code == 400
    assert r.json()["detail"][0]["field"] == "explanation"
    rep.patch(f"/monitoring/submissions/{sid}", {"explanation": "口径调整"})
    assert rep.post(f"/monitoring/submissions/{sid}/submit", {}).json()["status"] == "submitted"
    assert rep.post(f"/monitoring/submissions/{sid}/approve", {}).status_code == 403
    assert as_user(leader).post(f"/monitoring/submissions/{sid}/approve", {}).status_code == 403
    r = off.post(f"/monitoring/submissions/{sid}/approve", {"version": 1})
    assert r.status_code == 409 and r.json()["detail"][0]["field"] == "version"
    r = off.post(f"/monitoring/submissions/{sid}/approve", {})
    assert r.json()["status"] == "approved"
    r = off.post(f"/monitoring/rounds/{yp['round'].pk}/publish", {})
    assert r.json()["status"] == "published"
    public = as_user(None)
    obs = public.get("/monitoring/observations?indicator=HIGH_TECH_ENTERPRISES").json()
    assert [(o["year"], o["vintage"], float(o["value"])) for o in obs] == [(2021, 1, 3000.0)]
    status = {s["indicator"]: s for s in public.get("/monitoring/status").json()}
    assert status["HIGH_TECH_ENTERPRISES"]["band"] == "on_track"  # +208 % in a year, no target
    assert "年均增长" in status["HIGH_TECH_ENTERPRISES"]["explanation_zh"]
    r = rep.post(f"/monitoring/submissions/{sid}/revise", {"reason": "统计局更正"})
    assert r.status_code == 201 and r.json()["sequence"] == 2


def test_public_sees_only_published(as_user, yp):
    public = as_user(None)
    assert public.get("/monitoring/rounds").json() == []
    assert public.get("/monitoring/observations").json() == []
    assert public.get(f"/monitoring/rounds/{yp['round'].pk}/submissions").status_code == 401
    assert len(public.get("/plan/indicators").json()) > 40


def test_targets_and_assignments(as_user, office, stc, yp):
    off = as_user(office)
    r = off.put(
        "/monitoring/targets/HIGH_TECH_ENTERPRISES",
        {
            "target_year": 2025,
            "target_value": "1500",
            "basis": "区政府工作报告",
            "nature": "expected",
            "milestones": {"2023": "1200"},
        },
    )
    assert r.status_code == 200 and r.json()["set_by"] == office.username
    assert (
        as_user(stc)
        .put(
            "/monitoring/targets/HIGH_TECH_ENTERPRISES",
            {"target_year": 2025, "target_value": "1", "basis": "x"},
        )
        .status_code
        == 403
    )
    r = off.put(
        "/monitoring/assignments",
        {"indicator": "TECH_SMES", "lead": "STC", "supporting": ["DRC"], "evidence_required": True},
    )
    assert r.status_code == 200 and r.json()["supporting"] == ["DRC"]
    r = off.put("/monitoring/assignments", {"lead": "STC"})
    assert r.status_code == 400 and r.json()["detail"][0]["field"] == "item"


def test_audit_is_office_only(as_user, office, leader, yp):
    assert as_user(leader).get("/monitoring/audit").status_code == 403
    entries = as_user(office).get("/monitoring/audit?action=open").json()
    assert entries[0]["object_type"] == "round"


def test_external_vintages(as_user, office, yp):
    off = as_user(office)
    body = {
        "series": "index:composite",
        "year": 2019,
        "value": "261.4",
        "source_note": "杨浦区2019年双创指数报告",
        "published_on": "2020-06-01T00:00:00+08:00",
    }
    assert off.post("/monitoring/observations/external", body).status_code == 201
    body.update(value="262.0", reason="基期口径调整", source_note="2020 年报告")
    assert off.post("/monitoring/observations/external", body).json()["vintage"] == 2
    obs = as_user(None).get("/monitoring/observations?series=index:composite").json()
    assert [o["vintage"] for o in obs] == [1, 2]


def test_settings(as_user, office, stc, yp):
    assert as_user(None).get("/monitoring/settings").json()["on_track_ratio"] == 0.95
    r = as_user(office).patch("/monitoring/settings", {"on_track_ratio": 0.9})
    assert r.status_code == 200 and r.json()["on_track_ratio"] == 0.9
    r = as_user(office).patch("/monitoring/settings", {"moderate_ratio": 0.99})
    assert r.status_code == 400 and r.json()["detail"][0]["field"] == "moderate_ratio"
    assert as_user(stc).patch("/monitoring/settings", {"on_track_ratio": 0.5}).status_code == 403


def test_create_a_report_for_an_assignment_made_after_the_round_opened(as_user, office, stc, yp):
    off = as_user(office)
    a = off.put("/monitoring/assignments", {"indicator": "TECH_SMES", "lead": "STC"}).json()
    body = {"round": yp["round"].pk, "assignment": a["id"]}
    assert as_user(None).post("/monitoring/submissions", body).status_code == 401
    r = as_user(stc).post("/monitoring/submissions", body)
    assert r.status_code == 201 and r.json()["status"] == "draft"
    assert r.json()["department"] == "STC"
    assert off.post("/monitoring/submissions", body).status_code == 409


def test_published_progress_tree(as_user, office, stc, yp):
    from nengji.monitoring.models import Submission

    sid = Submission.objects.get(round=yp["round"], assignment=yp["a_m"]).pk
    rep, off = as_user(stc), as_user(office)
    rep.patch(
        f"/monitoring/submissions/{sid}",
        {"task_status": "lagging", "percent_complete": 20, "narrative": "用地"},
    )
    rep.post(f"/monitoring/submissions/{sid}/submit", {})
    off.post(f"/monitoring/submissions/{sid}/approve", {})
    assert all(a["status"] == "" for a in as_user(None).get("/monitoring/progress").json())
    off.post(f"/monitoring/rounds/{yp['round'].pk}/publish", {})
    areas = as_user(None).get("/monitoring/progress").json()
    a1 = next(a for a in areas if a["status"])
    task = next(t for t in a1["children"] if t["status"])
    measure = next(m for m in task["children"] if m["code"] == "T01.M1")
    assert (a1["status"], a1["rolled_up"]) == ("lagging", True)
    assert (measure["percent"], measure["rolled_up"]) == (20, False)


def test_evidence_through_the_api(as_user, stc, drc, leader, yp):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nengji.monitoring.models import Submission

    sid = Submission.objects.get(round=yp["round"], assignment=yp["a_ht"]).pk
    rep = as_user(stc)
    bad = SimpleUploadedFile("x.pdf", b"#!/bin/sh\nrm -rf /\n")
    r = rep.post(f"/monitoring/submissions/{sid}/evidence", files={"file": bad})
    assert r.status_code == 400 and r.json()["detail"][0]["field"] == "evidence"
    pdf = SimpleUploadedFile("公报.pdf", b"%PDF-1.4\n%%EOF\n")
    r = rep.post(f"/monitoring/submissions/{sid}/evidence", files={"file": pdf})
    assert r.status_code == 201 and r.json()["content_type"] == "application/pdf"
    eid = r.json()["id"]
    assert rep.get(f"/monitoring/evidence/{eid}").status_code == 200
    assert as_user(leader).get(f"/monitoring/evidence/{eid}").status_code == 200
    assert as_user(drc).get(f"/monitoring/evidence/{eid}").status_code == 404
    pdf2 = SimpleUploadedFile("b.pdf", b"%PDF-1.4\n")
    assert (
        as_user(drc)
        .post(f"/monitoring/submissions/{sid}/evidence", files={"file": pdf2})
        .status_code
        == 404
    )
    assert as_user(None).get(f"/monitoring/evidence/{eid}").status_code == 401


def test_key_project_create_then_assign(as_user, office, stc, yp):
    off = as_user(office)
    body = {"parent": "T06.M3", "code": "T06.M3.P1", "title_zh": "长阳创谷四期"}
    r = off.post("/monitoring/key-projects", body)
    assert r.status_code == 201 and r.json()["origin"] == "office"
    assert r.json()["parent"] == "T06.M3"
    r = off.post("/monitoring/key-projects", body)  # the code is taken now
    assert r.status_code == 400 and r.json()["detail"][0]["field"] == "code"
    r = off.post("/monitoring/key-projects", {**body, "code": "X.P9", "parent": "A1"})
    assert r.status_code == 400 and r.json()["detail"][0]["field"] == "parent"
    assert as_user(stc).post("/monitoring/key-projects", {**body, "code": "Y"}).status_code == 403
    r = off.put("/monitoring/assignments", {"section": "T06.M3.P1", "lead": "STC"})
    assert r.status_code == 200 and r.json()["item_code"] == "T06.M3.P1"
