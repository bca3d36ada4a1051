"""The ladder as plan-package data: loaded with the plan, checked, assessed clause by clause."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from nengji.plan.package import read_package
from nengji.plan.packages import package_path
from nengji.registry import services
from nengji.registry.models import Area, Carrier, LadderStage, Street
from nengji.registry.package import registry_part_read
from nengji.registry.selectors.ladder import (
    cohort,
    cultivation_pool,
    enterprise_stage,
    funnel,
    ladder_assess,
    next_stages,
    stage_get,
    stage_history,
)
from tests.registry import make

pytestmark = pytest.mark.django_db


def test_yangpu_part_is_loaded_with_the_plan(plan):
    assert [s.code for s in LadderStage.objects.filter(plan=plan)] == [
        "startup",
        "tech_sme",
        "innovative_sme",
        "high_tech",
        "specialised",
        "little_giant",
        "gazelle",
        "listed",
        "unicorn",
    ]
    assert Street.objects.filter(district=plan.district).count() == 12
    assert Area.objects.filter(district=plan.district, kind="functional").count() == 4
    groups = {a.code: a.size for a in Area.objects.filter(district=plan.district, kind="group")}
    assert groups == {"parks": 20, "corridors": 4, "blocks": 4, "belt": 1}
    assert Carrier.objects.filter(district=plan.district, is_demo=False).count() == 9


def test_every_clause_cites_a_source(plan):
    def walk(clauses, top=True):
        for c in clauses:
            if top:
                assert c.get("source"), c["id"]
            for key in ("all", "any"):
                walk(c.get(key, []), top=False)

    for stage in LadderStage.objects.filter(plan=plan):
        walk(stage.rule)


def _broken_copy(tmp_path: Path, name: str, text: str) -> Path:
    root = tmp_path / "pkg"
    shutil.copytree(package_path("yangpu-2021"), root)
    (root / "registry" / name).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("name", "text", "needle"),
    [
        (
            "ladder.yaml",
            "stages:\n  - {code: rocket, level: 1, name_zh: x, rule: []}\n",
            "one of startup",
        ),
        (
            "ladder.yaml",
            "stages:\n  - {code: startup, level: 0, name_zh: x,\n"
            "     rule: [{id: a, fact: x, op: '>=', value: 1}]}\n",
            "needs a source",
        ),
        ("carriers.csv", "code,name_zh\nx,y\n", "missing columns"),
        ("streets.csv", "code,name_zh\n1,a\n1,b\n", "used twice"),
        (
            "areas.yaml",
            "zones:\n  - {code: w, name_zh: 西, quote: 不在规划里的话}\n",
            "occurs in the plan text",
        ),
    ],
)
def test_package_errors_name_file_and_field(tmp_path, name, text, needle):
    _part, errors = registry_part_read(read_package(_broken_copy(tmp_path, name, text)))
    assert any(needle in str(e) and name in str(e) for e in errors), [str(e) for e in errors]


def test_yangpu_part_has_no_errors():
    assert registry_part_read(read_package(package_path("yangpu-2021")))[1] == []


def _figures(e, by, year, **v):
    return services.figures_record(enterprise=e, year=year, values=v, by=by)


def test_high_tech_assessment_with_gap(plan, district, office):
    e = make.enterprise(district, office, founded_on=dt.date(2018, 1, 1))
    common = {
        "ip_invention_patents": 1,
        "ip_other_class1": 0,
        "ip_utility_models": 0,
        "ip_designs": 0,
        "ip_software": 0,
    }
    for y in (2021, 2022, 2023):
        _figures(
            e,
            office,
            y,
            employees=100,
            st_staff=15,
            revenue=4000,
            rd_domestic=112,
            rd_foreign=0,
            high_tech_revenue=3000,
            **common,
        )
    result = ladder_assess(e, stage=stage_get(plan=plan, code="high_tech"), year=2023)
    by_id = {c.id: c for c in result.clauses}
    assert by_id["hte-rd-intensity"].status == "fail"  # 2.8 % < 5 % for sales ≤ 5000万
    assert by_id["hte-rd-intensity"].value == Decimal("2.8")
    assert by_id["hte-rd-intensity"].gap["change"] == Decimal("264.00")  # 3 years: 600 needed − 336
    assert by_id["hte-st-staff"].status == "pass" and by_id["hte-ip"].status == "pass"
    assert result.status == "fail" and result.one_away


def test_unknown_is_never_a_pass(plan, district, office):
    e = make.enterprise(district, office)
    result = ladder_assess(e, stage=stage_get(plan=plan, code="tech_sme"), year=2023)
    assert result.status == "unknown"
    assert {c.status for c in result.clauses} == {"unknown"}


def test_stage_follows_designations_and_history(plan, district, office):
    e = make.enterprise(district, office, founded_on=dt.date(2016, 1, 1))
    assert enterprise_stage(e, plan=plan).code == "startup"
    services.designation_grant(
        enterprise=e, kind="tech_sme", granted_on="2019-05-01", number="TS1", by=office
    )
    today = timezone.localdate()
    services.designation_grant(
        enterprise=e,
        kind="high_tech",
        granted_on=today - dt.timedelta(days=20),
        number="GRX",
        by=office,
    )
    assert enterprise_stage(e, plan=plan).code == "high_tech"
    history = [(s.stage.code, s.start) for s in stage_history(e, plan=plan)]
    assert history[0] == ("startup", dt.date(2016, 1, 1))
    assert ("tech_sme", dt.date(2019, 5, 1)) in history
    assert history[-1][0] == "high_tech"
    stages = list(LadderStage.objects.filter(plan=plan))
    assert [s.code for s in next_stages(stages, stage_get(plan=plan, code="little_giant"))] == [
        "gazelle",
        "listed",
        "unicorn",
    ]


def test_pool_funnel_and_cohort(plan, district, office):
    near = make.enterprise(district, office, founded_on=dt.date(2015, 1, 1))
    common = {
        "ip_invention_patents": 1,
        "ip_other_class1": 0,
        "ip_utility_models": 0,
        "ip_designs": 0,
        "ip_software": 0,
    }
    for y in (2021, 2022, 2023):
        _figures(
            near,
            office,
            y,
            employees=100,
            st_staff=15,
            revenue=4000,
            rd_domestic=300,
            rd_foreign=0,
            high_tech_revenue=2000,
            **common,
        )
    pool = cultivation_pool(plan=plan, stage=stage_get(plan=plan, code="high_tech"), year=2023)
    assert [c.enterprise.pk for c in pool] == [near.pk]
    assert pool[0].result.failing[0].id == "hte-ht-revenue"

    mover = make.enterprise(district, office, founded_on=dt.date(2015, 1, 1))
    services.designation_grant(
        enterprise=mover,
        kind="tech_sme",
        granted_on="2021-03-01",
        expires_on="2022-12-31",
        number="TS21",
        by=office,
    )
    services.designation_grant(
        enterprise=mover, kind="high_tech", granted_on="2022-06-30", number="GR22", by=office
    )
    counts = dict((s.code, n) for s, n in funnel(plan=plan, on=dt.date(2021, 12, 31)))
    assert counts["tech_sme"] == 1 and counts["startup"] >= 1
    c = cohort(plan=plan, stage=stage_get(plan=plan, code="tech_sme"), year=2021, within=2)
    assert (c.size, c.moved_up) == (1, 1) and c.median_years_to_move == 0.5
