"""Every write of the policy app (views, API, CLI and demo call these)."""

from nengji.policy.services.applications import application_create as application_create
from nengji.policy.services.applications import application_decide as application_decide
from nengji.policy.services.applications import application_submit as application_submit
from nengji.policy.services.applications import application_withdraw as application_withdraw
from nengji.policy.services.applications import auto_grant_approve as auto_grant_approve
from nengji.policy.services.applications import evidence_attach as evidence_attach
from nengji.policy.services.applications import notices_build as notices_build
from nengji.policy.services.applications import payment_record as payment_record
from nengji.policy.services.catalogue import catalogue_load as catalogue_load
from nengji.policy.services.finance import claim_decide as claim_decide
from nengji.policy.services.finance import claim_pay as claim_pay
from nengji.policy.services.finance import claim_submit as claim_submit
from nengji.policy.services.finance import loan_register as loan_register
from nengji.policy.services.finance import pool_bank_admit as pool_bank_admit
from nengji.policy.services.finance import pool_contribute as pool_contribute
from nengji.policy.services.finance import pool_create as pool_create
from nengji.policy.services.finance import programme_use_record as programme_use_record
