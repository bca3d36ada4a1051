"""The workbook of a report: a 说明 sheet, the analysts' sheets (one row per indicator with every
attribute and rating input as a column; every value and vintage in long format), then every
table of the report on a sheet of its own.

Each table sheet has the table's caption, the column headers with their units, the rows with
numbers as numbers and dates as dates (so analysts can compute with them; missing values are
empty cells, never 0), an autofilter, frozen headers, print titles and landscape A4 set-up, then
the source and notes. A report with demo data says so on every sheet.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from nengji.core.exports import active_sheet, cell_value
from nengji.reports.document import MISSING, Report, Table

FONT = "仿宋"
HEAD_FONT = "黑体"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
DEMO_TEXT = "演示数据：本表含演示数据（系统示例），不代表实际情况，不得对外引用。"
DEMO_TEXT_EN = "DEMO DATA: this sheet contains demo data (examples); not real, not to be quoted."
_BAD_SHEET_CHARS = re.compile(r"[\[\]\*\?/\\:]")


def sheet_name(table: Table) -> str:
    """表N + title, cut to Excel's 31 characters, without the characters Excel forbids."""
    name = _BAD_SHEET_CHARS.sub("", f"表{table.number} {table.key}" if table.number else table.key)
    return name[:31]


def _demo_text(report: Report) -> str:
    return DEMO_TEXT_EN if report.lang == "en" else DEMO_TEXT


def build_xlsx(report: Report) -> bytes:
    wb = Workbook()
    about = active_sheet(wb)
    about.title = "About" if report.lang == "en" else "说明"
    _about(about, report)
    for table in report.data_tables:
        _table_sheet(wb.create_sheet(sheet_name(table)), table, report)
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
    en = report.lang == "en"
    rows: list[tuple[str, str]] = [
        ("Report" if en else "报告", f"{report.title} {report.subtitle}".strip()),
        ("Year" if en else "年度", str(report.year)),
        ("Issued by" if en else "编制单位", report.issuer),
        ("Date" if en else "成文日期", report.date_zh),
        (
            "Generated" if en else "生成时间",
            report.generated_at.strftime("%Y-%m-%d %H:%M") if report.generated_at else "",
        ),
        (
            "Note" if en else "说明",
            "Every sheet holds the database's data at generation time; an empty cell is "
            "missing data, never 0."
            if en
            else "各表数据均为生成时数据库中的数据；空白单元格表示数据缺失，不是 0。",
        ),
    ]
    demo_key = "Demo data" if en else "演示数据"
    if report.has_demo_data:
        rows.append((demo_key, _demo_text(report)))
    for item in report.missing:
        rows.append(("Missing" if en else "数据缺失", item))
    rows.append(("", ""))
    rows.append(("Sheet" if en else "工作表", "Content" if en else "内容"))
    for table in [*report.data_tables, *report.tables]:
        rows.append((sheet_name(table), table.caption))
    for r, (key, value) in enumerate(rows, start=1):
        ws.cell(r, 1, key).font = Font(name=HEAD_FONT, bold=True)
        cell = ws.cell(r, 2, value)
        cell.font = Font(name=FONT, color="C00000" if key == demo_key else "000000")
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
            if column.kind == "date" and isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif column.kind in ("number", "percent") and cell.data_type == "n":
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
    last = header_row + len(table.rows)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(max(ncols, 1))}{max(last, header_row)}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    line_row = last + 2
    labels = report.labels
    lines = [
        "Units: in the column headers; an empty cell is missing data."
        if report.lang == "en"
        else f"单位：见各列标题括号内；空白单元格表示数据缺失（正文表中以“{MISSING}”表示）。"
    ]
    if table.source:
        lines.insert(0, f"{labels['source']}{table.source}")
    lines += [f"{labels['note']}{note}" for note in table.notes]
    demo = _demo_text(report)
    if report.has_demo_data:
        lines.append(demo)
    for line in lines:
        note = ws.cell(line_row, 1, line)
        note.font = Font(name=FONT, color="C00000" if line == demo else "000000")
        line_row += 1


def _cell_value(value, kind: str):  # type: ignore[no-untyped-def]
    """Numbers stay numbers (Decimal → float for Excel); missing stays empty."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    if kind in ("number", "percent") and not isinstance(value, str):
        return float(value)
    return cell_value(value)
