"""Tables as downloads: CSV (UTF-8 with BOM, so Excel opens Chinese text), JSON and xlsx."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from nengji.core.exports import active_sheet, append_row, cell_value

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _cell(x: Any) -> Any:
    """A CSV field: user text as text (`cell_text`), floats rounded, missing empty."""
    if x is None:
        return ""
    if isinstance(x, float):
        return round(x, 6)
    return cell_value(x)


def table_csv(columns: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(x) for x in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def table_json(columns: list[str], rows: list[list[Any]], meta: dict[str, Any] | None) -> bytes:
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    body = {**(meta or {}), "columns": columns, "rows": records}
    return json.dumps(body, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def table_xlsx(
    columns: list[str], rows: list[list[Any]], *, title: str, notes: list[str] | None = None
) -> bytes:
    wb = Workbook()
    ws = active_sheet(wb)
    ws.title = (title or "data")[:31]
    append_row(ws, list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(ws, list(row))
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(str(col)) * 2))
    if notes:
        info = wb.create_sheet("notes")
        for line in notes:
            append_row(info, [line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table_response(
    fmt: str,
    *,
    filename: str,
    columns: list[str],
    rows: list[list[Any]],
    title: str = "",
    notes: list[str] | None = None,
    meta: dict[str, Any] | None = None,
) -> HttpResponse:
    if fmt == "csv":
        body = table_csv(columns, rows)
    elif fmt == "json":
        body = table_json(columns, rows, meta)
    elif fmt == "xlsx":
        body = table_xlsx(columns, rows, title=title, notes=notes)
    else:
        raise ValueError(fmt)
    resp = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    if fmt != "json":
        resp["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return resp
