"""The registry's domain error: `nengji.core.errors.DomainError` under the registry's name."""

from __future__ import annotations

from nengji.core.errors import DomainError, ErrorDetail

__all__ = ["ErrorDetail", "RegistryError"]


class RegistryError(DomainError):
    """Bad input, a conflict or a refused action in the registry; nothing was changed."""
