"""Writing user text into files other programs open (xlsx, CSV): as text, always.

A cell that starts with ``= + - @`` (or a tab or carriage return) is a formula to Excel, WPS
and LibreOffice, even in a CSV: `=HYPERLINK(…)` in a public comment would run on the reader's
machine. Characters XML 1.0 forbids (``\\x00``–``\\x08``, ``\\x0b``, ``\\x0c``, ``\\x0e``–``\\x1f``)
make openpyxl refuse the whole workbook.

- xlsx: write cells with `write_cell` / `append_row`: text is stored exactly, as a string cell
  (never a formula, with Excel's quote prefix so it stays text when edited), illegal
  characters dropped. The text reads back unchanged (templates round-trip).
- CSV (and anywhere only a string can go): `cell_text` / `cell_value` put an apostrophe before
  a formula-looking start, which spreadsheet programs show as text.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
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


def write_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Put `value` into a cell of an xlsx sheet; text always as text (see the module)."""
    cell = ws.cell(row=row, column=column)
    if not isinstance(cell, Cell):  # a merged cell holds no value of its own
        raise ValueError(f"cell {row},{column} is part of a merged range")
    _set(cell, value)
    return cell


def append_row(ws: Worksheet, values: list[Any]) -> None:
    """`ws.append(values)`, with text always as text."""
    ws.append([strip_illegal(v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell, Cell) and cell.data_type == "f":
            _as_text(cell)


def _set(cell: Cell, value: Any) -> None:
    if isinstance(value, str):
        cell.value = strip_illegal(value)
        if cell.data_type == "f":
            _as_text(cell)
    else:
        cell.value = value


def _as_text(cell: Cell) -> None:
    cell.data_type = "s"
    cell.quotePrefix = True


def active_sheet(workbook: Workbook) -> Worksheet:
    """The workbook's active worksheet (a new workbook always has one)."""
    sheet = workbook.active
    if not isinstance(sheet, Worksheet):
        raise TypeError("the workbook has no active worksheet")
    return sheet
