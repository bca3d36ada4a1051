"""Policy's domain error: `nengji.core.errors.DomainError` under the policy app's own name."""

from __future__ import annotations

from nengji.core.errors import DomainError


class PolicyError(DomainError):
    """Bad input, a conflict or a refused action in policy matching, applications or the
    financing instruments; nothing was changed."""
