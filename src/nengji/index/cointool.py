"""Import the JRC COIN Tool's input workbook (COINr ``import_coin_tool``) into nengji.

The COIN Tool is the European Commission JRC's Excel workbook for building composite
indicators. Its input deck is read by cell position, not by header names, so this reader states
the layout it expects (the layout COINr 1.1's ``import_coin_tool`` reads; no COIN Tool workbook
was available here, so the tests build one with openpyxl that follows this layout):

Sheet ``Database`` (rows 1-based, columns by letter)

* columns E … CY (up to 99 indicators), one indicator per column:
  row 7 weight, row 8 direction (1 or −1), row 9 lower goalpost, row 10 upper goalpost,
  row 11 index code, row 12 sub-index code, row 13 pillar code, row 14 sub-pillar code,
  row 15 indicator name, row 16 indicator code (e.g. ``Ind.01``);
* rows 17 … 315 (up to 299 units), one unit per row: column B unit name, column C unit code,
  then its indicator values; ``n/a`` or an empty cell is missing.

Sheet ``Framework``: a table whose header is row 4 (row 5 in the pre-2019 tool, ``old_tool``)
down to row 52 (53): column C the aggregate's code, column E its weight, column H its name;
rows whose code is ``--`` are unused slots.

An aggregation level is *used* when its row holds more than one distinct code (COINr's rule: the
tool fills an unused level with one repeated code); the index row is always used. Each
indicator's parent is its code at the lowest used level, each aggregate's parent its code one
used level up; an aggregate filed under two different parents is refused by name.

Uploads are bounded before anything parses them (:func:`check_workbook_bytes`): file size, zip
entries, unpacked size and packing ratio; and only the cells of the layout are ever read
(openpyxl in read-only mode stops at row 315 and column CY), so a sheet with a million rows costs
nothing. Formulas are read as the values Excel saved with them. openpyxl is imported only here.
"""

from __future__ import annotations

import io
import itertools
import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from nengji.index.data import IndexData, build_data
from nengji.index.errors import DataError, FrameworkError
from nengji.index.framework import Framework

DATABASE = "Database"
FRAMEWORK = "Framework"
WEIGHT_ROW, DIRECTION_ROW, GP_LOWER_ROW, GP_UPPER_ROW = 7, 8, 9, 10
#: aggregation rows, lowest level first (sub-pillar, pillar, sub-index, index)
LEVEL_ROWS = (14, 13, 12, 11)
LEVEL_NAMES = ("sub-pillar", "pillar", "sub-index", "index")
NAME_ROW, CODE_ROW = 15, 16
FIRST_UNIT_ROW, LAST_UNIT_ROW = 17, 315
UNIT_NAME_COL, UNIT_CODE_COL = 2, 3  # B, C
FIRST_IND_COL, LAST_IND_COL = 5, 103  # E, CY
FW_CODE_COL, FW_WEIGHT_COL, FW_NAME_COL = 3, 5, 8  # C, E, H
FW_FIRST_ROW, FW_LAST_ROW = 5, 52  # below the header in row 4

#: default bounds of an uploaded workbook (a COIN Tool file is a few MB)
MAX_BYTES = 32 * 1024 * 1024
MAX_UNPACKED = 256 * 1024 * 1024
MAX_ENTRIES = 2000
MAX_RATIO = 100
RATIO_FLOOR = 8 * 1024 * 1024


