"""Yearly figures as vintages: bounded, consistent, never overwritten."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nengji.registry import services
from nengji.registry.errors import RegistryError
from nengji.registry.models import YearFigures
from nengji.registry.selectors import figures_latest, figures_vintages

pytestmark = pytest.mark.django_db


def test_a_correction_is_a_new_vintage(acme, office):
    v1 = services.figures_record(
        enterprise=acme, year=2022, values={"employees": 120, "revenue": "8000.5"}, by=office
    )
    v2 = services.figures_record(enterprise=acme, year=2022, values={"st_staff": 30}, by=office)
    assert (v1.vintage, v2.vintage) == (1, 2)
    assert v2.employees == 120 and v2.revenue == Decimal("8000.50") and v2.st_staff == 30
    v1.refresh_from_db()
    assert v1.st_staff is None  # the first vintage is kept as it was
    assert [f.vintage for f in figures_vintages(acme, year=2022)] == [1, 2]
    assert figures_latest(acme)[0].pk == v2.pk


def test_recording_the_same_again_adds_nothing(acme, office):
    a = services.figures_record(enterprise=acme, year=2022, values={"employees": 10}, by=office)
    b = services.figures_record(enterprise=acme, year=2022, values={"employees": "10"}, by=office)
    assert a.pk == b.pk and YearFigures.objects.filter(enterprise=acme).count() == 1


def test_blank_makes_a_figure_unknown(acme, office):
    services.figures_record(enterprise=acme, year=2022, values={"employees": 10}, by=office)
    v = services.figures_record(enterprise=acme, year=2022, values={"employees": ""}, by=office)
    assert v.employees is None and v.vintage == 2


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"revenue": -1}, "revenue"),
        ({"revenue": "1e30"}, "revenue"),
        ({"revenue": "NaN"}, "revenue"),
        ({"revenue": "12.345"}, "revenue"),
        ({"revenue": True}, "revenue"),
        ({"employees": 2.5}, "employees"),
        ({"employees": -3}, "employees"),
        ({"employees": 10**9}, "employees"),
        ({"employees": 10, "st_staff": 11}, "st_staff"),
        ({"revenue": 100, "high_tech_revenue": 101}, "high_tech_revenue"),
        ({"profit": 1}, "profit"),
    ],
)
def test_hostile_figures_are_refused(acme, office, values, field):
    with pytest.raises(RegistryError) as err:
        services.figures_record(enterprise=acme, year=2022, values=values, by=office)
    assert field in err.value.by_field()
    assert not YearFigures.objects.filter(enterprise=acme).exists()


def test_contradiction_with_the_carried_vintage_is_refused(acme, office):
    services.figures_record(enterprise=acme, year=2022, values={"employees": 10}, by=office)
    with pytest.raises(RegistryError) as err:
        services.figures_record(enterprise=acme, year=2022, values={"st_staff": 11}, by=office)
    assert "st_staff" in err.value.by_field()


@pytest.mark.parametrize("year", [1980, 2999, "x", 2010])  # 2010: before founding (2015)
def test_year_is_bounded(acme, office, year):
    with pytest.raises(RegistryError) as err:
        services.figures_record(enterprise=acme, year=year, values={"employees": 1}, by=office)
    assert "year" in err.value.by_field()


def test_enterprise_records_its_own_but_not_anothers(district, office, acme, acme_user):
    from tests.registry import make

    other = make.enterprise(district, office, with_org=True)
    f = services.figures_record(
        enterprise=acme,
        year=2023,
        values={"employees": 5},
        by=acme_user,
        source=YearFigures.Source.ENTERPRISE,
    )
    assert f.recorded_by == acme_user
    with pytest.raises(RegistryError) as err:
        services.figures_record(enterprise=other, year=2023, values={"employees": 5}, by=acme_user)
    assert err.value.code == "not_found"
