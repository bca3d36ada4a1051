"""Designations: granted by the office (from the issuer's published list), ended by their
expiry or by a revocation. ``active`` → ``expired`` | ``revoked``; both final."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record, snapshot
from nengji.core.events import emit
from nengji.registry.errors import ErrorDetail, RegistryError
from nengji.registry.events import DesignationChanged
from nengji.registry.models import Designation, DesignationKind, Enterprise
from nengji.registry.services.access import require_office

#: validity in years when the issuer's list gives no expiry date: 高新技术企业 certificates are
#: valid three years (《高新技术企业认定管理办法》2016, art. 15); 创新型中小企业, 专精特新中小企业
#: and 专精特新“小巨人” three years (工信部企业〔2022〕63号); a 科技型中小企业 入库编号 is for
#: its year (国科发政〔2017〕115号: evaluated every year), ending on 31 December.
VALIDITY_YEARS: dict[str, int] = {
    DesignationKind.HIGH_TECH: 3,
    DesignationKind.INNOVATIVE_SME: 3,
    DesignationKind.SPECIALISED: 3,
    DesignationKind.LITTLE_GIANT: 3,
}
AUDIT_FIELDS = (
    "enterprise",
    "kind",
    "issuer",
    "number",
    "board",
    "granted_on",
    "expires_on",
    "evidence",
    "status",
    "ended_on",
    "end_reason",
)


def default_expiry(kind: str, granted_on: dt.date) -> dt.date | None:
    """The expiry a designation of `kind` granted on a day has, when none is stated."""
    if kind == DesignationKind.TECH_SME:
        return dt.date(granted_on.year, 12, 31)
    years = VALIDITY_YEARS.get(kind)
    if years is None:
        return None
    try:
        end = granted_on.replace(year=granted_on.year + years)
    except ValueError:  # 29 February
        end = granted_on.replace(year=granted_on.year + years, day=28)
    return end - dt.timedelta(days=1)


def _date(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise RegistryError.one(field, _("A date (YYYY-MM-DD).")) from None


def _short(value: Any, field: str, n: int) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > n or "\x00" in text:
        raise RegistryError.one(field, _("At most %(n)d characters.") % {"n": n})
    return text


@transaction.atomic
def designation_grant(
    *,
    enterprise: Enterprise,
    kind: str,
    granted_on: Any,
    by: Any,
    issuer: str = "",
    number: str = "",
    expires_on: Any = None,
    board: str = "",
    evidence: str = "",
    is_demo: bool = False,
) -> Designation:
    """Record a designation. The same kind and number for the same enterprise again returns
    the existing row (an import run twice adds nothing); the number on another enterprise is
    a conflict. Without an expiry, the kind's validity applies (`VALIDITY_YEARS`)."""
    require_office(by)
    errors: list[ErrorDetail] = []
    if kind not in DesignationKind.values:
        errors.append(ErrorDetail(field="kind", message=_("Unknown designation kind.")))
    granted = expires = None
    try:
        granted = _date(granted_on, "granted_on")
        if granted is None:
            raise RegistryError.one("granted_on", _("Required."))
        if granted > timezone.localdate():
            raise RegistryError.one("granted_on", _("Cannot be in the future."))
        if granted.year < 1980:
            raise RegistryError.one("granted_on", _("Must be 1980 or later."))
    except RegistryError as exc:
        errors += exc.detail
    try:
        expires = _date(expires_on, "expires_on")
    except RegistryError as exc:
        errors += exc.detail
    texts: dict[str, str] = {}
    for name, value, n in (
        ("issuer", issuer, 200),
        ("number", number, 64),
        ("board", board, 32),
        ("evidence", evidence, 500),
    ):
        try:
            texts[name] = _short(value, name, n)
        except RegistryError as exc:
            errors += exc.detail
    if errors:
        raise RegistryError(errors)
    assert granted is not None
    if expires is None:
        expires = default_expiry(kind, granted)
    if expires is not None and expires < granted:
        raise RegistryError.one("expires_on", _("It cannot expire before it was granted."))
    if texts["number"]:
        existing = (
            Designation.objects.select_for_update()
            .filter(kind=kind, number=texts["number"])
            .first()
        )
        if existing is not None:
            if existing.enterprise_id == enterprise.pk:
                return existing
            raise RegistryError.one(
                "number",
                _("This number is already recorded for another enterprise."),
                code="conflict",
            )
    else:
        same = Designation.objects.filter(
            enterprise=enterprise, kind=kind, granted_on=granted, number=""
        ).first()
        if same is not None:
            return same
    status = Designation.Status.ACTIVE
    ended_on = None
    if expires is not None and expires < timezone.localdate():
        # a past certificate, recorded for the history: it is already expired
        status, ended_on = Designation.Status.EXPIRED, expires + dt.timedelta(days=1)
    try:
        with transaction.atomic():  # a savepoint: a concurrent grant of the number wins
            d = Designation.objects.create(
                enterprise=enterprise,
                kind=kind,
                granted_on=granted,
                expires_on=expires,
                status=status,
                ended_on=ended_on,
                is_demo=is_demo,
                **texts,
            )
    except IntegrityError:
        raise RegistryError.one(
            "number",
            _("This number is already recorded for another enterprise."),
            code="conflict",
        ) from None
    audit_record(actor=by, action="grant", obj=d, after=snapshot(d, AUDIT_FIELDS))
    _emit(d, by)
    return d


