from tests.monitoring.conftest import (  # noqa: F401 - shared fixtures
    drc,
    fast_passwords,
    leader,
    mini,
    office,
    stc,
    yp,
)
