"""Fixtures for the hostile tests of issue 15: the API client of tests/api and the Yangpu
plan with STC/DRC assignments and an open round (tests/monitoring)."""

from __future__ import annotations

from tests.api.conftest import as_user  # noqa: F401 - shared fixtures
from tests.monitoring.conftest import (  # noqa: F401 - shared fixtures
    drc,
    fast_passwords,
    leader,
    mini,
    office,
    round_,
    stc,
    yp,
)
