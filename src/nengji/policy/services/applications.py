"""Applications for policy items: an enterprise applies, attaches evidence, the office decides,
the payment is recorded (once per enterprise, item and period: the database refuses a second);
and 免申即享: the office approves in bulk the enterprises the registry alone shows eligible."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record, snapshot
from nengji.core.errors import not_found
from nengji.core.events import emit
from nengji.core.numbers import bounded_decimal
from nengji.core.roles import Role, has_role, require_member, require_office
from nengji.policy.errors import PolicyError
from nengji.policy.events import AwardPaid
from nengji.policy.matching import match_enterprise, match_item, match_items
from nengji.policy.models import Application, ApplicationEvidence, Notice, Payment, PolicyItem
from nengji.policy.states import APPLICATION, transition
from nengji.registry.models import Enterprise

FIELDS = ("status", "requested", "awarded", "decision_reason", "note")
MAX_TEXT = 4000
EVIDENCE_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


def _text(value: str, field: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise PolicyError.one(field, _("Give a reason."))
    if len(value) > MAX_TEXT:
        raise PolicyError.one(field, _("At most %(n)s characters.") % {"n": MAX_TEXT})
    return value


def _money(raw: Any, field: str, item: PolicyItem) -> Any:
    value = bounded_decimal(raw, field=field, places=2, minimum=bounded_decimal(0, field=field))
    if item.max_amount is not None and value > item.max_amount:
        raise PolicyError.one(
            field,
            _("Above the item's maximum of %(max)s yuan.") % {"max": item.max_amount},
        )
    return value


def _period(raw: Any) -> str:
    period = str(raw or "").strip()
    if not period or len(period) > 20 or not all(c.isalnum() or c in "-Q" for c in period):
        raise PolicyError.one("period", _("Give the period, e.g. 2025."))
    return period


def _in_window(item: PolicyItem, today: dt.date) -> None:
    if item.status != PolicyItem.Status.PUBLISHED:
        raise PolicyError.one("item", _("This item is not open to applications."))
    if item.auto_grant:
        raise PolicyError.one(
            "item", _("This item is granted without application; the office grants it.")
        )
    if (item.opens and today < item.opens) or (item.closes and today > item.closes):
        raise PolicyError.one(
            "item",
            _("Applications are accepted from %(opens)s to %(closes)s.")
            % {"opens": item.opens or "—", "closes": item.closes or "—"},
        )


def _locked(application: Application, version: int | None) -> Application:
    app = (
        Application.objects.select_for_update()
        .select_related("item", "enterprise")
        .filter(pk=application.pk)
        .first()
    )
    if app is None:
        raise not_found("application", _("No such application."))
    if version is not None and app.version != version:
        raise PolicyError.one(
            "version", _("Someone changed this application meanwhile; reload it."), code="conflict"
        )
    return app


def _verdict(app: Application) -> dict[str, Any]:
    [found] = match_enterprise(enterprise=app.enterprise, plan=app.item.plan, items=[app.item])
    return found.as_dict()


@transaction.atomic
def application_create(
    *,
    item: PolicyItem,
    enterprise: Enterprise,
    period: Any,
    by: Any,
    note: str = "",
    requested: Any = None,
    today: dt.date | None = None,
) -> Application:
    """A draft application of the enterprise (its own members only) within the item's window."""
    require_member(by, enterprise.organisation_id, Role.ENTERPRISE)
    _in_window(item, today or timezone.localdate())
    app = Application(
        item=item,
        enterprise=enterprise,
        period=_period(period),
        status=Application.Status.DRAFT,
        origin=Application.Origin.APPLIED,
        note=_text(note, "note"),
        requested=None if requested in (None, "") else _money(requested, "requested", item),
        created_by=by,
        created_at=timezone.now(),
        is_demo=enterprise.is_demo,
    )
    try:
        with transaction.atomic():
            app.save()
    except IntegrityError:
        raise PolicyError.one(
            "period",
            _("This enterprise already has an application for this item and period."),
            code="conflict",
        ) from None
    audit_record(
        actor=by,
        action="create",
        obj=app,
        organisation=enterprise.organisation,
        after=snapshot(app, FIELDS),
    )
    return app


