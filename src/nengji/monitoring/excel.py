"""Excel templates for a department's round, and reading them back.

The template has a locked layout (sheet protection; only the input columns are unlocked), data
validation on the input cells, a 填报说明 sheet in Chinese and a hidden `_meta` sheet naming
the round and department. Reading checks all of that and returns rows, or every problem with
its sheet, row and column; `nengji.monitoring.services.imports` applies them all-or-nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation

from nengji.core.exports import active_sheet, write_cell
from nengji.monitoring.errors import ErrorDetail
from nengji.monitoring.models import Round, Submission, TaskStatus
from nengji.monitoring.validation import parse_decimal, parse_percent, previous_values
from nengji.plan.models import Department

DATA_SHEET = "填报"
HELP_SHEET = "填报说明"
META_SHEET = "_meta"
HEADER_ROW = 3
FIRST_ROW = 4
PROTECT_PASSWORD = "nengji"  # noqa: S105 - locks the layout against slips, not a secret

# (key, header, width, input?)
COLUMNS: tuple[tuple[str, str, int, bool], ...] = (
    ("id", "编号", 9, False),
    ("type", "类型", 6, False),
    ("code", "代码", 14, False),
    ("name", "指标或任务名称", 40, False),
    ("unit", "单位", 8, False),
    ("previous", "上期值", 12, False),
    ("value", "本期值", 12, True),
    ("explanation", "变动说明", 28, True),
    ("task_status", "进展状态", 14, True),
    ("percent_complete", "完成百分比", 10, True),
    ("narrative", "进展说明", 36, True),
    ("milestones", "里程碑", 24, True),
    ("note", "备注", 20, True),
    ("version", "版本", 6, False),
)
COL = {key: get_column_letter(i + 1) for i, (key, *_rest) in enumerate(COLUMNS)}
HEADERS = [header for _key, header, _w, _i in COLUMNS]
STATUS_LABELS = {
    "未启动": TaskStatus.NOT_STARTED,
    "按计划推进": TaskStatus.ON_SCHEDULE,
    "滞后": TaskStatus.LAGGING,
    "已完成": TaskStatus.COMPLETED,
}
STATUS_BY_VALUE = {v: k for k, v in STATUS_LABELS.items()}
KIND_INDICATOR, KIND_TASK = "指标", "任务"

INSTRUCTIONS = (
    "填报说明",
    "1. 本表由 nengji 平台为本部门、本轮次生成，只能用于本部门、本轮次。",
    "2. 只在白色单元格中填写：指标填“本期值”（数字，不带单位）和必要时的“变动说明”；",
    "   任务和重点项目填“进展状态”（下拉选择）、“完成百分比”（0—100 的整数）、"
    "“进展说明”和“里程碑”。",
    "3. 本期值与上期值相比变动超过规定幅度时，必须填写“变动说明”。",
    "4. 灰色单元格和表格结构已锁定，请勿增删行列、改动编号或版本。",
    "5. 空着的行不会被导入；已提交或已审核通过的项目不能再通过本表修改。",
    "6. 上传时平台逐项检查；只要有一处错误，整个文件都不导入，并列出每处错误所在的工作表、行和列。",
    "7. 上传后请在平台上提交；需要证明材料的项目请在网页上上传证明材料"
    "（PDF、图片或 Office 文件）。",
    "8. 如果在您下载之后有人在平台上修改了同一项目，上传会因“版本”冲突被拒绝，请重新下载模板。",
)


def _rows_for(round: Round, department: Department) -> list[Submission]:
    latest: dict[int, Submission] = {}
    qs = (
        Submission.objects.filter(round=round, department=department)
        .select_related("assignment__indicator", "assignment__section")
        .order_by("assignment_id", "sequence")
    )
    for sub in qs:
        latest[sub.assignment_id] = sub
    return list(latest.values())


def template_build(*, round: Round, department: Department) -> bytes:
    """The .xlsx a department downloads for a round."""
    subs = _rows_for(round, department)
    previous = previous_values([s.assignment for s in subs], year=round.year, quarter=round.quarter)
    wb = Workbook()
    ws = active_sheet(wb)
    ws.title = DATA_SHEET
    ws["A1"] = f"{round.plan.title_zh} · {round.label} 监测填报 · {department.name_zh}"
    ws["A1"].font = Font(bold=True, size=13)
    deadline = timezone.localtime(round.deadline)
    ws["A2"] = f"截止时间：{deadline:%Y-%m-%d %H:%M}　部门代码：{department.code}"
    grey = PatternFill("solid", fgColor="EEEEEE")
    for i, (_key, header, width, _input) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=i, value=header)
        cell.font = Font(bold=True)
        cell.fill = grey
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.column_dimensions[COL["version"]].hidden = True
    ws.freeze_panes = f"A{FIRST_ROW}"
    unlocked = Protection(locked=False)
    number_dv = DataValidation(
        type="decimal",
        operator="between",
        formula1="-1E+14",
        formula2="1E+14",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="本期值",
        error="请填写数字（不带单位）",
    )
    status_dv = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUS_LABELS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="进展状态",
        error="请从下拉列表中选择",
    )
    pct_dv = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="完成百分比",
        error="请填写 0—100 的整数",
    )
    dv_cells: dict[str, list[str]] = {"number": [], "status": [], "pct": []}
    for r, sub in enumerate(subs, start=FIRST_ROW):
        a = sub.assignment
        is_ind = a.indicator_id is not None
        item = a.indicator if is_ind else a.section
        before = previous.get(a.pk)
        row: dict[str, Any] = {
            "id": sub.pk,
            "type": KIND_INDICATOR if is_ind else KIND_TASK,
            "code": item.code,  # type: ignore[union-attr]
            "name": item.name_zh if is_ind else item.title_zh,  # type: ignore[union-attr]
            "unit": a.indicator.unit_zh if is_ind else "",  # type: ignore[union-attr]
            "previous": float(before) if before is not None else None,
            "value": float(sub.value) if sub.value is not None else None,
            "explanation": sub.explanation,
            "task_status": STATUS_BY_VALUE.get(TaskStatus(sub.task_status), "")
            if sub.task_status
            else "",
            "percent_complete": sub.percent_complete,
            "narrative": sub.narrative,
            "milestones": sub.milestones,
            "note": sub.note,
            "version": sub.version,
        }
        for c, (key, _h, _w, is_input) in enumerate(COLUMNS, start=1):
            body: Any = write_cell(ws, r, c, row[key] if row[key] != "" else None)
            if is_input and sub.editable:
                applies = key in ("note",) or (
                    key in ("value", "explanation")
                    if is_ind
                    else key in ("task_status", "percent_complete", "narrative", "milestones")
                )
                if applies:
                    body.protection = unlocked
                else:
                    body.fill = grey
            else:
                body.fill = grey
            if key == "name":
                body.alignment = Alignment(wrap_text=True, vertical="top")
        if sub.editable:
            if is_ind:
                dv_cells["number"].append(f"{COL['value']}{r}")
            else:
                dv_cells["status"].append(f"{COL['task_status']}{r}")
                dv_cells["pct"].append(f"{COL['percent_complete']}{r}")
    # One validation object per kind, its cells as compact ranges (adding cell by cell is
    # quadratic in openpyxl).
    for dv, key in ((number_dv, "number"), (status_dv, "status"), (pct_dv, "pct")):
        if dv_cells[key]:
            dv.sqref = MultiCellRange(_ranges(dv_cells[key]))
            ws.add_data_validation(dv)
    ws.protection.set_password(PROTECT_PASSWORD)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths may be changed; structure may not
    help_ws = wb.create_sheet(HELP_SHEET)
    for i, line in enumerate(INSTRUCTIONS, start=1):
        help_ws.cell(row=i, column=1, value=line)
    help_ws["A1"].font = Font(bold=True, size=13)
    help_ws.column_dimensions["A"].width = 110
    help_ws.protection.sheet = True
    meta = wb.create_sheet(META_SHEET)
    meta["A1"], meta["B1"] = "round", round.pk
    meta["A2"], meta["B2"] = "department", department.code
    meta["A3"], meta["B3"] = "format", 1
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _ranges(cells: list[str]) -> str:
    """["G4", "G5", "G6", "G9"] -> "G4:G6 G9" (cells of one column, in row order)."""
    out: list[str] = []
    col = cells[0].rstrip("0123456789")
    rows = [int(c[len(col) :]) for c in cells]
    start = prev = rows[0]
    for r in [*rows[1:], None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        out.append(f"{col}{start}" if start == prev else f"{col}{start}:{col}{prev}")
        if r is not None:
            start = prev = r
    return " ".join(out)


@dataclass
class ParsedRow:
    row: int
    submission_id: int
    version: int | None
    kind: str
    values: dict[str, Any]


def _err(
    field: str, message: str, row: int | None, key: str | None = None, sheet: str = DATA_SHEET
) -> ErrorDetail:
    return ErrorDetail(
        field=field,
        message=message,
        sheet=sheet,
        row=row,
        column=COL.get(key or field) if row else None,
    )


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def template_read(
    *, data: bytes, round: Round, department: Department
) -> tuple[list[ParsedRow], list[ErrorDetail]]:
    """Parse an uploaded workbook: rows with any input, or errors by sheet/row/column."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        return [], [
            ErrorDetail("file", _("The file is not an .xlsx workbook made from the template."))
        ]
    try:
        if DATA_SHEET not in wb.sheetnames or META_SHEET not in wb.sheetnames:
            return [], [
                ErrorDetail(
                    "file",
                    _("The workbook has no sheet “%(sheet)s”: download a fresh template.")
                    % {"sheet": DATA_SHEET},
                )
            ]
        meta = {
            r[0]: r[1]
            for r in wb[META_SHEET].iter_rows(min_row=1, max_row=3, values_only=True)
            if r and r[0]
        }
        if meta.get("round") != round.pk or meta.get("department") != department.code:
            return [], [
                _err(
                    "file",
                    _(
                        "This template is for another round or department (%(other)s), "
                        "not %(dept)s in %(round)s."
                    )
                    % {
                        "other": meta.get("department"),
                        "dept": department.code,
                        "round": round.label,
                    },
                    None,
                    sheet=META_SHEET,
                )
            ]
        # Never more rows than the template has: junk below it (a dimension of A1:Z3000000)
        # is not even parsed.
        last = FIRST_ROW + len(_rows_for(round, department)) - 1
        ws = wb[DATA_SHEET]
        rows_iter = ws.iter_rows(
            min_row=HEADER_ROW, max_row=last, max_col=len(COLUMNS), values_only=True
        )
        cells_iter = formulas[DATA_SHEET].iter_rows(
            min_row=FIRST_ROW, max_row=last, max_col=len(COLUMNS)
        )
        header = next(rows_iter, None)
        if header is None or [_text(h) for h in header] != HEADERS:
            return [], [
                ErrorDetail(
                    "file", _("The header row was changed."), sheet=DATA_SHEET, row=HEADER_ROW
                )
            ]
        parsed: list[ParsedRow] = []
        errors: list[ErrorDetail] = []
        for r, (cells, raw_cells) in enumerate(
            zip(rows_iter, cells_iter, strict=False), start=FIRST_ROW
        ):
            rec = dict(
                zip([c[0] for c in COLUMNS], list(cells) + [None] * len(COLUMNS), strict=False)
            )
            if all(rec[k] in (None, "") for k, *_x in COLUMNS):
                continue
            uncomputed = [
                key
                for (key, _h, _w, is_input), cell in zip(COLUMNS, raw_cells, strict=False)
                if is_input and getattr(cell, "data_type", None) == "f" and rec[key] is None
            ]
            if uncomputed:
                errors.extend(
                    _err(
                        key,
                        _(
                            "A formula without a computed value: type the value, or open "
                            "and save the file in Excel or WPS first."
                        ),
                        r,
                    )
                    for key in uncomputed
                )
                continue
            sid = rec["id"]
            if not isinstance(sid, int | float) or int(sid) != sid:
                errors.append(_err("id", _("The 编号 cell was changed."), r))
                continue
            inputs = {k: rec[k] for k, _h, _w, is_input in COLUMNS if is_input}
            if all(_text(v) == "" for v in inputs.values()):
                continue
            values: dict[str, Any] = {}
            row_errors: list[ErrorDetail] = []
            if rec["type"] == KIND_INDICATOR:
                val, e = parse_decimal(rec["value"], field="value")
                if e:
                    row_errors.append(_err("value", e.message, r))
                values["value"] = val
                values["explanation"] = _text(rec["explanation"])
            else:
                label = _text(rec["task_status"])
                if label and label not in STATUS_LABELS:
                    row_errors.append(
                        _err(
                            "task_status",
                            _("“%(label)s” is not one of %(choices)s.")
                            % {"label": label, "choices": "/".join(STATUS_LABELS)},
                            r,
                        )
                    )
                values["task_status"] = STATUS_LABELS.get(label, "")
                pct, e = parse_percent(rec["percent_complete"])
                if e:
                    row_errors.append(_err("percent_complete", e.message, r))
                values["percent_complete"] = pct
                values["narrative"] = _text(rec["narrative"])
                values["milestones"] = _text(rec["milestones"])
            values["note"] = _text(rec["note"])
            version = rec["version"]
            if row_errors:
                errors.extend(row_errors)
                continue
            parsed.append(
                ParsedRow(
                    row=r,
                    submission_id=int(sid),
                    version=int(version) if isinstance(version, int | float) else None,
                    kind=str(rec["type"]),
                    values=values,
                )
            )
        return parsed, errors
    finally:
        wb.close()
        formulas.close()
