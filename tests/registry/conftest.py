from __future__ import annotations

import pytest

from tests.registry import make


@pytest.fixture(autouse=True)
def fast_passwords(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def district(db):  # type: ignore[no-untyped-def]
    return make.district()


@pytest.fixture
def office(db):  # type: ignore[no-untyped-def]
    return make.user("office")


@pytest.fixture
def acme(district, office):  # type: ignore[no-untyped-def]
    """An enterprise with its own organisation and one person logging in for it."""
    return make.enterprise(district, office, name="测试科技有限公司", with_org=True)


@pytest.fixture
def acme_user(acme):  # type: ignore[no-untyped-def]
    return make.user("enterprise", organisation=acme.organisation)
