"""The ladder page at scale: one reading of the district's designations gives the funnel,
the cohorts and the 培育库, agreeing with the database filter the list uses, in a number of
queries that does not grow with the registry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nengji.registry import services
from nengji.registry.models import Enterprise
from nengji.registry.selectors import enterprise_facts, enterprises_facts
from nengji.registry.selectors.browse import stage_q
from nengji.registry.selectors.ladder import LadderReading, ladder_stages, stage_get
from tests.registry import make

pytestmark = pytest.mark.django_db

NEAR_HTE = {  # every 高新技术企业 clause passes except the high-tech revenue share (1000/4000)
    "employees": 100,
    "st_staff": 15,
    "revenue": 4000,
    "rd_domestic": 300,
    "rd_foreign": 0,
    "high_tech_revenue": 1000,
    "ip_invention_patents": 1,
    "ip_other_class1": 0,
    "ip_utility_models": 0,
    "ip_designs": 0,
    "ip_software": 0,
}


def _near(district, office, name: str) -> Enterprise:  # type: ignore[no-untyped-def]
    e = make.enterprise(district, office, name=name, founded_on=dt.date(2015, 1, 1))
    for year in (2022, 2023, 2024):
        services.figures_record(enterprise=e, year=year, values=NEAR_HTE, by=office)
    return e


def _mixed_registry(district, office, n: int, start: int = 0) -> None:  # type: ignore[no-untyped-def]
    """Enterprises at several stages: in force, expired, revoked, same-level alternatives."""
    for i in range(start, start + n):
        e = make.enterprise(district, office, founded_on=dt.date(2012, 1, 1))
        kind = ("tech_sme", "high_tech", "gazelle", "listed", "unicorn", "specialised")[i % 6]
        granted = dt.date(2019 + i % 5, 3 + i % 8, 1)
        d = services.designation_grant(
            enterprise=e, kind=kind, granted_on=granted, number=f"N{kind}{i}", by=office
        )
        if i % 4 == 1 and d.status == d.Status.ACTIVE:
            services.designation_revoke(
                designation=d, on=granted + dt.timedelta(days=200), reason="测试", by=office
            )
        if i % 3 == 0:
            services.designation_grant(
                enterprise=e,
                kind="tech_sme",
                granted_on=dt.date(2018, 5, 1),
                number=f"TS{i}",
                by=office,
            )
        services.figures_record(enterprise=e, year=2024, values=NEAR_HTE, by=office)


def test_funnel_agrees_with_the_list_filter(plan, district, office):
    _mixed_registry(district, office, 30)
    reading = LadderReading(plan=plan)
    stages = ladder_stages(plan=plan)
    qs = Enterprise.objects.filter(district=district)
    for day in (dt.date(2018, 12, 31), dt.date(2020, 6, 1), dt.date(2022, 12, 31)):
        expected = [(s.code, qs.filter(stage_q(s, stages, day)).count()) for s in stages]
        assert [(s.code, n) for s, n in reading.funnel(day)] == expected, day
        assert sum(n for _c, n in expected) == qs.count()


def test_cohorts_of_several_stages_equal_each_alone(plan, district, office):
    _mixed_registry(district, office, 30)
    reading = LadderReading(plan=plan)
    stages = ladder_stages(plan=plan)[:4]
    together = reading.cohorts(stages, year=2020, within=3)
    for stage, c in zip(stages, together, strict=True):
        alone = LadderReading(plan=plan).cohorts([stage], year=2020, within=3)[0]
        assert c == alone
    assert sum(c.size for c in together) > 0


def test_pool_is_sorted_by_name_and_limited(plan, district, office):
    for name in ("丙公司", "甲公司", "乙公司"):
        _near(district, office, name)
    make.enterprise(district, office, name="不相关公司")  # no figures: unknown, not in the pool
    stage = stage_get(plan=plan, code="high_tech")
    pool = LadderReading(plan=plan).pool(stage)
    names = [c.enterprise.name_zh for c in pool]
    assert names == sorted(names) and len(names) == 3
    assert {c.result.failing[0].id for c in pool} == {"hte-ht-revenue"}
    assert len(LadderReading(plan=plan).pool(stage, limit=2)) == 2


def test_the_pool_leaves_out_those_at_or_above_the_stage(plan, district, office):
    e = _near(district, office, "已认定公司")
    stage = stage_get(plan=plan, code="high_tech")
    assert [c.enterprise.pk for c in LadderReading(plan=plan).pool(stage)] == [e.pk]
    services.designation_grant(
        enterprise=e,
        kind="high_tech",
        granted_on=timezone.localdate() - dt.timedelta(days=3),
        number="GR-held",
        by=office,
    )
    assert LadderReading(plan=plan).pool(stage) == []


def test_facts_from_a_window_equal_facts_from_every_year(plan, district, office):
    """Ten years of figures and a correction: the many-enterprise read (latest three years
    only) gives the same facts as the one-enterprise read of every year."""
    e = make.enterprise(district, office, founded_on=dt.date(2010, 1, 1))
    for year in range(2015, 2025):
        services.figures_record(
            enterprise=e, year=year, values={**NEAR_HTE, "revenue": 3000 + year}, by=office
        )
    services.figures_record(enterprise=e, year=2023, values={"revenue": 9999}, by=office)
    old = make.enterprise(district, office, founded_on=dt.date(2010, 1, 1))
    for year in (2016, 2017, 2018):
        services.figures_record(enterprise=old, year=year, values=NEAR_HTE, by=office)
    many = enterprises_facts([e, old])
    assert many[e.pk] == enterprise_facts(e) and many[e.pk]["year"] == 2024
    assert many[e.pk]["revenue_3y"] == 9999 + 3000 + 2022 + 3000 + 2024
    assert many[old.pk] == enterprise_facts(old) and many[old.pk]["year"] == 2018


def test_ladder_page_queries_do_not_grow_with_the_registry(client, plan, district, office):
    _near(district, office, "甲公司")
    _mixed_registry(district, office, 6)
    client.force_login(office)
    url = reverse("registry-ladder")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url, {"stage": "high_tech", "year": "2020"})
        assert r.status_code == 200 and "甲公司" in r.content.decode()
        return len(ctx.captured_queries)

    small = queries()
    _mixed_registry(district, office, 30, start=6)
    for i in range(10):
        _near(district, office, f"乙公司{i}")
    assert queries() == small <= 15
