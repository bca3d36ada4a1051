"""Who may act on which voucher data: a region's staff on their region's programme, quotas,
claims and statements; an enterprise's people on its own quotas and orders; an institution's
people on its own products, orders and claims. A forged id of another organisation is refused."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from nengji.core.errors import refused
from nengji.core.roles import Role, role_of
from nengji.vouchers.models import Institution, Quota


def is_region_staff(user: Any, region_id: int) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return role_of(user) == Role.REGION and getattr(user, "organisation_id", None) == region_id


def require_region_staff(user: Any, region_id: int) -> None:
    if not is_region_staff(user, region_id):
        raise refused(_("Only the staff of this region's voucher office may do this."))


def require_enterprise_member(user: Any, quota: Quota) -> None:
    org_id = quota.enterprise.organisation_id
    if not (
        role_of(user) == Role.ENTERPRISE
        and org_id is not None
        and getattr(user, "organisation_id", None) == org_id
    ):
        raise refused(_("Only the enterprise's own people may do this."))


def require_institution_member(user: Any, institution: Institution) -> None:
    if not (
        role_of(user) == Role.PROVIDER
        and getattr(user, "organisation_id", None) == institution.organisation_id
    ):
        raise refused(_("Only the institution's own people may do this."))
