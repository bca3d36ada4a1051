"""Enterprises: the code is the key, every field is checked, the audit log and events follow."""

from __future__ import annotations

import datetime as dt

import pytest

from nengji.core.events import subscribe
from nengji.core.models import AuditEntry
from nengji.registry import services
from nengji.registry.errors import RegistryError
from nengji.registry.events import EnterpriseChanged
from nengji.registry.industry import industry_normalise, industry_problem
from nengji.registry.models import Enterprise
from tests.registry import make

pytestmark = pytest.mark.django_db


def test_create_normalises_and_audits(district, office):
    code = make.code()
    seen: list[EnterpriseChanged] = []
    subscribe(EnterpriseChanged, seen.append)
    e = services.enterprise_create(
        district=district,
        uscc=code.lower()[:6] + " " + code.lower()[6:],
        name_zh=" 杨浦样例科技有限公司 ",
        industry="6513",
        founded_on="2019-05-01",
        former_names="旧名甲；旧名乙",
        by=office,
    )
    assert e.uscc == code and e.name_zh == "杨浦样例科技有限公司"
    assert e.industry == "I6513" and e.founded_on == dt.date(2019, 5, 1)
    assert e.former_names == ["旧名甲", "旧名乙"]
    assert AuditEntry.objects.filter(object_type="enterprise", object_id=str(e.pk)).count() == 1
    assert any(ev.enterprise_id == e.pk and ev.created for ev in seen)


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("uscc", {"uscc": "91310110MA1234567X"}),  # wrong check character
        ("uscc", {"uscc": "not-a-code"}),
        ("name_zh", {"name_zh": "   "}),
        ("name_zh", {"name_zh": "名" * 201}),
        ("industry", {"industry": "C6513"}),  # division 65 is not in section C
        ("industry", {"industry": "Z99"}),
        ("founded_on", {"founded_on": "2999-01-01"}),
        ("founded_on", {"founded_on": "yesterday"}),
        ("street", {"street": "999"}),
        ("former_names", {"former_names": ["x"] * 50}),
    ],
)
def test_bad_profile_is_refused_naming_the_field(district, office, field, kwargs):
    args = {"uscc": make.code(), "name_zh": "某公司", **kwargs}
    with pytest.raises(RegistryError) as err:
        services.enterprise_create(district=district, by=office, **args)
    assert field in err.value.by_field()
    assert not Enterprise.objects.filter(name_zh="某公司").exists()


def test_duplicate_code_is_a_conflict(district, office, acme):
    with pytest.raises(RegistryError) as err:
        services.enterprise_create(district=district, uscc=acme.uscc, name_zh="又一家", by=office)
    assert err.value.code == "conflict" and "uscc" in err.value.by_field()


def test_street_must_be_the_districts(district, office):
    services.street_upsert(district=district, code="310110019", name_zh="五角场街道")
    e = make.enterprise(district, office, street="310110019")
    assert e.street == "310110019"


def test_rename_keeps_the_former_name(acme, office):
    services.enterprise_update(enterprise=acme, name_zh="测试科技股份有限公司", by=office)
    acme.refresh_from_db()
    assert acme.name_zh == "测试科技股份有限公司"
    assert acme.former_names == ["测试科技有限公司"]


def test_unchanged_update_writes_nothing(acme, office):
    before = AuditEntry.objects.count()
    services.enterprise_update(enterprise=acme, name_zh=acme.name_zh, by=office)
    assert AuditEntry.objects.count() == before


def test_enterprise_edits_only_itself(district, office, acme, acme_user):
    other = make.enterprise(district, office, with_org=True)
    services.enterprise_update(enterprise=acme, operating_address="国定路 1 号", by=acme_user)
    with pytest.raises(RegistryError) as err:
        services.enterprise_update(enterprise=other, operating_address="x", by=acme_user)
    assert err.value.code == "not_found"
    with pytest.raises(RegistryError) as err:
        services.enterprise_create(district=district, uscc=make.code(), name_zh="x", by=acme_user)
    assert err.value.code == "permission"


def test_code_is_not_a_profile_field(acme, office):
    with pytest.raises(RegistryError):
        services.enterprise_update(enterprise=acme, uscc=make.code(), by=office)


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("I6513", True),
        ("i65", True),
        ("C13", True),
        ("A", True),
        ("6513", True),
        ("C65", False),
        ("I65131", False),
    ],
)
def test_industry_codes(raw, ok):
    assert (industry_problem(industry_normalise(raw)) is None) is ok
