"""Registering transactions (every mode) and the rights entries they cause; pledges and early
ends of licences and pledges.

Every write to an achievement's register first locks the achievement's row, then reads the
register, checks the new entry against the state it would change, and appends it with the
next sequence number. Two writers on one achievement therefore run one after the other (the
second sees the first's entry), and the unique (achievement, seq) constraint catches any
writer that did not lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record
from nengji.core.models import Organisation
from nengji.core.roles import Role, require_role
from nengji.techrights.errors import TechrightsError, not_found
from nengji.techrights.models import (
    Achievement,
    AchievementEvent,
    CertificateKind,
    EntryKind,
    Method,
    Mode,
    RightEntry,
    Stage,
    Transaction,
)
from nengji.techrights.services import validate as v
from nengji.techrights.services.achievements import HOLDER_KINDS, achievement_subject
from nengji.techrights.services.certificates import certificate_issue
from nengji.techrights.signing import canonical
from nengji.techrights.state import Row, fold, licence_conflicts

#: modes that move ownership, and modes that create a licence
MOVES_OWNERSHIP = (Mode.TRANSFER, Mode.INVESTMENT)
MAX_NOTICE_DAYS = 365


def _locked_rows(achievement: Achievement) -> list[Row]:
    """Lock the achievement (serialising writers to its register) and read its entries."""
    Achievement.objects.select_for_update().get(pk=achievement.pk)
    return [Row.of(e) for e in RightEntry.objects.filter(achievement=achievement).order_by("seq")]


def _append(achievement: Achievement, rows: list[Row], **fields: Any) -> RightEntry:
    last = rows[-1] if rows else None
    if last is not None and fields["effective_on"] < last.effective_on:
        raise TechrightsError.one(
            "effective_on",
            _("The register goes forward: its last entry takes effect on %(d)s.")
            % {"d": last.effective_on},
        )
    try:
        with transaction.atomic():
            return RightEntry.objects.create(
                achievement=achievement,
                seq=(last.seq if last else 0) + 1,
                is_demo=achievement.is_demo,
                **fields,
            )
    except IntegrityError:
        raise TechrightsError.one(
            "achievement",
            _("Another change to this register came first; try again."),
            code="conflict",
        ) from None


def _procedure(raw: dict[str, Any] | None, concluded_on: dt.date) -> dict[str, Any]:
    """The exchange's listed procedure (进场免责): public listing, notice period, price
    discovery. Either complete and in date order, or absent."""
    if not raw:
        return {}
    listed_on = v.date(raw.get("listed_on"), field="procedure.listed_on")
    try:
        notice_days = int(raw.get("notice_days", -1))
    except (TypeError, ValueError):
        notice_days = -1
    if not 1 <= notice_days <= MAX_NOTICE_DAYS:
        raise TechrightsError.one(
            "procedure.notice_days",
            _("The notice period is 1 to %(n)s days.") % {"n": MAX_NOTICE_DAYS},
        )
    notice_ends = listed_on + dt.timedelta(days=notice_days)
    if notice_ends > concluded_on:
        raise TechrightsError.one(
            "procedure.notice_days",
            _("The notice period ended on %(d)s, after the transaction was concluded.")
            % {"d": notice_ends},
        )
    venue = v.text(raw.get("venue"), field="procedure.venue", max_length=200)
    listing_no = v.text(raw.get("listing_no"), field="procedure.listing_no", max_length=64)
    return {
        "venue": venue,
        "listing_no": listing_no,
        "listed_on": listed_on.isoformat(),
        "notice_days": notice_days,
        "notice_ended_on": notice_ends.isoformat(),
    }


@transaction.atomic
def transaction_register(
    *,
    reference: str,
    achievement: Achievement,
    mode: str,
    method: str,
    seller: Organisation,
    buyer: Organisation,
    amount: Any,
    concluded_on: Any,
    by: Any,
    share: Any = None,
    exclusive: bool | None = None,
    field_of_use: str = "",
    territory: str = "",
    starts_on: Any = None,
    ends_on: Any = None,
    equity: Any = None,
    procedure: dict[str, Any] | None = None,
) -> tuple[Transaction, bool]:
    """Register a concluded transaction, its rights entry and its certificate.

    Returns ``(transaction, created)``. The exchange's ``reference`` makes the write
    idempotent: sending the same transaction again returns the first registration
    (``created`` False); the same reference with other content is refused.
    """
    require_role(by, Role.EXCHANGE, Role.OFFICE)
    registrar = getattr(by, "organisation", None)
    reference = v.text(reference, field="reference", max_length=64)
    mode = v.choice(mode, field="mode", choices=Mode)
    method = v.choice(method, field="method", choices=Method)
    money = v.amount(amount, field="amount", allow_zero=mode in (Mode.LICENCE,))
    day = v.date(concluded_on, field="concluded_on")
    if seller.pk == buyer.pk:
        raise TechrightsError.one("buyer", _("The buyer cannot be the seller."))
    if buyer.kind not in HOLDER_KINDS:
        raise TechrightsError.one("buyer", _("This organisation cannot hold rights."))
    if day < achievement.registered_on:
        raise TechrightsError.one(
            "concluded_on", _("The transaction predates the achievement's registration.")
        )
    terms: dict[str, Any] = {}
    if mode in MOVES_OWNERSHIP:
        terms["share"] = v.percent(share, field="share")
    if mode == Mode.INVESTMENT:
        terms["equity"] = v.percent(equity, field="equity")
    if mode == Mode.LICENCE:
        if exclusive is None:
            raise TechrightsError.one("exclusive", _("Say whether the licence is exclusive."))
        start = v.date(starts_on, field="starts_on", allow_future=True)
        end = v.date(ends_on, field="ends_on", allow_future=True)
        if end < start:
            raise TechrightsError.one("ends_on", _("The licence ends before it starts."))
        if start < day:
            raise TechrightsError.one("starts_on", _("The licence starts before the contract."))
        terms.update(
            exclusive=bool(exclusive),
            field_of_use=v.text(field_of_use, field="field_of_use", max_length=200, required=False),
            territory=v.text(territory, field="territory", max_length=200, required=False),
            starts_on=start,
            ends_on=end,
        )
    trail = _procedure(procedure, day)
    terms_text = {
        k: (format(x, "f") if isinstance(x, Decimal) else str(x)) for k, x in terms.items()
    }
    request: dict[str, Any] = {
        "reference": reference,
        "achievement": achievement.pk,
        "mode": mode,
        "method": method,
        "seller": seller.pk,
        "buyer": buyer.pk,
        "amount": format(money, "f"),
        "concluded_on": day.isoformat(),
        "terms": terms_text,
        "procedure": trail,
    }
    fingerprint = hashlib.sha256(canonical(request)).hexdigest()

    rows = _locked_rows(achievement)  # from here on, one writer per achievement
    existing = Transaction.objects.filter(reference=reference).first()
    if existing is not None:
        if existing.fingerprint == fingerprint:
            return existing, False
        raise TechrightsError.one(
            "reference",
            _("Another transaction is registered under this reference."),
            code="conflict",
        )
    state = fold(rows, day)
    owned = state.owners.get(seller.pk, Decimal(0))
    if mode in (*MOVES_OWNERSHIP, Mode.LICENCE) and not owned:
        raise TechrightsError.one(
            "seller", _("The seller holds no share in this achievement on %(d)s.") % {"d": day}
        )
    if "share" in terms and terms["share"] > owned:
        raise TechrightsError.one(
            "share",
            _("The seller holds %(h)s %%, less than the %(s)s %% transferred.")
            % {"h": owned, "s": terms["share"]},
        )
    if mode in MOVES_OWNERSHIP and any(p for p in state.pledges):
        raise TechrightsError.one(
            "achievement", _("The achievement is pledged; release the pledge first.")
        )
    if mode == Mode.LICENCE:
        probe = Row(id=0, seq=0, kind="licence", effective_on=day, holder_id=buyer.pk, **terms)
        clashes = licence_conflicts(probe, rows)
        if clashes:
            c = clashes[0]
            raise TechrightsError.one(
                "exclusive",
                _(
                    "It overlaps licence no. %(seq)s (%(start)s–%(end)s), and one of them is "
                    "exclusive."
                )
                % {"seq": c.seq, "start": c.starts_on, "end": c.ends_on},
                code="conflict",
            )
    try:
        with transaction.atomic():
            tx = Transaction.objects.create(
                reference=reference,
                fingerprint=fingerprint,
                achievement=achievement,
                mode=mode,
                method=method,
                seller=seller,
                buyer=buyer,
                amount=money,
                concluded_on=day,
                registrar=registrar,
                procedure=trail,
                recorded_by=by if getattr(by, "is_authenticated", False) else None,
                is_demo=achievement.is_demo,
            )
    except IntegrityError:
        raise TechrightsError.one(
            "reference",
            _("Another transaction is registered under this reference."),
            code="conflict",
        ) from None
    entry = None
    if mode in (Mode.TRANSFER, Mode.INVESTMENT, Mode.LICENCE):
        entry = _append(
            achievement,
            rows,
            kind={
                Mode.TRANSFER: EntryKind.TRANSFER,
                Mode.INVESTMENT: EntryKind.INVESTMENT,
                Mode.LICENCE: EntryKind.LICENCE,
            }[Mode(mode)],
            effective_on=day,
            holder=buyer,
            from_holder=seller,
            amount=money,
            transaction=tx,
            recorded_by=tx.recorded_by,
            **terms,
        )
    AchievementEvent.objects.create(
        achievement=achievement,
        stage=Stage.TRANSACTION,
        on=day,
        note=reference,
        transaction=tx,
        is_demo=achievement.is_demo,
    )
    certificate_issue(
        kind=CertificateKind.TRANSACTION,
        subject={
            **achievement_subject(achievement),
            "transaction": {
                "reference": reference,
                "mode": mode,
                "method": method,
                **terms_text,
            },
        },
        parties=[(seller, "seller"), (buyer, "buyer")]
        + ([(registrar, "registrar")] if registrar is not None else []),
        amounts={"amount_yuan": format(money, "f")},
        dates={"concluded_on": day.isoformat()},
        procedure=trail or None,
        is_demo=achievement.is_demo,
        links={"achievement": achievement, "transaction": tx, "entry": entry},
        by=by,
    )
    audit_record(actor=by, action="transaction.register", obj=tx, after=request)
    return tx, True


@transaction.atomic
def pledge_register(
    *,
    achievement: Achievement,
    pledgor: Organisation,
    pledgee: Organisation,
    amount: Any,
    starts_on: Any,
    ends_on: Any,
    by: Any,
) -> RightEntry:
    """Register a pledge of the pledgor's share (e.g. to a bank for an IP-backed loan)."""
    require_role(by, Role.EXCHANGE, Role.OFFICE)
    money = v.amount(amount, field="amount")
    start = v.date(starts_on, field="starts_on")
    end = v.date(ends_on, field="ends_on", allow_future=True)
    if end < start:
        raise TechrightsError.one("ends_on", _("The pledge ends before it starts."))
    rows = _locked_rows(achievement)
    if not fold(rows, start).owners.get(pledgor.pk):
        raise TechrightsError.one("pledgor", _("The pledgor holds no share in this achievement."))
    entry = _append(
        achievement,
        rows,
        kind=EntryKind.PLEDGE,
        effective_on=start,
        holder=pledgee,
        from_holder=pledgor,
        amount=money,
        starts_on=start,
        ends_on=end,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    certificate_issue(
        kind=CertificateKind.RIGHT,
        subject={**achievement_subject(achievement), "right": {"kind": "pledge", "seq": entry.seq}},
        parties=[(pledgor, "pledgor"), (pledgee, "pledgee")],
        amounts={"secured_yuan": format(money, "f")},
        dates={"starts_on": start.isoformat(), "ends_on": end.isoformat()},
        is_demo=achievement.is_demo,
        links={"achievement": achievement, "entry": entry},
        by=by,
    )
    audit_record(actor=by, action="right.pledge", obj=achievement, after={"seq": entry.seq})
    return entry


@transaction.atomic
def right_end(*, entry: RightEntry, on: Any, reason: str, by: Any) -> RightEntry:
    """End a licence or pledge early (from `on`), as a new entry referring to it."""
    require_role(by, Role.EXCHANGE, Role.OFFICE)
    if entry.kind not in (EntryKind.LICENCE, EntryKind.PLEDGE):
        raise TechrightsError.one("entry", _("Only a licence or a pledge can be ended."))
    day = v.date(on, field="on", allow_future=True)
    reason = v.text(reason, field="reason", max_length=200)
    rows = _locked_rows(entry.achievement)
    if any(r.kind == EntryKind.END and r.ends_entry_id == entry.pk for r in rows):
        raise TechrightsError.one("entry", _("This right has already ended."), code="conflict")
    if (entry.starts_on and day < entry.starts_on) or (entry.ends_on and day > entry.ends_on):
        raise TechrightsError.one("on", _("The end date lies outside the right's term."))
    ended = _append(
        entry.achievement,
        rows,
        kind=EntryKind.END,
        effective_on=day,
        holder_id=entry.holder_id,
        from_holder_id=entry.from_holder_id,
        ends_entry=entry,
        field_of_use=reason,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(actor=by, action="right.end", obj=entry.achievement, after={"seq": ended.seq})
    return ended


def achievement_for(*, pk: int) -> Achievement:
    found: Achievement | None = (
        Achievement.objects.select_related("institution").filter(pk=pk).first()
    )
    if found is None:
        raise not_found("achievement", _("No such achievement."))
    return found