@transaction.atomic
def designation_revoke(*, designation: Designation, on: Any, reason: str, by: Any) -> Designation:
    """Withdraw an active designation from a day (the issuer's decision), with the reason."""
    require_office(by)
    d = Designation.objects.select_for_update().get(pk=designation.pk)
    if d.status != Designation.Status.ACTIVE:
        raise RegistryError.one(
            "status",
            _("This designation is already %(s)s.") % {"s": d.get_status_display()},
            code="conflict",
        )
    day = _date(on, "on") or timezone.localdate()
    if day < d.granted_on:
        raise RegistryError.one("on", _("It cannot end before it was granted."))
    if day > timezone.localdate():
        raise RegistryError.one("on", _("Cannot be in the future."))
    text = _short(reason, "reason", 500)
    if not text:
        raise RegistryError.one("reason", _("Say why it was revoked."))
    before = snapshot(d, AUDIT_FIELDS)
    d.status, d.ended_on, d.end_reason = Designation.Status.REVOKED, day, text
    d.save(update_fields=["status", "ended_on", "end_reason"])
    audit_record(actor=by, action="revoke", obj=d, before=before, after=snapshot(d, AUDIT_FIELDS))
    _emit(d, by)
    return d


@transaction.atomic
def designation_expire_due(*, today: dt.date | None = None, by: Any = None) -> int:
    """Mark every active designation past its expiry as expired (a daily job; running it twice
    changes nothing). Returns how many expired."""
    day = today or timezone.localdate()
    due = list(
        Designation.objects.select_for_update().filter(
            status=Designation.Status.ACTIVE, expires_on__lt=day
        )
    )
    for d in due:
        assert d.expires_on is not None
        d.status, d.ended_on = Designation.Status.EXPIRED, d.expires_on + dt.timedelta(days=1)
        d.save(update_fields=["status", "ended_on"])
        audit_record(
            actor=by, action="expire", obj=d, after={"status": d.status, "ended_on": d.ended_on}
        )
        _emit(d, by)
    return len(due)


def _emit(d: Designation, by: Any) -> None:
    emit(
        DesignationChanged(
            actor_id=by.pk if getattr(by, "is_authenticated", False) else None,
            designation_id=d.pk,
            enterprise_id=d.enterprise_id,
            kind=d.kind,
            status=d.status,
        )
    )
