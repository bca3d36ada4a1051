from __future__ import annotations

from decimal import Decimal

import pytest

from tests.monitoring import factories as f


@pytest.fixture(autouse=True)
def fast_passwords(settings):  # type: ignore[no-untyped-def]
    """Test users need no slow password hashing (PBKDF2 costs ~0.3 s a user)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def office(db):  # type: ignore[no-untyped-def]
    return f.user("office")


@pytest.fixture
def leader(db):  # type: ignore[no-untyped-def]
    return f.user("leader")


@pytest.fixture
def stc(db):  # type: ignore[no-untyped-def]
    return f.user("reporter", "STC")


@pytest.fixture
def drc(db):  # type: ignore[no-untyped-def]
    return f.user("reporter", "DRC")


@pytest.fixture
def mini(db, office):  # type: ignore[no-untyped-def]
    """A plan with two indicators for STC, one for DRC and a measure for STC, all assigned."""
    from nengji.monitoring import services

    p = f.plan()
    stc_dept, drc_dept = f.department("STC"), f.department("DRC", "区发展改革委")
    i1 = f.indicator(p, "HT", baseline="100")
    i2 = f.indicator(p, "RD", baseline="2.5", unit_zh="%")
    i3 = f.indicator(p, "GDP", baseline="50")
    area = f.measure(p, "A1", kind="area")
    task = f.measure(p, "T1", parent=area, kind="task")
    m1 = f.measure(p, "M1", parent=task)
    a1 = services.assignment_set(
        plan=p,
        indicator=i1,
        lead=stc_dept,
        by=office,
        min_value=Decimal(0),
        max_value=Decimal(10000),
    )
    a2 = services.assignment_set(
        plan=p, indicator=i2, lead=stc_dept, supporting=[drc_dept], by=office
    )
    a3 = services.assignment_set(plan=p, indicator=i3, lead=drc_dept, by=office)
    a4 = services.assignment_set(plan=p, section=m1, lead=stc_dept, by=office)
    return {
        "plan": p,
        "i1": i1,
        "i2": i2,
        "i3": i3,
        "m1": m1,
        "task": task,
        "area": area,
        "a1": a1,
        "a2": a2,
        "a3": a3,
        "a4": a4,
        "STC": stc_dept,
        "DRC": drc_dept,
    }


@pytest.fixture
def round_(mini, office):  # type: ignore[no-untyped-def]
    from nengji.monitoring import services

    return services.round_open(plan=mini["plan"], year=2021, deadline=f.deadline(), by=office)


YP_CODES = {
    "HT": "HIGH_TECH_ENTERPRISES",
    "PAT": "INVENTION_PATENTS_PER_10K",
    "LIST": "LISTED_COMPANIES",
    "M": "T01.M1",
}


@pytest.fixture
def yp(plan, office):  # type: ignore[no-untyped-def]
    """The Yangpu plan with a few assignments to STC and DRC and an open 2021 round."""
    from nengji.monitoring import services
    from nengji.plan.models import Department

    depts = Department.objects.filter(district_id=plan.district_id)
    stc_dept, drc_dept = depts.get(code="STC"), depts.get(code="DRC")
    ind = {i.code: i for i in plan.indicators.all()}
    out = {"plan": plan, "STC": stc_dept, "DRC": drc_dept}
    out["a_ht"] = services.assignment_set(
        plan=plan, indicator=ind[YP_CODES["HT"]], lead=stc_dept, by=office
    )
    out["a_pat"] = services.assignment_set(
        plan=plan, indicator=ind[YP_CODES["PAT"]], lead=stc_dept, by=office
    )
    out["a_list"] = services.assignment_set(
        plan=plan, indicator=ind[YP_CODES["LIST"]], lead=drc_dept, by=office
    )
    out["a_m"] = services.assignment_set(
        plan=plan, section=plan.sections.get(code=YP_CODES["M"]), lead=stc_dept, by=office
    )
    out["round"] = services.round_open(plan=plan, year=2021, deadline=f.deadline(), by=office)
    return out
