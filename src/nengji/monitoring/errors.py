"""Monitoring's domain error: `nengji.core.errors.DomainError` under monitoring's own name."""

from __future__ import annotations

from nengji.core.errors import DomainError, ErrorDetail, conflict, refused

__all__ = ["DomainError", "ErrorDetail", "MonitoringError", "conflict", "refused"]


class MonitoringError(DomainError):
    """Bad input, a conflict or a refused action in monitoring; nothing was changed."""
