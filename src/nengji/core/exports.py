"""Writing user text into files other programs open (xlsx, CSV): as text, always.

A cell that starts with ``= + - @`` (or a tab or carriage return) is a formula to Excel, WPS
and LibreOffice, even in a CSV: `=HYPERLINK(…)` in a public comment would run on the reader's
machine. Characters XML 1.0 forbids (``\\x00``–``\\x08``, ``\\x0b``, ``\\x0c``, ``\\x0e``–``\\x1f``)
make openpyxl refuse the whole workbook. Every export passes user-written text through
`cell_text`; numbers, dates and booleans pass through `cell_value` unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def strip_illegal(text: str) -> str:
    """Text without the characters XML 1.0 cannot hold (a Word paste brings \\x0b)."""
    return XML_ILLEGAL.sub("", text)


def cell_text(text: str) -> str:
    """User text as a spreadsheet shows it, never as a formula: a leading apostrophe (which
    spreadsheet programs hide) before a formula-looking start; illegal characters removed."""
    clean = strip_illegal(text)
    return "'" + clean if clean.startswith(FORMULA_START) else clean


def cell_value(value: Any) -> Any:
    """A value for a cell: text made safe (`cell_text`), everything else as it is."""
    return cell_text(value) if isinstance(value, str) else value


def active_sheet(workbook: Workbook) -> Worksheet:
    """The workbook's active worksheet (a new workbook always has one)."""
    sheet = workbook.active
    if not isinstance(sheet, Worksheet):
        raise TypeError("the workbook has no active worksheet")
    return sheet
