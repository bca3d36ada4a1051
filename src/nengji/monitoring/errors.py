"""The one exception type monitoring services raise, with field-level detail."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ErrorDetail:
    """One problem, located on a form field, or on a sheet/row/column of an uploaded workbook."""

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
        return self.field


class MonitoringError(Exception):
    """Bad input, a conflict or a refused action; nothing was changed.

    ``code`` is one of ``invalid`` (400), ``permission`` (403), ``not_found`` (404),
    ``conflict`` (409).
    """

    def __init__(self, detail: list[ErrorDetail] | str, *, code: str = "invalid") -> None:
        if isinstance(detail, str):
            detail = [ErrorDetail(field="__all__", message=detail)]
        self.detail = detail
        self.code = code
        super().__init__("; ".join(f"{d.where()}: {d.message}" for d in detail))

    @classmethod
    def one(cls, field: str, message: str, *, code: str = "invalid") -> MonitoringError:
        return cls([ErrorDetail(field=field, message=message)], code=code)


def conflict(message: str) -> MonitoringError:
    return MonitoringError.one("version", message, code="conflict")


def refused(message: str) -> MonitoringError:
    return MonitoringError.one("__all__", message, code="permission")
