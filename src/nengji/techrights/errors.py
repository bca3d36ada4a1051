"""Technology rights' domain error: `nengji.core.errors.DomainError` under its own name."""

from __future__ import annotations

from nengji.core.errors import DomainError, ErrorDetail, conflict, not_found, refused

__all__ = ["DomainError", "ErrorDetail", "TechrightsError", "conflict", "not_found", "refused"]


class TechrightsError(DomainError):
    """Bad input, a conflict or a refused action in the rights register; nothing was changed."""
