"""The workbook of a report: a 说明 sheet, then every table of the report on a sheet of its own.

Each table sheet has the table's caption, the column headers with their units, the rows with
numbers as numbers (so departments can compute with them; missing values are empty cells,
never 0), then the source and notes. A report with demo data says so on every sheet.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nengji.core.exports import active_sheet
from nengji.reports.document import MISSING, Report, Table

FONT = "仿宋"
HEAD_FONT = "黑体"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
DEMO_TEXT = "演示数据：本表含演示数据（系统示例），不代表实际情况，不得对外引用。"
_BAD_SHEET_CHARS = re.compile(r"[\[\]\*\?/\\:]")


def sheet_name(table: Table) -> str:
    """表N + title, cut to Excel's 31 characters, without the characters Excel forbids."""
    name = _BAD_SHEET_CHARS.sub("", f"表{table.number} {table.key}" if table.number else table.key)
    return name[:31]


def build_xlsx(report: Report) -> bytes:
    wb = Workbook()
    about = active_sheet(wb)
    about.title = "说明"
    _about(about, report)
    for table in report.tables:
        _table_sheet(wb.create_sheet(sheet_name(table)), table, report)
    wb.properties.title = f"{report.title} {report.subtitle}".strip()
    wb.properties.creator = report.issuer
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_xlsx(report: Report, path: Path) -> Path:
    path.write_bytes(build_xlsx(report))
    return path


def _about(ws: Worksheet, report: Report) -> None:
    rows: list[tuple[str, str]] = [
        ("报告", f"{report.title}{report.subtitle}"),
        ("年度", str(report.year)),
        ("编制单位", report.issuer),
        ("成文日期", report.date_zh),
        (
            "生成时间",
            report.generated_at.strftime("%Y-%m-%d %H:%M") if report.generated_at else "",
        ),
        ("说明", "各表数据均为生成时数据库中的数据；空白单元格表示数据缺失，不是 0。"),
    ]
    if report.has_demo_data:
        rows.append(("演示数据", DEMO_TEXT))
    for item in report.missing:
        rows.append(("数据缺失", item))
    rows.append(("", ""))
    rows.append(("工作表", "内容"))
    for table in report.tables:
        rows.append((sheet_name(table), table.caption))
    for r, (key, value) in enumerate(rows, start=1):
        ws.cell(r, 1, key).font = Font(name=HEAD_FONT, bold=True)
        cell = ws.cell(r, 2, value)
        cell.font = Font(name=FONT, color="C00000" if key == "演示数据" else "000000")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 90


def _table_sheet(ws: Worksheet, table: Table, report: Report) -> None:
    ncols = len(table.columns)
    ws.cell(1, 1, table.caption).font = Font(name=HEAD_FONT, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(ncols, 1))
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    header_row = 2
    for c, column in enumerate(table.columns, start=1):
        cell = ws.cell(header_row, c, column.header)
        cell.font = Font(name=HEAD_FONT)
        cell.fill = HEAD_FILL
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(c)].width = max(8, round(column.width * 9))
    for r, row in enumerate(table.rows, start=header_row + 1):
        for c, (value, column) in enumerate(zip(row, table.columns, strict=True), start=1):
            cell = ws.cell(r, c, _cell_value(value, column.kind))
            cell.font = Font(name=FONT)
            cell.border = BOX
            if column.kind in ("number", "percent") and cell.data_type == "n":
                decimals = column.decimals
                cell.number_format = (
                    "#,##0" + ("." + "0" * decimals if decimals else "")
                    if decimals is not None
                    else "General"
                )
                cell.alignment = Alignment(horizontal="right")
            else:
                cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.freeze_panes = ws.cell(header_row + 1, 1).coordinate
    line_row = header_row + len(table.rows) + 2
    lines = [f"单位：见各列标题括号内；空白单元格表示数据缺失（正文表中以“{MISSING}”表示）。"]
    if table.source:
        lines.insert(0, f"数据来源：{table.source}")
    lines += [f"注：{note}" for note in table.notes]
    if report.has_demo_data:
        lines.append(DEMO_TEXT)
    for line in lines:
        note = ws.cell(line_row, 1, line)
        note.font = Font(name=FONT, color="C00000" if line == DEMO_TEXT else "000000")
        line_row += 1


def _cell_value(value, kind: str):  # type: ignore[no-untyped-def]
    """Numbers stay numbers (Decimal → float for Excel); missing stays empty."""
    if value is None or value == "":
        return None
    if kind in ("number", "percent") and not isinstance(value, str):
        return float(value)
    return value