@transaction.atomic
def evidence_attach(
    *, application: Application, name: str, data: bytes, by: Any, version: int | None = None
) -> ApplicationEvidence:
    """Attach a file (size-limited, type judged by its content) to a draft or returned one."""
    app = _locked(application, version)
    require_member(by, app.enterprise.organisation_id, Role.ENTERPRISE)
    if app.status not in (Application.Status.DRAFT, Application.Status.RETURNED):
        raise PolicyError.one(
            "evidence", _("Only a draft or returned application takes evidence."), code="conflict"
        )
    limit = settings.NENGJI_EVIDENCE_MAX_BYTES
    if not data or len(data) > limit:
        raise PolicyError.one(
            "evidence", _("The file is empty or larger than %(mb)s MB.") % {"mb": limit // 2**20}
        )
    kind = filetype.guess(data)
    if kind is None or kind.mime not in EVIDENCE_TYPES:
        raise PolicyError.one("evidence", _("The file is not a PDF, an image or an Office file."))
    stem = "".join(c for c in PurePath(name).stem[:60] if c.isalnum() or c in "-_") or "evidence"
    ev = ApplicationEvidence(
        application=app,
        original_name=PurePath(name).name[:255],
        content_type=kind.mime,
        size=len(data),
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    ev.file.save(f"{stem}.{EVIDENCE_TYPES[kind.mime]}", ContentFile(data), save=False)
    ev.save()
    app.version += 1
    app.save(update_fields=["version"])
    audit_record(actor=by, action="attach", obj=ev, after={"application": app.pk, "size": ev.size})
    return ev


@transaction.atomic
def application_submit(
    *, application: Application, by: Any, version: int | None = None, today: dt.date | None = None
) -> Application:
    """Submit (or resubmit) within the window; the eligibility at this moment is kept with it."""
    app = _locked(application, version)
    require_member(by, app.enterprise.organisation_id, Role.ENTERPRISE)
    before = snapshot(app, FIELDS)
    app.status = transition(APPLICATION, "submit", app.status)
    _in_window(app.item, today or timezone.localdate())
    app.verdict = _verdict(app)
    app.submitted_at = timezone.now()
    app.version += 1
    app.save()
    audit_record(actor=by, action="submit", obj=app, before=before, after=snapshot(app, FIELDS))
    return app


@transaction.atomic
def application_decide(
    *,
    application: Application,
    action: str,
    by: Any,
    reason: str = "",
    awarded: Any = None,
    version: int | None = None,
) -> Application:
    """The office approves (with the award), returns or rejects (with a reason)."""
    require_office(by)
    app = _locked(application, version)
    before = snapshot(app, FIELDS)
    if action not in ("approve", "return", "reject"):
        raise PolicyError.one("action", _("Choose approve, return or reject."))
    app.status = transition(APPLICATION, action, app.status)
    app.decision_reason = _text(reason, "reason", required=action != "approve")
    if action == "approve":
        if awarded in (None, ""):
            raise PolicyError.one("awarded", _("Give the amount awarded."))
        app.awarded = _money(awarded, "awarded", app.item)
    app.decided_at = timezone.now()
    app.version += 1
    app.save()
    audit_record(actor=by, action=action, obj=app, before=before, after=snapshot(app, FIELDS))
    return app


@transaction.atomic
def application_withdraw(*, application: Application, by: Any) -> Application:
    app = _locked(application, None)
    require_member(by, app.enterprise.organisation_id, Role.ENTERPRISE)
    before = snapshot(app, FIELDS)
    app.status = transition(APPLICATION, "withdraw", app.status)
    app.version += 1
    app.save()
    audit_record(actor=by, action="withdraw", obj=app, before=before, after=snapshot(app, FIELDS))
    return app


@transaction.atomic
def payment_record(
    *, application: Application, paid_on: dt.date, reference: str, by: Any
) -> Payment:
    """Record the payment of an approved award: once, whatever else happens at the same time."""
    require_office(by)
    app = _locked(application, None)
    reference = _text(reference, "reference", required=True)[:100]
    app.status = transition(APPLICATION, "pay", app.status)
    if app.awarded is None:
        raise PolicyError.one("awarded", _("The award has no amount."))
    payment = Payment(
        application=app,
        item=app.item,
        enterprise=app.enterprise,
        period=app.period,
        amount=app.awarded,
        paid_on=paid_on,
        reference=reference,
        recorded_by=by,
        recorded_at=timezone.now(),
        is_demo=app.is_demo,
    )
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError:
        raise PolicyError.one(
            "application",
            _("This enterprise has already been paid for this item and period."),
            code="conflict",
        ) from None
    app.version += 1
    app.save(update_fields=["status", "version"])
    audit_record(
        actor=by,
        action="pay",
        obj=payment,
        organisation=app.enterprise.organisation,
        after={"amount": payment.amount, "reference": reference, "application": app.pk},
    )
    emit(AwardPaid(actor_id=by.pk, payment_id=payment.pk))
    return payment


# ---------------------------------------------------------------------------------------
# 免申即享 and the push list


def auto_grant_candidates(*, item: PolicyItem) -> list[Any]:
    """Enterprises the registry alone shows eligible for an item granted without application."""
    if not item.auto_grant:
        raise PolicyError.one("item", _("This item is not granted without application."))
    return match_item(item=item)["eligible"]


@transaction.atomic
def auto_grant_approve(
    *, item: PolicyItem, period: Any, enterprise_ids: list[int], by: Any
) -> list[Application]:
    """Approve the list: each enterprise still eligible gets an approved award at its estimated
    amount and a notice (they are informed, not asked to apply). Enterprises already holding a
    live application for the period are left as they are; an id not eligible is refused."""
    require_office(by)
    period = _period(period)
    if len(enterprise_ids) > 20000:
        raise PolicyError.one("enterprise_ids", _("Too many enterprises at once."))
    eligible = {c.enterprise.pk: c for c in auto_grant_candidates(item=item)}
    wrong = sorted(set(enterprise_ids) - set(eligible))
    if wrong:
        raise PolicyError.one(
            "enterprise_ids",
            _("Not eligible from the registry's data: %(ids)s") % {"ids": wrong[:10]},
        )
    live = set(
        Application.objects.filter(item=item, period=period)
        .exclude(status__in=["rejected", "withdrawn"])
        .values_list("enterprise_id", flat=True)
    )
    now = timezone.now()
    granted = []
    for eid in sorted(set(enterprise_ids) - live):
        cand = eligible[eid]
        [match] = match_enterprise(enterprise=cand.enterprise, plan=item.plan, items=[item])
        app = Application.objects.create(
            item=item,
            enterprise=cand.enterprise,
            period=period,
            status=Application.Status.APPROVED,
            origin=Application.Origin.AUTO,
            awarded=cand.amount,
            verdict=match.as_dict(),
            created_by=by,
            created_at=now,
            submitted_at=now,
            decided_at=now,
            is_demo=cand.enterprise.is_demo,
        )
        Notice.objects.get_or_create(
            item=item,
            enterprise=cand.enterprise,
            reason=Notice.Reason.GRANTED,
            defaults={"trigger": f"auto_grant:{period}", "created_at": now},
        )
        audit_record(actor=by, action="auto_grant", obj=app, after=snapshot(app, FIELDS))
        granted.append(app)
    return granted


@transaction.atomic
def notices_build(*, item: PolicyItem, trigger: str, by: Any = None) -> int:
    """The push list of an item: every enterprise eligible or one clause away is told once
    (status only; the notices written in one insert, those already told skipped)."""
    found = match_item(item=item)
    told = set(
        Notice.objects.filter(item=item, reason__in=["eligible", "near"]).values_list(
            "enterprise_id", "reason"
        )
    )
    now = timezone.now()
    new = [
        Notice(
            item=item,
            enterprise=cand.enterprise,
            reason=reason,
            trigger=trigger[:40],
            created_at=now,
        )
        for reason, rows in (
            (Notice.Reason.ELIGIBLE, found["eligible"]),
            (Notice.Reason.NEAR, found["near"]),
        )
        for cand in rows
        if (cand.enterprise.pk, str(reason)) not in told
    ]
    # a concurrent build may have told some meanwhile: the unique constraint keeps them once
    made = len(Notice.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True))
    if made:
        audit_record(actor=by, action="push", obj=item, after={"notices": made, "trigger": trigger})
    return made


@transaction.atomic
def notices_for_enterprises(*, enterprise_ids: Iterable[int], trigger: str) -> int:
    """The push list after enterprises' data changed: every published item each now qualifies
    for (eligible, unless it is granted without application) or is one clause from, in each
    plan of its district, told once. Facts are read for all of them at once and the items
    decided column-wise, so a registry import of 10,000 rows costs one pass, not 10,000."""
    from nengji.plan.models import Plan

    ids = sorted(set(enterprise_ids))
    now = timezone.now()
    made = 0
    for start in range(0, len(ids), 5000):
        chunk = list(Enterprise.objects.filter(pk__in=ids[start : start + 5000]))
        by_district: dict[int, list[Enterprise]] = {}
        for e in chunk:
            by_district.setdefault(e.district_id, []).append(e)
        for district_id, enterprises in by_district.items():
            for plan in Plan.objects.filter(district_id=district_id):
                new: list[Notice] = []
                for item, eligible, near in match_items(plan=plan, enterprises=enterprises):
                    for reason, rows in (
                        (Notice.Reason.ELIGIBLE, [] if item.auto_grant else eligible),
                        (Notice.Reason.NEAR, near),
                    ):
                        new += [
                            Notice(
                                item=item,
                                enterprise=e,
                                reason=reason,
                                trigger=trigger[:40],
                                created_at=now,
                            )
                            for e in rows
                        ]
                told = set(
                    Notice.objects.filter(
                        item__plan=plan, enterprise_id__in=[e.pk for e in enterprises]
                    ).values_list("item_id", "enterprise_id", "reason")
                )
                new = [n for n in new if (n.item_id, n.enterprise_id, str(n.reason)) not in told]
                # a concurrent build may have told some meanwhile: the constraint keeps them once
                Notice.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
                made += len(new)
    return made


def notices_for_enterprise(*, enterprise: Enterprise, trigger: str, by: Any = None) -> int:
    """The push list after one enterprise's data changed (see `notices_for_enterprises`)."""
    return notices_for_enterprises(enterprise_ids=[enterprise.pk], trigger=trigger)


class _PushBatch:
    """The enterprises whose registry data changed in one transaction, told once it commits
    (by event kind: ``FiguresRecorded``, ``DesignationChanged`` or both)."""

    def __init__(self) -> None:
        self.triggers: dict[int, set[str]] = {}
        self.done = False

    def __call__(self) -> None:
        self.done = True
        by_trigger: dict[str, list[int]] = {}
        for enterprise_id, kinds in self.triggers.items():
            by_trigger.setdefault("+".join(sorted(kinds)), []).append(enterprise_id)
        for trigger, ids in sorted(by_trigger.items()):
            notices_for_enterprises(enterprise_ids=ids, trigger=trigger)


def notices_on_registry_change(event: Any) -> None:
    """Registry events (figures recorded, designation changed) → the enterprises' push list,
    built once when the transaction commits: a registry import of 10,000 rows emits 10,000
    events and builds it once; a single change builds it when its save commits. The batch
    lives among the connection's on-commit callbacks, so a rolled-back transaction takes its
    batch with it."""
    connection = transaction.get_connection()
    batch = next(
        (
            f
            for _sids, f, *_rest in connection.run_on_commit
            if isinstance(f, _PushBatch) and not f.done
        ),
        None,
    )
    if batch is not None:
        batch.triggers.setdefault(event.enterprise_id, set()).add(type(event).__name__)
        return
    batch = _PushBatch()
    batch.triggers[event.enterprise_id] = {type(event).__name__}
    # robust: a failing push list is logged; it never undoes the committed registry change.
    # Outside a transaction Django runs the callback at once.
    transaction.on_commit(batch, robust=True)


def can_see_enterprise(user: Any, enterprise: Enterprise) -> bool:
    """The office and leaders see every enterprise; an enterprise user only its own."""
    if has_role(user, Role.OFFICE, Role.LEADER):
        return True
    return bool(
        has_role(user, Role.ENTERPRISE)
        and enterprise.organisation_id is not None
        and getattr(user, "organisation_id", None) == enterprise.organisation_id
    )
