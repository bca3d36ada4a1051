"""Every write of the technology-rights register (one module per entity; see each)."""

from nengji.techrights.services.achievements import (
    achievement_register,
    event_add,
    income_distribute,
)
from nengji.techrights.services.certificates import (
    certificate_issue,
    certificate_revoke,
    revocation_list_signed,
)
from nengji.techrights.services.contracts import (
    contract_cancel,
    contract_change,
    contract_decide,
    contract_review_start,
    contract_submit,
)
from nengji.techrights.services.transactions import (
    pledge_register,
    right_end,
    transaction_register,
)

__all__ = [
    "achievement_register",
    "certificate_issue",
    "certificate_revoke",
    "contract_cancel",
    "contract_change",
    "contract_decide",
    "contract_review_start",
    "contract_submit",
    "event_add",
    "income_distribute",
    "pledge_register",
    "revocation_list_signed",
    "right_end",
    "transaction_register",
]
