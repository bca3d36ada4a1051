"""Key projects (重点项目): created by the plan office, assigned and reported like measures."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from nengji.core.errors import DomainError
from nengji.core.models import AuditEntry
from nengji.monitoring import services
from nengji.monitoring.models import Submission, TaskStatus
from nengji.monitoring.selectors import task_progress
from nengji.plan import services as plan_services
from nengji.plan.export import plan_export
from nengji.plan.loader import plan_load
from nengji.plan.models import Plan, Section
from nengji.plan.package import read_package
from nengji.plan.packages import package_path
from tests.monitoring import factories as f

PARENT = "T06.M3"  # 对标世界级创谷，打造大创谷功能融合区


def _create(plan, office, **kw):
    values = {
        "plan": plan,
        "parent": plan.sections.get(code=PARENT),
        "code": "T06.M3.P1",
        "title_zh": "长阳创谷四期",
        "title_en": "Changyang Valley phase IV",
        "description_zh": "城市更新项目",
        "by": office,
    }
    return plan_services.key_project_save(**{**values, **kw})


def test_create_writes_an_office_section_and_an_audit_entry(plan, office):
    p = _create(plan, office)
    assert p.kind == Section.Kind.PROJECT and p.origin == Section.Origin.OFFICE
    assert p.parent.code == PARENT and p.text_start is None and p.text_quote == ""
    entry = AuditEntry.objects.get(object_type="section", object_id=str(p.pk))
    assert entry.action == "create" and entry.after["title_zh"] == "长阳创谷四期"
    assert entry.actor == office


def test_edit_updates_in_place_and_audits_before_and_after(plan, office):
    p = _create(plan, office)
    q = _create(plan, office, project=p, title_zh="长阳创谷四期（改）", code="T06.M3.P1")
    assert q.pk == p.pk and q.title_zh.endswith("（改）")
    entry = AuditEntry.objects.filter(object_type="section", object_id=str(p.pk)).latest("id")
    assert entry.action == "update" and entry.before["title_zh"] == "长阳创谷四期"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"parent_code": "A1"}, "parent"),
        ({"code": "T01.M1"}, "code"),  # a plan section's code
        ({"code": "有 空格"}, "code"),
        ({"title_zh": "  "}, "title_zh"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(plan, office, kw, field):
    parent_code = kw.pop("parent_code", None)
    if parent_code:
        kw["parent"] = plan.sections.get(code=parent_code)
    counts = (Section.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as exc:
        _create(plan, office, **kw)
    assert [d.field for d in exc.value.detail] == [field]
    assert (Section.objects.count(), AuditEntry.objects.count()) == counts


def test_duplicate_project_code_is_refused(plan, office):
    _create(plan, office)
    with pytest.raises(DomainError) as exc:
        _create(plan, office, title_zh="另一个")
    assert exc.value.detail[0].field == "code"


def test_reporter_cannot_create(plan, stc):
    with pytest.raises(DomainError) as exc:
        _create(plan, stc)
    assert exc.value.code == "permission"


def test_assign_report_approve_and_roll_up(plan, office, stc):
    p = _create(plan, office)
    stc_dept = stc.department
    a = services.assignment_set(plan=plan, section=p, lead=stc_dept, by=office)
    rnd = services.round_open(plan=plan, year=2021, deadline=f.deadline(), by=office)
    s = Submission.objects.get(round=rnd, assignment=a)
    s = services.submission_save(
        submission=s,
        task_status=TaskStatus.LAGGING,
        percent_complete=40,
        narrative="拆迁滞后",
        by=stc,
    )
    s = services.submission_submit(submission=s, by=stc)
    s = services.submission_approve(submission=s, by=office, version=s.version)
    assert s.status == Submission.Status.APPROVED

    def find(nodes, code):
        for n in nodes:
            if n.section.code == code:
                return n
            hit = find(n.children, code)
            if hit:
                return hit
        return None

    roots = task_progress(plan=plan, published_only=False)
    project, measure = find(roots, p.code), find(roots, PARENT)
    assert project.status == TaskStatus.LAGGING and project.percent == 40
    # the measure has no report of its own: it rolls up from its key project
    assert measure.status == TaskStatus.LAGGING and measure.percent == 40
    assert find(roots, "T06").status == TaskStatus.LAGGING


def test_reload_keeps_office_projects(plan, office):
    p = _create(plan, office)
    order = p.order
    Plan.objects.update(package_sha256="")  # force a full reload
    plan_load(package=read_package(package_path("yangpu-2021")))
    p.refresh_from_db()
    assert p.parent.code == PARENT and p.order == order and p.origin == "office"


def test_reload_that_removes_a_project_parent_fails_and_deletes_nothing(plan, office):
    _create(plan, office)
    Plan.objects.update(package_sha256="")
    package = read_package(package_path("yangpu-2021"))
    drop = {s.code for s in package.sections if s.code == PARENT or s.parent == PARENT}
    package = dataclasses.replace(
        package, sections=tuple(s for s in package.sections if s.code not in drop)
    )
    with pytest.raises(ValueError, match=r"T06\.M3\.P1"):
        plan_load(package=package)
    assert Section.objects.filter(code="T06.M3.P1").exists()


def test_export_lists_projects_under_key_projects_not_measures(plan, office):
    _create(plan, office)
    data = plan_export(plan=plan)
    task = next(t for a in data["areas"] for t in a["tasks"] if t["code"] == "T06")
    measure = next(m for m in task["measures"] if m["code"] == PARENT)
    assert all(m["kind"] == "measure" for m in task["measures"])
    assert [p["code"] for p in measure["key_projects"]] == ["T06.M3.P1"]
    assert measure["key_projects"][0]["origin"] == "office"
    assert measure["key_projects"][0]["text_source"] is None
    assert task["key_projects"] == []


def test_office_form_creates_a_project(client, plan, office):
    client.force_login(office)
    r = client.post(
        "/monitoring/setup/",
        {
            "form": "project",
            "parent": PARENT,
            "code": "T06.M3.P2",
            "title_zh": "互联宝地二期",
            "title_en": "",
            "description_zh": "",
        },
    )
    assert r.status_code == 302
    assert plan.sections.get(code="T06.M3.P2").origin == "office"
    page = client.get("/monitoring/setup/?project=T06.M3.P2").content.decode()
    assert "互联宝地二期" in page and 'value="T06.M3.P2"' in page


def test_office_form_error_is_shown_against_its_field_and_keeps_input(client, plan, office):
    client.force_login(office)
    r = client.post(
        "/monitoring/setup/",
        {
            "form": "project",
            "parent": PARENT,
            "code": "T01.M1",  # taken by a plan measure
            "title_zh": "我输入的标题",
        },
    )
    assert r.status_code == 200
    form = r.context["p_form"]
    assert form.errors.get("code")
    page = r.content.decode()
    assert "我输入的标题" in page and 'value="T01.M1"' in page
    assert not plan.sections.filter(title_zh="我输入的标题").exists()


def test_plan_browser_shows_badge_and_no_source_link(client, plan, office):
    _create(plan, office)
    page = client.get(reverse("plan-browser")).content.decode()
    start = page.index('id="T06.M3.P1"')
    block = page[start : page.index("</article>", start)]
    assert "长阳创谷四期" in block and "badge" in block
    assert "?start=" not in block
    assert ("added by the plan office" in block) or ("规划办添加" in block)
    section = client.get(reverse("plan-section", args=["T06.M3.P1"])).content.decode()
    assert "?start=" not in section
