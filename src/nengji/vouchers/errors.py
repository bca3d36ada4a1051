"""The vouchers domain's error: a `DomainError` under its own name."""

from __future__ import annotations

from nengji.core.errors import DomainError


class VoucherError(DomainError):
    """Bad input, a refused action or a conflict in the voucher domain; nothing was changed."""
