"""Uploaded files, bounded before anything parses them.

A file is refused from its declared size before it is read (`read_bounded`), and an Office
file (a zip) from its directory before openpyxl or python-docx unpacks it (`zip_check`): the
total unpacked size, the packing ratio and the number of entries. A 1 MB workbook whose
sharedStrings unpack to 1 GB is refused in milliseconds instead of taking gigabytes of memory.
Python's zipfile never unpacks an entry past the size its directory declares, so checking the
directory bounds what any reader can later unpack.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any, Protocol

from django.conf import settings
from django.utils.translation import gettext as _

from nengji.core.errors import DomainError

#: entries an Office file of ours has (a template has about 15)
MAX_ENTRIES = 500
#: unpacked ÷ packed over the whole file; checked only above `RATIO_FLOOR` unpacked bytes
MAX_RATIO = 100
RATIO_FLOOR = 8 * 1024 * 1024


class Readable(Protocol):
    size: int | None

    def read(self, n: int = -1) -> bytes: ...


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


def read_bounded(upload: Readable | Any, *, limit: int, field: str) -> bytes:
    """The bytes of an uploaded file, refused (naming `field`) when over `limit`: from its
    declared size first, and never reading more than `limit` + 1 bytes."""
    size = getattr(upload, "size", None)
    too_big = DomainError.one(field, _("The file is larger than %(mb)s MB.") % {"mb": _mb(limit)})
    if size is not None and size > limit:
        raise too_big
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_big
    return data


def zip_check(data: bytes, *, field: str, max_unpacked: int | None = None) -> None:
    """Refuse a zip-based file (xlsx, docx) that is not a zip, has too many entries, unpacks to
    more than `max_unpacked` bytes (default `NENGJI_XLSX_MAX_UNCOMPRESSED`) or packs too well."""
    limit = max_unpacked if max_unpacked is not None else settings.NENGJI_XLSX_MAX_UNCOMPRESSED
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise DomainError.one(field, _("The file is not a valid Office (zip) file.")) from None
    if len(entries) > MAX_ENTRIES:
        raise DomainError.one(
            field,
            _("The file has %(n)s parts; a workbook of ours has far fewer.") % {"n": len(entries)},
        )
    unpacked = sum(max(0, e.file_size) for e in entries)
    if unpacked > limit:
        raise DomainError.one(
            field,
            _("The file unpacks to %(size)s MB, more than the %(mb)s MB allowed.")
            % {"size": _mb(unpacked), "mb": _mb(limit)},
        )
    packed = max(1, sum(e.compress_size for e in entries))
    if unpacked > RATIO_FLOOR and unpacked / packed > MAX_RATIO:
        raise DomainError.one(
            field,
            _("The file unpacks to %(ratio)s times its size; it is not an ordinary workbook.")
            % {"ratio": int(unpacked / packed)},
        )
