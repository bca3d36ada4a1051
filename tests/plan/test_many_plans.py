"""Two plans of two districts side by side (issue 9): each with its own departments, pages,
API answers, index and report; nothing chooses one silently when there are several."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nengji.plan.models import Department, Plan
from nengji.plan.selectors import PlanNotChosenError, plan_get
from tests.conftest import ROOT

CC = "chengchuan-2024"
CC_PACKAGE = ROOT / "tests" / "fixtures" / "plans" / CC
CC_DEMO = ROOT / "tests" / "fixtures" / "demo" / CC

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(plan):  # type: ignore[no-untyped-def]
    """The Yangpu plan (loaded for every test) and the fictional Chengchuan plan, each with
    its flagged demo index values and a stored index run."""
    from nengji.indexing.services import index_run_ensure
    from nengji.monitoring.demo import demo_panel_load
    from nengji.plan.demo import read_demo_config
    from nengji.plan.loader import plan_load
    from nengji.plan.package import read_package
    from tests.django_fixtures import load_demo_panel

    plan_load(package=read_package(CC_PACKAGE))
    cc = Plan.objects.get(code=CC)
    config = read_demo_config(CC_DEMO)
    assert config is not None and config.index_panel is not None
    demo_panel_load(plan=cc, path=config.index_panel)
    load_demo_panel()
    index_run_ensure(plan=plan, trigger="demo")
    index_run_ensure(plan=cc, trigger="demo")
    return plan, cc


def test_no_silent_choice_between_two_plans(two, settings):
    with pytest.raises(PlanNotChosenError) as exc:
        plan_get()
    assert "chengchuan-2024" in str(exc.value) and "yangpu-2021" in str(exc.value)
    settings.NENGJI_DEFAULT_PLAN = CC
    assert plan_get().code == CC


def test_each_district_keeps_its_own_departments(two):
    yp, cc = two
    assert yp.district != cc.district
    stc = Department.objects.filter(code="STC")
    assert stc.count() == 2
    assert {d.district_id for d in stc} == {yp.district_id, cc.district_id}
    assert len({d.organisation_id for d in stc}) == 2


def test_pages_show_the_chosen_plan_and_remember_it(client, two):
    r = client.get("/indicators/")
    assert r.status_code == 302 and r["Location"].startswith("/plans/?next=")
    choose = client.get(r["Location"]).content.decode()
    assert "澄川区（虚构）" in choose and "?plan=yangpu-2021" in choose
    page = client.get("/indicators/?plan=chengchuan-2024").content.decode()
    assert "研发投入强度" in page and "每万人发明专利拥有量" in page
    assert "高新技术企业数" in page and "国家级大学科技园数" not in page
    page = client.get("/plan/").content.decode()  # remembered for the session
    assert "建设孵化载体" in page
    page = client.get("/plan/?plan=yangpu-2021").content.decode()
    assert "建设孵化载体" not in page and "提升科技创新策源力" in page


def test_the_public_page_and_index_of_each_plan(client, two):
    cc_page = client.get("/open/?plan=chengchuan-2024").content.decode()
    assert "澄川创新指数（虚构）" in cc_page and "杨浦双创综合指数" not in cc_page
    yp_page = client.get("/open/?plan=yangpu-2021").content.decode()
    assert "杨浦双创综合指数" in yp_page and "澄川" not in yp_page


def test_the_api_names_the_plans_and_chooses_by_query(client, two):
    plans = client.get("/api/plan/plans").json()
    assert {p["code"] for p in plans} == {CC, "yangpu-2021"}
    assert not any(p["is_default"] for p in plans)
    r = client.get("/api/plan/indicators")
    assert r.status_code == 404
    assert r.json()["detail"][0]["field"] == "plan" and CC in r.json()["detail"][0]["message"]
    codes = [i["code"] for i in client.get(f"/api/plan/indicators?plan={CC}").json()]
    assert codes == ["CC_HIGH_TECH", "CC_TECH_SMES", "CC_RD_INTENSITY", "CC_PATENTS_PER_10K"]
    status = client.get(f"/api/monitoring/status?plan={CC}").json()
    rd = next(s for s in status if s["indicator"] == "CC_RD_INTENSITY")
    # a share judged by its change a year against the plan's own target (3 % by 2028)
    assert rd["method"] == "linear" and rd["target_source"] == "plan"


def test_each_plan_has_its_own_index_run(two):
    from nengji.indexing.selectors import index_run_latest

    yp, cc = two
    yp_run, cc_run = index_run_latest(plan=yp), index_run_latest(plan=cc)
    assert yp_run is not None and cc_run is not None
    assert yp_run.stored.root == "SHUANGCHUANG_INDEX" and cc_run.stored.root == "CC_INDEX"
    assert cc_run.stored.unit == "demo-chengchuan"  # the district code: no unit in the package
    assert cc_run.stored.score("CC_INDEX", 2019) == pytest.approx(100.0)
    assert cc_run.is_demo


def test_each_plan_has_its_own_report(two, tmp_path):
    import docx

    from nengji.reports.services import report_generate

    _, cc = two
    path = report_generate(plan=cc, kind="annual", year=2024, fmt="docx", out=tmp_path / "r.docx")
    text = "\n".join(p.text for p in docx.Document(path).paragraphs)
    assert "澄川区科技创新发展规划" in text and "杨浦" not in text


def test_the_command_line_lists_plans_and_asks_for_one(two):
    from nengji.cli import main

    runner = CliRunner()
    listed = runner.invoke(main, ["plan", "list", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert {p["code"] for p in json.loads(listed.output)} == {CC, "yangpu-2021"}
    ambiguous = runner.invoke(main, ["round", "list"])
    assert ambiguous.exit_code == 2 and CC in ambiguous.output
    chosen = runner.invoke(main, ["round", "list", "--plan", CC])
    assert chosen.exit_code == 0, chosen.output
    unknown = runner.invoke(main, ["round", "list", "--plan", "nope"])
    assert unknown.exit_code == 2 and "nope" in unknown.output


def test_the_fictional_package_is_what_its_generator_writes(tmp_path, monkeypatch):
    """The fixture's spans are computed, never typed: regenerating changes nothing."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_cc", ROOT / "tests" / "fixtures" / "make_chengchuan.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "PKG", tmp_path / "pkg")
    monkeypatch.setattr(module, "DEMO", tmp_path / "demo")
    module.main()
    for path in (tmp_path / "pkg").rglob("*"):
        if path.is_file():
            original = CC_PACKAGE / path.relative_to(tmp_path / "pkg")
            assert Path(original).read_bytes() == path.read_bytes(), original
