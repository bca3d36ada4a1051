"""Every write to the registry: keyword-only, atomic, audited, refusing bad input with a
`RegistryError` that names the field (and, in imports, the row)."""

from nengji.registry.services.carriers import carrier_update
from nengji.registry.services.designations import (
    designation_expire_due,
    designation_grant,
    designation_revoke,
)
from nengji.registry.services.enterprises import (
    enterprise_create,
    enterprise_problems,
    enterprise_update,
    street_upsert,
)
from nengji.registry.services.figures import figures_problems, figures_record

__all__ = [
    "carrier_update",
    "designation_expire_due",
    "designation_grant",
    "designation_revoke",
    "enterprise_create",
    "enterprise_problems",
    "enterprise_update",
    "figures_problems",
    "figures_record",
    "street_upsert",
]
