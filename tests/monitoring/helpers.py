"""Filling a downloaded template the way a department would, with openpyxl."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from nengji.monitoring.excel import COL, DATA_SHEET, FIRST_ROW


def fill(data: bytes, by_code: dict[str, dict[str, Any]]) -> bytes:
    """Write values into the rows whose 代码 is a key: {"HT": {"value": 120}}."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[DATA_SHEET]
    for r in range(FIRST_ROW, ws.max_row + 1):
        code = ws[f"{COL['code']}{r}"].value
        for key, value in by_code.get(code, {}).items():
            ws[f"{COL[key]}{r}"] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row_of(data: bytes, code: str) -> int:
    ws = load_workbook(io.BytesIO(data))[DATA_SHEET]
    for r in range(FIRST_ROW, ws.max_row + 1):
        if ws[f"{COL['code']}{r}"].value == code:
            return r
    raise KeyError(code)
