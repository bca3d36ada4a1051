"""enterprise_facts: the flat mapping rules read, computed from the latest vintages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nengji.registry import services
from nengji.registry.selectors import enterprise_facts, enterprises_facts

pytestmark = pytest.mark.django_db


def _year(e, by, year, **values):
    return services.figures_record(enterprise=e, year=year, values=values, by=by)


@pytest.fixture
def filled(acme, office):
    base = {
        "ip_invention_patents": 2,
        "ip_other_class1": 0,
        "ip_utility_models": 3,
        "ip_designs": 1,
        "ip_software": 4,
        "total_assets": 10000,
        "total_liabilities": 4000,
        "equity_financing": 500,
    }
    _year(
        acme,
        office,
        2021,
        employees=100,
        st_staff=20,
        revenue=6000,
        rd_domestic=300,
        rd_foreign=0,
        high_tech_revenue=4000,
        **base,
    )
    _year(
        acme,
        office,
        2022,
        employees=110,
        st_staff=22,
        revenue=8000,
        rd_domestic=350,
        rd_foreign=50,
        high_tech_revenue=5000,
        **base,
    )
    _year(
        acme,
        office,
        2023,
        employees=120,
        st_staff=10,
        revenue=10000,
        rd_domestic=400,
        rd_foreign=0,
        high_tech_revenue=7000,
        **base,
    )
    return acme


def test_facts_of_a_year(filled, office):
    f = enterprise_facts(filled, year=2023)
    assert f["year"] == 2023 and f["employees"] == 120
    assert f["st_staff_share"] == Decimal("8.333333")
    assert f["rd_spend"] == Decimal(400) and f["rd_intensity"] == Decimal(4)
    assert f["rd_spend_3y"] == Decimal(1100) and f["revenue_3y"] == Decimal(24000)
    assert f["rd_intensity_3y"] == Decimal("4.583333")
    assert f["rd_domestic_share_3y"] == Decimal("95.454545")
    assert f["high_tech_revenue_share"] == Decimal(70)
    assert f["revenue_growth"] == Decimal(25)
    assert f["debt_ratio"] == Decimal(40)
    assert f["ip_class1"] == 2 and f["ip_class2"] == 8
    assert f["equity_financing_2y"] == Decimal(1000) and f["equity_financing_3y"] == Decimal(1500)
    assert f["rd_intensity_min_2y"] == Decimal(4)
    assert f["age_years"] == Decimal("8.84")  # 2015-03-01 → 2023-12-31
    assert f["designations"] == [] and f["has_high_tech"] is False


def test_default_year_is_the_latest_and_a_correction_counts(filled, office):
    _year(filled, office, 2023, st_staff=15)
    f = enterprise_facts(filled)
    assert f["year"] == 2023 and f["st_staff"] == 15


def test_missing_is_unknown_never_zero(acme, office):
    _year(acme, office, 2023, employees=50)
    f = enterprise_facts(acme, year=2023)
    assert f["st_staff_share"] is None and f["rd_spend"] is None and f["rd_intensity_3y"] is None
    assert f["ip_class1"] is None
    empty = enterprise_facts(acme, year=2019)
    assert empty["employees"] is None and empty["revenue_growth"] is None


def test_young_enterprise_uses_the_years_it_existed(district, office):
    from tests.registry import make

    young = make.enterprise(district, office, founded_on=dt.date(2023, 2, 1))
    _year(young, office, 2023, revenue=100, rd_domestic=10, rd_foreign=0)
    f = enterprise_facts(young, year=2023)
    assert f["rd_intensity_3y"] == Decimal(10)


def test_designations_as_of_the_year(filled, office):
    services.designation_grant(
        enterprise=filled, kind="high_tech", granted_on="2022-11-01", number="GR1", by=office
    )
    assert enterprise_facts(filled, year=2021)["designations"] == []
    f = enterprise_facts(filled, year=2023)
    assert f["designations"] == ["high_tech"] and f["has_high_tech"] is True


def test_bulk_matches_single(filled, district, office):
    from tests.registry import make

    other = make.enterprise(district, office)
    bulk = enterprises_facts([filled, other], year=2023)
    assert bulk[filled.pk] == enterprise_facts(filled, year=2023)
    assert bulk[other.pk]["employees"] is None


def test_every_fact_is_catalogued_and_documented(acme):
    from pathlib import Path

    from nengji.registry.facts import FACTS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "registry.md").read_text("utf-8")
    for name in enterprise_facts(acme):
        if name.startswith("has_"):
            continue
        assert name in FACTS, name
        assert f"`{name}`" in doc, name
