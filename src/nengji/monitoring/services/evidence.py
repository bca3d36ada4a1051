"""Evidence files: size-limited and type-checked by their content, not their name."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record
from nengji.core.uploads import read_bounded
from nengji.monitoring.errors import MonitoringError
from nengji.monitoring.models import Evidence, Submission
from nengji.monitoring.permissions import require_department_writer
from nengji.monitoring.services.submissions import (
    require_open_for_reporting,
    submission_locked,
)

ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
}


def download_name(ev: Evidence) -> str:
    """The name an evidence file is sent under: the uploader's stem, the extension of the type
    its content was checked as (content checked as PDF is never sent as report.html)."""
    stem = PurePath(PurePath(ev.original_name.replace("\\", "/")).name).stem[:80] or "evidence"
    return f"{stem}.{ALLOWED_TYPES.get(ev.content_type, 'bin')}"


def read_upload(upload: Any, *, field: str = "evidence") -> bytes:
    """An uploaded evidence file's bytes, refused from its size before it is read."""
    return read_bounded(upload, limit=settings.NENGJI_EVIDENCE_MAX_BYTES, field=field)


def sniff(data: bytes) -> str | None:
    """The MIME type the content shows, if it is one we accept."""
    kind = filetype.guess(data)
    if kind is None:
        return None
    return kind.mime if kind.mime in ALLOWED_TYPES else None


@transaction.atomic
def evidence_add(
    *, submission: Submission, name: str, data: bytes, by: Any, version: int | None = None
) -> Evidence:
    sub = submission_locked(submission, version)
    require_department_writer(by, sub.department_id)
    require_open_for_reporting(sub)
    if not sub.editable:
        raise MonitoringError.one(
            "evidence",
            _("A report that is %(status)s cannot take new evidence.")
            % {"status": sub.get_status_display()},
            code="conflict",
        )
    limit = settings.NENGJI_EVIDENCE_MAX_BYTES
    if len(data) > limit:
        raise MonitoringError.one(
            "evidence", _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
        )
    if not data:
        raise MonitoringError.one("evidence", _("The file is empty."))
    mime = sniff(data)
    if mime is None:
        raise MonitoringError.one(
            "evidence", _("The file content is not a PDF, an image or an Office document.")
        )
    stem = PurePath(name).stem[:80] or "evidence"
    safe = "".join(c for c in stem if c.isalnum() or c in "-_ （）()") or "evidence"
    ev = Evidence(
        submission=sub,
        original_name=PurePath(name).name[:255],
        content_type=mime,
        size=len(data),
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    ev.file.save(f"{safe}.{ALLOWED_TYPES[mime]}", ContentFile(data), save=False)
    ev.save()
    sub.version += 1
    sub.save(update_fields=["version"])
    audit_record(
        actor=by,
        action="create",
        obj=ev,
        label=f"evidence {ev.original_name} for {sub}",
        after={"name": ev.original_name, "type": mime, "size": ev.size, "submission": sub.pk},
    )
    return ev
