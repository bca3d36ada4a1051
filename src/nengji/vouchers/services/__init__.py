"""Every write of the voucher domain. Pages, the API and the CLI call these functions; each is
atomic, raises `VoucherError` (a `DomainError`) and writes the audit log."""

from nengji.vouchers.services.claims import claim_decide as claim_decide
from nengji.vouchers.services.claims import claim_pay as claim_pay
from nengji.vouchers.services.claims import claim_reverse as claim_reverse
from nengji.vouchers.services.claims import claim_review as claim_review
from nengji.vouchers.services.claims import claim_submit as claim_submit
from nengji.vouchers.services.clearing import period_close as period_close
from nengji.vouchers.services.clearing import statement_confirm as statement_confirm
from nengji.vouchers.services.institutions import institution_admit as institution_admit
from nengji.vouchers.services.institutions import institution_apply as institution_apply
from nengji.vouchers.services.institutions import (
    institution_credit_check as institution_credit_check,
)
from nengji.vouchers.services.institutions import institution_decide as institution_decide
from nengji.vouchers.services.institutions import (
    institution_notice_start as institution_notice_start,
)
from nengji.vouchers.services.institutions import objection_record as objection_record
from nengji.vouchers.services.institutions import product_publish as product_publish
from nengji.vouchers.services.orders import order_accept as order_accept
from nengji.vouchers.services.orders import order_cancel as order_cancel
from nengji.vouchers.services.orders import order_confirm as order_confirm
from nengji.vouchers.services.orders import order_deliver as order_deliver
from nengji.vouchers.services.orders import order_place as order_place
from nengji.vouchers.services.programmes import programme_create as programme_create
from nengji.vouchers.services.quotas import quota_apply as quota_apply
from nengji.vouchers.services.quotas import quota_decide as quota_decide
from nengji.vouchers.services.quotas import quota_review as quota_review
from nengji.vouchers.services.quotas import quota_void as quota_void
