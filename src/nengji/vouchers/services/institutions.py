"""Service institutions: application, credit check, 7-day public notice with objections,
admission, products, suspension and cancellation (a sanction for fraud)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record
from nengji.core.models import Organisation
from nengji.core.roles import OrgKind
from nengji.registry.uscc import uscc_normalise, uscc_problem
from nengji.vouchers.errors import VoucherError
from nengji.vouchers.models import Category, Institution, Objection, Order, Product
from nengji.vouchers.money import fen
from nengji.vouchers.permissions import require_institution_member, require_region_staff
from nengji.vouchers.services.common import locked, take, text, today_or
from nengji.vouchers.services.ledger import release

NOTICE_DAYS = 7


def _categories(raw: Sequence[str]) -> list[str]:
    values = sorted({str(v) for v in raw})
    if not values or any(v not in Category.values for v in values):
        raise VoucherError.one(
            "categories", _("Choose from: %(c)s.") % {"c": ", ".join(Category.values)}
        )
    return values


@transaction.atomic
def institution_apply(
    *,
    organisation: Organisation,
    region: Organisation,
    uscc: str,
    name: str,
    legal_rep: str,
    address: str,
    phone: str,
    categories: Sequence[str],
    self_evaluation: str,
    documents: str = "",
    by: Any,
    is_demo: bool = False,
) -> Institution:
    """An institution applies to its home region's voucher office."""
    if organisation.kind != OrgKind.PROVIDER:
        raise VoucherError.one("organisation", _("Only a service institution may apply."))
    if getattr(by, "is_authenticated", False):
        require_institution_member(by, Institution(organisation=organisation))
    if region.kind != OrgKind.REGION:
        raise VoucherError.one("region", _("Choose a region."))
    code = uscc_normalise(text(uscc, field="uscc", max_length=30))
    if uscc_problem(code) is not None:
        raise VoucherError.one("uscc", _("This is not a valid unified social credit code."))
    if Institution.objects.filter(uscc=code).exists():
        raise VoucherError.one("uscc", _("This institution has applied already."), code="conflict")
    inst = Institution.objects.create(
        organisation=organisation,
        region=region,
        uscc=code,
        name=text(name, field="name", max_length=200),
        legal_rep=text(legal_rep, field="legal_rep", max_length=50),
        address=text(address, field="address", max_length=200),
        phone=text(phone, field="phone", max_length=30),
        categories=_categories(categories),
        self_evaluation=text(self_evaluation, field="self_evaluation", max_length=4000),
        documents=text(documents, field="documents", max_length=2000, required=False),
        is_demo=is_demo,
    )
    audit_record(
        actor=by,
        action="apply",
        obj=inst,
        organisation=region,
        after={"uscc": code, "categories": inst.categories},
    )
    return inst


@transaction.atomic
def institution_credit_check(
    *, institution: Institution, passed: bool, note: str, by: Any
) -> Institution:
    require_region_staff(by, institution.region_id)
    inst = locked(institution)
    inst.credit_ok = bool(passed)
    inst.credit_note = text(note, field="credit_note", max_length=300, required=False)
    inst.save(update_fields=["credit_ok", "credit_note"])
    audit_record(
        actor=by,
        action="credit_check",
        obj=inst,
        organisation=inst.region,
        after={"passed": inst.credit_ok, "note": inst.credit_note},
    )
    return inst


@transaction.atomic
def institution_notice_start(
    *, institution: Institution, by: Any, today: dt.date | None = None
) -> Institution:
    """Publish the application for public notice (7 days), after a passed credit check."""
    require_region_staff(by, institution.region_id)
    inst = locked(institution)
    if inst.credit_ok is not True:
        raise VoucherError.one("credit_ok", _("The credit check must pass first."))
    take(inst, "start_notice")
    inst.notice_until = today_or(today) + dt.timedelta(days=NOTICE_DAYS)
    inst.save(update_fields=["state", "notice_until"])
    audit_record(
        actor=by,
        action="notice",
        obj=inst,
        organisation=inst.region,
        after={"notice_until": inst.notice_until},
    )
    return inst


@transaction.atomic
def objection_record(*, institution: Institution, text_: str, by: Any = None) -> Objection:
    """Anyone may object while the notice runs; the objection is recorded for the review."""
    inst = locked(institution)
    if inst.state != Institution.State.NOTICE:
        raise VoucherError.one("institution", _("This institution is not in public notice."))
    obj = Objection.objects.create(
        institution=inst, text=text(text_, field="text", max_length=2000), at=timezone.now()
    )
    audit_record(actor=by, action="object", obj=obj, organisation=inst.region)
    return obj


@transaction.atomic
def institution_admit(
    *, institution: Institution, by: Any, today: dt.date | None = None
) -> Institution:
    """Admit after the notice has run its full term (objections are read by the reviewer)."""
    require_region_staff(by, institution.region_id)
    inst = locked(institution)
    if (
        inst.state == Institution.State.NOTICE
        and inst.notice_until
        and today_or(today) <= inst.notice_until
    ):
        raise VoucherError.one(
            "notice_until",
            _("The public notice runs until %(d)s.") % {"d": inst.notice_until.isoformat()},
        )
    before = take(inst, "admit")
    inst.save(update_fields=["state"])
    audit_record(
        actor=by,
        action="admit",
        obj=inst,
        organisation=inst.region,
        before={"state": before},
        after={"state": inst.state},
    )
    return inst


@transaction.atomic
def institution_decide(
    *, institution: Institution, action: str, reason: str, by: Any
) -> Institution:
    """Reject an application, suspend, reinstate, or cancel the qualification (a sanction:
    its open orders are cancelled and their reservations released)."""
    require_region_staff(by, institution.region_id)
    if action not in ("reject", "suspend", "reinstate", "cancel"):
        raise VoucherError.one("action", _("Unknown action."))
    inst = locked(institution)
    why = text(reason, field="reason", max_length=300)
    before = take(inst, action)
    inst.state_reason = why
    inst.save(update_fields=["state", "state_reason"])
    if action == "cancel":
        for order in (
            Order.objects.select_for_update()
            .select_related("quota")
            .filter(institution=inst, state__in=(Order.State.PLACED, Order.State.ACCEPTED))
        ):
            take(order, "cancel")
            order.save(update_fields=["state"])
            release(quota=order.quota, amount_fen=order.voucher_fen, order=order)
    audit_record(
        actor=by,
        action=action,
        obj=inst,
        organisation=inst.region,
        before={"state": before},
        after={"state": inst.state, "reason": why},
    )
    return inst


@transaction.atomic
def product_publish(
    *,
    institution: Institution,
    category: str,
    name: str,
    price_fen: Any,
    by: Any,
    is_demo: bool = False,
) -> Product:
    require_institution_member(by, institution)
    if category not in institution.categories:
        raise VoucherError.one("category", _("The institution is not admitted for this category."))
    product = Product.objects.create(
        institution=institution,
        category=category,
        name=text(name, field="name", max_length=200),
        price_fen=fen(price_fen, field="price_fen"),
        is_demo=is_demo,
    )
    audit_record(
        actor=by,
        action="publish",
        obj=product,
        organisation=institution.organisation,
        after={"price_fen": product.price_fen, "category": category},
    )
    return product
