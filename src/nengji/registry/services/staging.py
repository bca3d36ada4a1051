"""An import in two steps for the office's upload page: check the file and show what it
would do (`registry_import_stage`: a dry run of `registry_import`, nothing written), then
import exactly that file on confirmation (`registry_import_confirm`).

Between the two the bytes wait in the data directory under a random token, beside a note of
who staged them, which kind of list and the bytes' SHA-256; the browser only ever holds the
token. A token is used once: the first confirmation claims it (an atomic rename), so a
double-click or a replayed request does not import twice, and someone else's token is
refused. The confirmation runs the whole import again, all or nothing, so a registry that
changed since the preview is checked as it is now. Staged files older than a day are
removed."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from nengji.core.models import Organisation
from nengji.registry.errors import RegistryError
from nengji.registry.services.access import require_office
from nengji.registry.services.imports import ImportReport, registry_import

MAX_AGE_S = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass(frozen=True)
class Staged:
    token: str
    report: ImportReport
    filename: str
    kind: str
    sha256: str


def _dir() -> Path:
    path = Path(settings.DATA_DIR) / "registry" / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sweep(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE_S
    for p in folder.iterdir():
        try:
            if p.stat().st_mtime < cutoff:
                p.unlink()
        except OSError:
            pass


def registry_import_stage(
    *, district: Organisation, data: bytes, filename: str, kind: str, by: Any
) -> Staged:
    """Check the file as `registry_import` would (raising its `RegistryError` with rows and
    fields) and, when it would import, keep it for `registry_import_confirm`."""
    require_office(by)
    report = registry_import(
        district=district, data=data, filename=filename, by=by, kind=kind, dry_run=True
    )
    folder = _dir()
    _sweep(folder)
    token = secrets.token_urlsafe(24)
    digest = hashlib.sha256(data).hexdigest()
    (folder / f"{token}.bin").write_bytes(data)
    note = {
        "user": getattr(by, "pk", None),
        "district": district.pk,
        "kind": kind,
        "filename": filename[:200],
        "sha256": digest,
    }
    (folder / f"{token}.json").write_text(json.dumps(note), encoding="utf-8")
    return Staged(token=token, report=report, filename=filename, kind=kind, sha256=digest)


def registry_import_confirm(*, district: Organisation, token: str, by: Any) -> ImportReport:
    """Import the staged file once (all or nothing). An unknown, used, expired or someone
    else's token is refused, naming the field ``token``."""
    require_office(by)
    gone = RegistryError.one(
        "token",
        _("This upload was already imported, has expired or is not yours: upload it again."),
        code="conflict",
    )
    if not _TOKEN.match(token or ""):
        raise gone
    folder = _dir()
    note_path, data_path = folder / f"{token}.json", folder / f"{token}.bin"
    try:
        note = json.loads(note_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise gone from None
    if note.get("user") != getattr(by, "pk", None) or note.get("district") != district.pk:
        raise gone
    claimed = folder / f"{token}.claimed"
    try:
        data_path.rename(claimed)  # atomic: a second confirmation finds nothing to claim
    except OSError:
        raise gone from None
    try:
        data = claimed.read_bytes()
        if hashlib.sha256(data).hexdigest() != note.get("sha256"):
            raise gone
        return registry_import(
            district=district,
            data=data,
            filename=str(note.get("filename") or "upload"),
            by=by,
            kind=str(note.get("kind") or "enterprises"),
        )
    finally:
        claimed.unlink(missing_ok=True)
        note_path.unlink(missing_ok=True)