@dataclass(frozen=True)
class CoinToolImport:
    """What a COIN Tool workbook holds: the framework, the data, the goalposts (``lower``,
    ``upper`` per indicator, for :class:`~nengji.index.Goalposts`) and notes on what was
    assumed or dropped (e.g. a unit row without any value)."""

    framework: Framework
    data: IndexData
    goalposts: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def _col(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def check_workbook_bytes(
    data: bytes,
    *,
    max_bytes: int = MAX_BYTES,
    max_unpacked: int = MAX_UNPACKED,
    max_entries: int = MAX_ENTRIES,
    max_ratio: float = MAX_RATIO,
    ratio_floor: int = RATIO_FLOOR,
) -> None:
    """Refuse a workbook before parsing it: over ``max_bytes``, not a zip (xlsx/xlsm), more than
    ``max_entries`` parts, unpacking (by its zip directory) to more than ``max_unpacked`` bytes,
    or, above ``ratio_floor`` unpacked bytes, packed more than ``max_ratio`` times.

    Python's zipfile never unpacks an entry past the size its directory declares, so checking
    the directory bounds what openpyxl can unpack later.
    """
    if len(data) > max_bytes:
        raise DataError(f"the workbook has {len(data)} bytes, more than the {max_bytes} allowed")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise DataError(
            "the file is not an Excel workbook (.xlsx/.xlsm; the old binary .xls is not read)"
        ) from None
    if len(entries) > max_entries:
        raise DataError(
            f"the workbook has {len(entries)} parts, more than the {max_entries} allowed"
        )
    unpacked = sum(max(0, e.file_size) for e in entries)
    if unpacked > max_unpacked:
        raise DataError(
            f"the workbook unpacks to {unpacked} bytes, more than the {max_unpacked} allowed"
        )
    packed = max(1, sum(e.compress_size for e in entries))
    if unpacked > ratio_floor and unpacked / packed > max_ratio:
        raise DataError(
            f"the workbook unpacks to {unpacked / packed:.0f} times its packed size "
            f"(more than {max_ratio:g}): it is not an ordinary workbook"
        )


def _read_bytes(source: str | Path | bytes, max_bytes: int) -> bytes:
    if isinstance(source, bytes):
        return source
    path = Path(source)
    size = path.stat().st_size
    if size > max_bytes:  # refused from its size, before a byte is read
        raise DataError(f"the workbook has {size} bytes, more than the {max_bytes} allowed")
    with path.open("rb") as fh:
        return fh.read(max_bytes + 1)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


def _text(v: Any) -> str:
    if _blank(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _number(v: Any, where: str, what: str) -> float:
    """A cell as a float: empty or ``n/a`` is NaN; other text is refused naming the cell."""
    if _blank(v):
        return math.nan
    if isinstance(v, bool):
        raise DataError(f"{where}: {what} must be a number, got {v!r}")
    if isinstance(v, int | float):
        return float(v)
    text = str(v).strip()
    if text.lower() == "n/a":
        return math.nan
    try:
        out = float(text)
    except ValueError:
        raise DataError(f"{where}: {what} must be a number or n/a, got {text!r}") from None
    if not math.isfinite(out):
        raise DataError(f"{where}: {what} must be finite, got {text!r}")
    return out


def import_coin_tool(
    source: str | Path | bytes,
    *,
    old_tool: bool = False,
    max_bytes: int = MAX_BYTES,
    max_unpacked: int = MAX_UNPACKED,
    max_entries: int = MAX_ENTRIES,
) -> CoinToolImport:
    """Read a COIN Tool input workbook (path or bytes) into a framework and data.

    ``old_tool`` reads the pre-2019 tool, whose Framework table is one row lower (COINr's
    ``oldtool``). Indicator codes are the tool's (``Ind.01`` …); names go to ``name_en``.
    Differences from COINr: a column that has a value but no indicator code, a row that has a
    value but no unit code, text in a value cell and inconsistent aggregation codes are refused
    by cell instead of being read as missing; a unit row with a code but no value at all is
    dropped as in COINr, and said so in ``notes``.
    """
    data = _read_bytes(source, max_bytes)
    check_workbook_bytes(
        data, max_bytes=max_bytes, max_unpacked=max_unpacked, max_entries=max_entries
    )
    import openpyxl  # only here: the engine itself needs no Excel reader

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise DataError(f"the workbook could not be read: {exc}") from None
    try:
        for sheet in (DATABASE, FRAMEWORK):
            if sheet not in book.sheetnames:
                raise DataError(
                    f"the workbook has no sheet {sheet!r} (sheets: {book.sheetnames}); "
                    "is it a COIN Tool input workbook?"
                )
        grid = [
            list(row)
            for row in book[DATABASE].iter_rows(
                min_row=WEIGHT_ROW,
                max_row=LAST_UNIT_ROW,
                min_col=UNIT_NAME_COL,
                max_col=LAST_IND_COL,
                values_only=True,
            )
        ]
        shift = 1 if old_tool else 0
        fw_rows = [
            list(row)
            for row in book[FRAMEWORK].iter_rows(
                min_row=FW_FIRST_ROW + shift,
                max_row=FW_LAST_ROW + shift,
                min_col=FW_CODE_COL,
                max_col=FW_NAME_COL,
                values_only=True,
            )
        ]
    finally:
        book.close()
    return _assemble(grid, fw_rows, FW_FIRST_ROW + shift)


def _assemble(grid: list[list[Any]], fw_rows: list[list[Any]], fw_first: int) -> CoinToolImport:
    width = LAST_IND_COL - UNIT_NAME_COL + 1
    grid = [r + [None] * (width - len(r)) for r in grid]
    grid += [[None] * width for _ in range(LAST_UNIT_ROW - WEIGHT_ROW + 1 - len(grid))]

    def cell(row: int, col: int) -> Any:
        return grid[row - WEIGHT_ROW][col - UNIT_NAME_COL]

    def ref(row: int, col: int) -> str:
        return f"{DATABASE}!{_col(col)}{row}"

    notes: list[str] = []
    unit_rows = range(FIRST_UNIT_ROW, LAST_UNIT_ROW + 1)
    ind_cols = []
    for col in range(FIRST_IND_COL, LAST_IND_COL + 1):
        if not _blank(cell(CODE_ROW, col)):
            ind_cols.append(col)
            continue
        filled = [r for r in unit_rows if not _blank(cell(r, col))]
        if filled:
            raise DataError(
                f"{ref(filled[0], col)} has a value but its column has no indicator code "
                f"(row {CODE_ROW})"
            )
    if not ind_cols:
        raise DataError(
            f"{DATABASE}: no indicator codes in row {CODE_ROW} (columns E to CY); is it a COIN "
            "Tool input workbook?"
        )
    codes = [_text(cell(CODE_ROW, c)) for c in ind_cols]

    # aggregation levels: used when a row has more than one distinct code; the index always
    levels: list[tuple[str, list[str]]] = []
    for row, name in zip(LEVEL_ROWS, LEVEL_NAMES, strict=True):
        vals = [_text(cell(row, c)) for c in ind_cols]
        is_index = row == LEVEL_ROWS[-1]
        if is_index and all(v == "" for v in vals):
            vals = ["Index"] * len(vals)
        if not is_index and len(set(vals)) <= 1:
            continue
        missing = [c for c, v in zip(ind_cols, vals, strict=True) if v == ""]
        if missing:
            raise DataError(f"{ref(row, missing[0])}: the {name} code of the indicator is empty")
        levels.append((name, vals))

    parent: dict[str, str] = {}
    for (lname, lower), (_, upper) in itertools.pairwise(levels):
        for child, par in zip(lower, upper, strict=True):
            if parent.setdefault(child, par) != par:
                raise FrameworkError(
                    f"{lname} {child!r} is filed under both {parent[child]!r} and {par!r}"
                )
    agg_codes = list(dict.fromkeys(c for _, vals in levels for c in vals))
    clash = set(agg_codes) & set(codes)
    if clash:
        raise FrameworkError(f"code {sorted(clash)[0]!r} is both an indicator and an aggregate")

    fw_sheet: dict[str, tuple[str, float | None]] = {}
    for i, raw in enumerate(fw_rows):
        fw_row = raw + [None] * (FW_NAME_COL - FW_CODE_COL + 1 - len(raw))
        code = _text(fw_row[0])
        if code in ("", "--"):
            continue
        where = f"{FRAMEWORK}!{_col(FW_WEIGHT_COL)}{fw_first + i}"
        fw_weight = _number(fw_row[FW_WEIGHT_COL - FW_CODE_COL], where, f"the weight of {code!r}")
        fw_sheet[code] = (
            _text(fw_row[FW_NAME_COL - FW_CODE_COL]),
            None if math.isnan(fw_weight) else fw_weight,
        )

    records: list[dict[str, Any]] = []
    for code in agg_codes:
        name, agg_weight = fw_sheet.get(code, ("", None))
        if code not in fw_sheet:
            notes.append(f"aggregate {code!r} is not in the {FRAMEWORK} sheet: weight 1, no name")
        records.append(
            {"code": code, "parent": parent.get(code), "name_en": name, "weight": agg_weight}
        )
    lowest = levels[0][1]
    goal_rows = []
    for col, code, par in zip(ind_cols, codes, lowest, strict=True):
        weight = _number(cell(WEIGHT_ROW, col), ref(WEIGHT_ROW, col), f"the weight of {code!r}")
        direction = _number(
            cell(DIRECTION_ROW, col), ref(DIRECTION_ROW, col), f"the direction of {code!r}"
        )
        if math.isnan(direction):
            direction = 1.0
            notes.append(f"indicator {code!r} has no direction ({ref(DIRECTION_ROW, col)}): +1")
        if direction not in (1.0, -1.0):
            raise DataError(
                f"{ref(DIRECTION_ROW, col)}: the direction of {code!r} must be 1 or -1, "
                f"got {direction:g}"
            )
        records.append(
            {
                "code": code,
                "parent": par,
                "name_en": _text(cell(NAME_ROW, col)),
                "weight": None if math.isnan(weight) else weight,
                "direction": direction,
            }
        )
        goal_rows.append(
            {
                "code": code,
                "lower": _number(cell(GP_LOWER_ROW, col), ref(GP_LOWER_ROW, col), "a goalpost"),
                "upper": _number(cell(GP_UPPER_ROW, col), ref(GP_UPPER_ROW, col), "a goalpost"),
            }
        )
    framework = Framework.from_records(records)

    rows = []
    for r in unit_rows:
        ucode = _text(cell(r, UNIT_CODE_COL))
        values = [cell(r, c) for c in ind_cols]
        if ucode == "":
            filled = [c for c, v in zip(ind_cols, values, strict=True) if not _blank(v)]
            if filled:
                raise DataError(f"{ref(r, filled[0])} has a value but row {r} has no unit code")
            continue
        nums = [
            _number(v, ref(r, c), f"the value of {code!r} for {ucode!r}")
            for c, v, code in zip(ind_cols, values, codes, strict=True)
        ]
        if all(math.isnan(x) for x in nums):
            notes.append(f"unit {ucode!r} (row {r}) has no value at all and was dropped (as COINr)")
            continue
        rows.append(
            {
                "uCode": ucode,
                "uName": _text(cell(r, UNIT_NAME_COL)),
                **dict(zip(codes, nums, strict=True)),
            }
        )
    if not rows:
        raise DataError(
            f"{DATABASE}: no unit has a value (rows {FIRST_UNIT_ROW} to {LAST_UNIT_ROW})"
        )
    frame = pd.DataFrame(rows, columns=["uCode", "uName", *codes])
    data = build_data(frame, framework)
    goalposts = pd.DataFrame(goal_rows).set_index("code")
    return CoinToolImport(framework=framework, data=data, goalposts=goalposts, notes=notes)
