"""Reading an uploaded CSV or .xlsx as rows of text, bounded before it is parsed: the file's
size, for a workbook its unpacked size, compression ratio and member count (a zip bomb is
refused unread), then the rows, columns and cell lengths as they are read."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from nengji.registry.errors import ErrorDetail, RegistryError

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 500
MAX_ROWS = 20_000
MAX_COLUMNS = 60
MAX_CELL = 1000


def _fail(message: str, *, row: int | None = None, column: str | None = None) -> RegistryError:
    return RegistryError([ErrorDetail(field="file", message=message, row=row, column=column)])


def table_read(data: bytes, *, filename: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, [(row number, cells)]) of the first sheet or the CSV; blank rows skipped."""
    if len(data) > MAX_BYTES:
        raise _fail(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES >> 20})
    name = filename.lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        rows = _xlsx_rows(data)
    elif name.endswith(".csv") or name.endswith(".txt") or "." not in name:
        rows = _csv_rows(data)
    else:
        raise _fail(_("Upload a .csv or .xlsx file."))
    header: list[str] | None = None
    out: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        if len(cells) > MAX_COLUMNS:
            raise _fail(_("More than %(n)d columns.") % {"n": MAX_COLUMNS}, row=number)
        texts = [_cell(c, number) for c in cells]
        if not any(texts):
            continue
        if header is None:
            header = texts
            continue
        out.append((number, texts))
        if len(out) > MAX_ROWS:
            raise _fail(_("More than %(n)d rows.") % {"n": MAX_ROWS}, row=number)
    if header is None:
        raise _fail(_("The file is empty."))
    return header, out


def _cell(value: Any, row: int) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        text = str(value.isoformat())[:10]
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value).strip()
    if len(text) > MAX_CELL:
        raise _fail(_("A cell is longer than %(n)d characters.") % {"n": MAX_CELL}, row=row)
    return text.replace("\x00", "")


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _fail(_("The CSV is neither UTF-8 nor GB18030."))
    try:
        yield from enumerate(csv.reader(io.StringIO(text)), start=1)
    except csv.Error as exc:
        raise _fail(_("Not a readable CSV: %(e)s") % {"e": exc}) from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _fail(_("Not an .xlsx workbook.")) from None
    infos = archive.infolist()
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if len(infos) > MAX_MEMBERS or unpacked > MAX_UNPACKED or unpacked / packed > MAX_RATIO:
        raise _fail(_("The workbook unpacks to too much data; refused unread."))
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise _fail(_("Not an .xlsx workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        workbook.close()
