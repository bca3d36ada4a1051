"""A carrier's people keep their carrier's own details and see the enterprises it hosts;
nothing else: another carrier's code is a 404, other enterprises are not found, the plan's
fields of a carrier are not theirs to change, numbers and positions are bounded."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from nengji.core.models import AuditEntry, Organisation
from nengji.core.roles import OrgKind
from nengji.registry import services
from nengji.registry.errors import RegistryError
from nengji.registry.models import Carrier
from tests.registry import make

pytestmark = pytest.mark.django_db


def _carrier(district, code: str) -> Carrier:  # type: ignore[no-untyped-def]
    org = Organisation.objects.create(kind=OrgKind.CARRIER, code=f"org-{code}", name_zh=code)
    return Carrier.objects.create(
        district=district,
        code=code,
        name_zh=f"{code}孵化器",
        kind="incubator",
        level="district",
        zone="central",
        organisation=org,
        lon=Decimal("121.52"),
        lat=Decimal("31.30"),
    )


@pytest.fixture
def two(plan, district, office):  # type: ignore[no-untyped-def]
    ours, theirs = _carrier(district, "ours"), _carrier(district, "theirs")
    hosted = make.enterprise(district, office, name="本园企业", carrier=ours.code)
    other = make.enterprise(district, office, name="他园企业", carrier=theirs.code)
    nowhere = make.enterprise(district, office, name="无载体企业")
    person = make.user("carrier", organisation=ours.organisation)
    return {
        "ours": ours,
        "theirs": theirs,
        "hosted": hosted,
        "other": other,
        "nowhere": nowhere,
        "person": person,
    }


def test_a_carriers_person_edits_its_own_details(client, two):
    client.force_login(two["person"])
    url = reverse("registry-carrier-edit", args=["ours"])
    assert client.get(url).status_code == 200
    r = client.post(
        url, {"operator": "某某运营公司", "area_m2": "12000.5", "lon": "121.5301", "lat": "31.2899"}
    )
    assert r.status_code == 302
    c = Carrier.objects.get(code="ours")
    assert (c.operator, c.area_m2, c.lon) == (
        "某某运营公司",
        Decimal("12000.50"),
        Decimal("121.530100"),
    )
    assert not c.coords_approximate
    assert AuditEntry.objects.filter(action="update", object_id=str(c.pk)).count() == 1
    # the same request again changes nothing and writes no second entry
    client.post(
        url, {"operator": "某某运营公司", "area_m2": "12000.5", "lon": "121.5301", "lat": "31.2899"}
    )
    assert AuditEntry.objects.filter(action="update", object_id=str(c.pk)).count() == 1
    page = client.get(reverse("registry-carrier", args=["ours"])).content.decode()
    assert reverse("registry-carrier-edit", args=["ours"]) in page


def test_another_carrier_is_not_found(client, two):
    client.force_login(two["person"])
    url = reverse("registry-carrier-edit", args=["theirs"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"operator": "冒充"}).status_code == 404
    assert Carrier.objects.get(code="theirs").operator == ""
    page = client.get(reverse("registry-carrier", args=["theirs"])).content.decode()
    assert reverse("registry-carrier-edit", args=["theirs"]) not in page
    with pytest.raises(RegistryError) as err:
        services.carrier_update(carrier=two["theirs"], by=two["person"], values={"operator": "x"})
    assert err.value.code == "not_found"


def test_enterprises_hosted_only(client, two):
    client.force_login(two["person"])
    r = client.get(reverse("registry-home"))
    body = r.content.decode()
    assert r.status_code == 200 and "本园企业" in body
    assert "他园企业" not in body and "无载体企业" not in body
    # a filter for another carrier shows nothing of it
    body = client.get(reverse("registry-home"), {"carrier": "theirs"}).content.decode()
    assert "他园企业" not in body
    assert client.get(reverse("registry-enterprise", args=[two["hosted"].uscc])).status_code == 200
    for e in (two["other"], two["nowhere"]):
        assert client.get(reverse("registry-enterprise", args=[e.uscc])).status_code == 404
        r = client.post(
            reverse("registry-enterprise", args=[e.uscc]), {"year": 2024, "employees": 1}
        )
        assert r.status_code == 404
    # it reads its enterprises but does not keep their figures, nor the office's pages
    r = client.post(
        reverse("registry-enterprise", args=[two["hosted"].uscc]), {"year": 2024, "employees": 1}
    )
    assert r.status_code == 403 and not two["hosted"].figures.exists()
    assert client.get(reverse("registry-ladder")).status_code == 403
    assert client.get(reverse("registry-import")).status_code == 403


def test_plan_fields_and_bad_numbers_are_refused(two):
    person, ours = two["person"], two["ours"]
    bad = [
        ({"level": "national"}, "level"),
        ({"zone": "east"}, "zone"),
        ({"area_m2": "-1"}, "area_m2"),
        ({"area_m2": "1e40"}, "area_m2"),
        ({"area_m2": "NaN"}, "area_m2"),
        ({"lon": "200", "lat": "31.3"}, "lon"),
        ({"lon": "121.5", "lat": ""}, "lat"),
        ({"lon": "116.4", "lat": "39.9"}, "lon"),  # Beijing: outside the district
        ({"operator": "x" * 201}, "operator"),
        ({"operator": "a\x00b"}, "operator"),
    ]
    for values, field in bad:
        with pytest.raises(RegistryError) as err:
            services.carrier_update(carrier=ours, by=person, values=values)
        assert field in {d.field for d in err.value.detail}, values
    ours.refresh_from_db()
    assert (ours.level, ours.zone, ours.area_m2) == ("district", "central", None)


def test_the_form_names_the_field(client, two):
    client.force_login(two["person"])
    r = client.post(reverse("registry-carrier-edit", args=["ours"]), {"area_m2": "-5"})
    body = r.content.decode()
    assert r.status_code == 200 and 'role="alert"' in body and "area_m2" in body


def test_other_roles_cannot_edit(client, two, acme_user):
    for user in (acme_user, make.user("leader"), make.user("carrier")):  # last: no organisation
        client.force_login(user)
        assert client.get(reverse("registry-carrier-edit", args=["ours"])).status_code == 404
    client.logout()
    r = client.get(reverse("registry-carrier-edit", args=["ours"]))
    assert r.status_code == 302  # to the login page
    office = make.user("office")
    client.force_login(office)
    assert client.get(reverse("registry-carrier-edit", args=["ours"])).status_code == 200
