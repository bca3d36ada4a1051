"""Orders: placed by an enterprise against its granted quota with an admitted institution of
its own region or of a partner region; the voucher part is reserved on the ledger at once.

Two orders at once against one quota are serialised by a lock on the quota row, and each
checks the balance derived from the ledger after the other's reservation: together they never
exceed the quota. The same order sent twice with one idempotency key is placed once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record
from nengji.core.errors import DomainError
from nengji.vouchers.errors import VoucherError
from nengji.vouchers.models import Institution, LedgerEntry, Order, Partner, Product, Quota
from nengji.vouchers.money import fen, floor_share, yuan
from nengji.vouchers.permissions import (
    require_enterprise_member,
    require_institution_member,
)
from nengji.vouchers.selectors import quota_balance
from nengji.vouchers.services.common import locked, take, text, today_or
from nengji.vouchers.services.ledger import release

ORDER_FIELDS = ("state", "contract_fen", "voucher_fen", "category")


def _key(raw: str | None) -> str | None:
    if raw is None or raw == "":
        return None
    key = str(raw).strip()
    if not 8 <= len(key) <= 64 or not key.isprintable():
        raise VoucherError.one("idempotency_key", _("An idempotency key has 8 to 64 characters."))
    return key


@transaction.atomic
def order_place(
    *,
    quota: Quota,
    institution: Institution,
    category: str,
    contract_fen: Any,
    voucher_fen: Any,
    starts_on: dt.date,
    ends_on: dt.date,
    product: Product | None = None,
    idempotency_key: str | None = None,
    by: Any,
    today: dt.date | None = None,
    is_demo: bool = False,
) -> Order:
    """Place an order and reserve its voucher part."""
    require_enterprise_member(by, quota)
    key = _key(idempotency_key)
    q = Quota.objects.select_for_update().select_related("programme").get(pk=quota.pk)
    if key is not None:
        seen = Order.objects.filter(quota=q, idempotency_key=key).first()
        if seen is not None:
            return seen  # the same request again (a double click, a retry): placed once
    day = today_or(today)
    programme = q.programme
    institution = Institution.objects.get(pk=institution.pk)  # its state now, not when read
    if q.state != Quota.State.GRANTED:
        raise VoucherError.one("quota", _("Only a granted quota can pay for orders."))
    if not programme.valid_from <= day <= programme.valid_until:
        raise VoucherError.one(
            "quota",
            _("The programme “%(p)s” has expired or has not started.") % {"p": programme.name},
        )
    if institution.state != Institution.State.ADMITTED:
        raise VoucherError.one(
            "institution", _("This institution is not admitted (or is suspended).")
        )
    if (
        institution.region_id != programme.region_id
        and not Partner.objects.filter(
            programme=programme, region_id=institution.region_id
        ).exists()
    ):
        raise VoucherError.one(
            "institution",
            _("This programme's vouchers cannot be used in the institution's region."),
        )
    if category not in programme.categories:
        raise VoucherError.one("category", _("The programme does not cover this service category."))
    if category not in institution.categories:
        raise VoucherError.one("category", _("The institution is not admitted for this category."))
    if product is not None and (
        product.institution_id != institution.pk
        or not product.active
        or product.category != category
    ):
        raise VoucherError.one(
            "product", _("Choose an offered product of this institution and category.")
        )
    contract = fen(contract_fen, field="contract_fen")
    voucher = fen(voucher_fen, field="voucher_fen")
    limit = floor_share(contract, programme.coverage)
    if voucher > limit:
        raise VoucherError.one(
            "voucher_fen",
            _("A voucher pays at most %(r)s of the contract: %(max)s 元.")
            % {"r": f"{programme.coverage:.0%}", "max": yuan(limit)},
        )
    if ends_on < starts_on:
        raise VoucherError.one("ends_on", _("The service must end after it starts."))
    available = quota_balance(quota=q).available
    if voucher > available:
        raise VoucherError.one(
            "voucher_fen",
            _("Above the quota's remaining balance of %(left)s 元.") % {"left": yuan(available)},
        )
    order = Order.objects.create(
        quota=q,
        institution=institution,
        product=product,
        category=category,
        contract_fen=contract,
        voucher_fen=voucher,
        starts_on=starts_on,
        ends_on=ends_on,
        placed_on=day,
        idempotency_key=key,
        is_demo=is_demo,
    )
    LedgerEntry.objects.create(
        quota=q,
        kind=LedgerEntry.Kind.RESERVE,
        amount_fen=voucher,
        order=order,
        at=timezone.now(),
        is_demo=is_demo,
    )
    audit_record(
        actor=by,
        action="place",
        obj=order,
        organisation=programme.region,
        after={
            "contract_fen": contract,
            "voucher_fen": voucher,
            "institution": institution.pk,
            "category": category,
        },
    )
    return order


def _step(order: Order, transition: str, by: Any, **fields: Any) -> Order:
    o = locked(order)
    before = take(o, transition)
    for name, value in fields.items():
        setattr(o, name, value)
    o.save(update_fields=["state", *fields])
    audit_record(
        actor=by,
        action=transition,
        obj=o,
        organisation=o.institution.organisation,
        before={"state": before},
        after={"state": o.state, **fields},
    )
    return o


@transaction.atomic
def order_accept(*, order: Order, by: Any) -> Order:
    require_institution_member(by, order.institution)
    return _step(order, "accept", by)


@transaction.atomic
def order_deliver(*, order: Order, evidence: str, by: Any) -> Order:
    """The institution reports the service delivered, with its evidence."""
    require_institution_member(by, order.institution)
    return _step(order, "deliver", by, evidence=text(evidence, field="evidence", max_length=2000))


@transaction.atomic
def order_confirm(*, order: Order, by: Any) -> Order:
    """The enterprise confirms it received the service."""
    require_enterprise_member(by, order.quota)
    return _step(order, "confirm", by)


@transaction.atomic
def order_cancel(*, order: Order, by: Any) -> Order:
    """Either party cancels before delivery; the reservation is released."""
    try:
        require_enterprise_member(by, order.quota)
    except DomainError:
        require_institution_member(by, order.institution)
    o = _step(order, "cancel", by)
    release(quota=Quota.objects.get(pk=o.quota_id), amount_fen=o.voucher_fen, order=o)
    return o
