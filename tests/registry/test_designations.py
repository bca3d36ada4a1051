"""Designations: validity, state machine, idempotent grants, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nengji.registry import services
from nengji.registry.errors import RegistryError
from nengji.registry.models import Designation
from nengji.registry.selectors import designations_active, designations_expiring
from nengji.registry.services.designations import default_expiry
from tests.registry import make

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _grant(e, by, **kw):
    args = {
        "kind": "high_tech",
        "granted_on": TODAY - dt.timedelta(days=30),
        "number": "GR" + e.uscc[-6:],
    }
    return services.designation_grant(enterprise=e, by=by, **{**args, **kw})


def test_high_tech_is_valid_three_years_by_default(acme, office):
    d = _grant(acme, office, granted_on=dt.date(2024, 12, 2))
    assert d.expires_on == dt.date(2027, 12, 1) and d.status == "active"
    assert default_expiry("tech_sme", dt.date(2024, 5, 6)) == dt.date(2024, 12, 31)
    assert default_expiry("gazelle", dt.date(2024, 5, 6)) is None


def test_same_number_again_is_the_same_row(acme, office):
    a = _grant(acme, office)
    b = _grant(acme, office)
    assert a.pk == b.pk and Designation.objects.count() == 1


def test_number_of_another_enterprise_is_a_conflict(district, office, acme):
    _grant(acme, office, number="GR202431000001")
    other = make.enterprise(district, office)
    with pytest.raises(RegistryError) as err:
        _grant(other, office, number="GR202431000001")
    assert err.value.code == "conflict"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"expires_on": "2020-01-01", "granted_on": "2021-01-01"}, "expires_on"),
        ({"granted_on": "2999-01-01"}, "granted_on"),
        ({"granted_on": ""}, "granted_on"),
        ({"kind": "genius"}, "kind"),
        ({"number": "N" * 65}, "number"),
    ],
)
def test_bad_designation_is_refused(acme, office, kw, field):
    with pytest.raises(RegistryError) as err:
        _grant(acme, office, **kw)
    assert field in err.value.by_field()
    assert not Designation.objects.exists()


def test_a_past_certificate_is_recorded_expired(acme, office):
    d = _grant(acme, office, granted_on=dt.date(2018, 11, 1))
    assert d.status == "expired" and d.ended_on == dt.date(2021, 11, 1)


def test_revoke_then_again_is_a_conflict(acme, office):
    d = _grant(acme, office)
    services.designation_revoke(designation=d, on=TODAY, reason="抽查不合格", by=office)
    d.refresh_from_db()
    assert d.status == "revoked" and d.end_reason == "抽查不合格"
    with pytest.raises(RegistryError) as err:
        services.designation_revoke(designation=d, on=TODAY, reason="再次", by=office)
    assert err.value.code == "conflict"
    assert not designations_active().filter(pk=d.pk).exists()


def test_revoke_needs_a_reason_and_a_sane_day(acme, office):
    d = _grant(acme, office)
    with pytest.raises(RegistryError):
        services.designation_revoke(designation=d, on=TODAY, reason=" ", by=office)
    with pytest.raises(RegistryError):
        services.designation_revoke(designation=d, on="2000-01-01", reason="x", by=office)


def test_expiry_job_is_idempotent(acme, office):
    d = _grant(
        acme,
        office,
        granted_on=TODAY - dt.timedelta(days=400),
        expires_on=TODAY + dt.timedelta(days=5),
    )
    later = TODAY + dt.timedelta(days=10)
    assert services.designation_expire_due(today=later) == 1
    assert services.designation_expire_due(today=later) == 0
    d.refresh_from_db()
    assert d.status == "expired" and d.ended_on == TODAY + dt.timedelta(days=6)


def test_reminders_six_months_ahead_for_high_tech(district, office, acme):
    soon = _grant(acme, office, expires_on=TODAY + dt.timedelta(days=150))
    other = make.enterprise(district, office)
    _grant(other, office, expires_on=TODAY + dt.timedelta(days=300))
    gazelle = _grant(
        other, office, kind="gazelle", number="", expires_on=TODAY + dt.timedelta(days=150)
    )
    due = designations_expiring(today=TODAY)
    assert soon in due and gazelle not in due and len(due) == 1


def test_only_the_office_grants(acme, acme_user):
    with pytest.raises(RegistryError) as err:
        _grant(acme, acme_user)
    assert err.value.code == "permission"
