"""One domain error for every app, with field-level detail.

Services raise `DomainError` (or a subclass an app declares for its own name) when input is bad,
an action is refused or a write conflicts; nothing has been changed when it is raised (services
are atomic). The API turns it into a 4xx JSON body naming the fields, the web pages show it
against the form fields, the CLI prints it and exits non-zero: one mapping, in one place each.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import ClassVar

#: code → HTTP status
STATUS: dict[str, int] = {
    "invalid": 400,
    "permission": 403,
    "not_found": 404,
    "conflict": 409,
    "rate_limited": 429,
}


@dataclass(frozen=True)
class ErrorDetail:
    """One problem, located on a form field, or on a sheet/row/column of an uploaded file."""

    field: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def where(self) -> str:
        if self.sheet:
            return f"{self.sheet}!{self.column or ''}{self.row or ''}"
        if self.row is not None:
            return f"row {self.row}: {self.field}"
        return self.field


class DomainError(Exception):
    """Bad input, a refused action or a conflict; nothing was changed.

    ``code`` is one of `STATUS`: ``invalid`` (400), ``permission`` (403), ``not_found`` (404),
    ``conflict`` (409), ``rate_limited`` (429, with ``retry_after`` seconds).
    """

    default_code: ClassVar[str] = "invalid"

    def __init__(
        self,
        detail: list[ErrorDetail] | str,
        *,
        code: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        if isinstance(detail, str):
            detail = [ErrorDetail(field="__all__", message=detail)]
        code = code or self.default_code
        if code not in STATUS:
            raise ValueError(f"unknown domain error code {code!r}")
        self.detail = detail
        self.code = code
        self.retry_after = retry_after
        super().__init__("; ".join(f"{d.where()}: {d.message}" for d in detail))

    @classmethod
    def one(cls, field: str, message: str, *, code: str | None = None) -> DomainError:
        return cls([ErrorDetail(field=field, message=message)], code=code)

    @property
    def status(self) -> int:
        return STATUS[self.code]

    def as_json(self) -> dict[str, list[dict[str, object]]]:
        return {"detail": [d.as_dict() for d in self.detail]}

    def by_field(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for d in self.detail:
            out.setdefault(d.field, []).append(d.message)
        return out


def conflict(message: str, *, field: str = "version") -> DomainError:
    return DomainError.one(field, message, code="conflict")


def refused(message: str) -> DomainError:
    return DomainError.one("__all__", message, code="permission")


def not_found(field: str, message: str) -> DomainError:
    return DomainError.one(field, message, code="not_found")
