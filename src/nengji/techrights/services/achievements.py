"""Registering achievements with their initial owners, and their lifecycle events."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from nengji.core.audit import audit_record
from nengji.core.models import Organisation
from nengji.core.roles import OrgKind, Role, role_of
from nengji.techrights.errors import TechrightsError, refused
from nengji.techrights.models import (
    Achievement,
    AchievementEvent,
    AchievementKind,
    CertificateKind,
    EntryKind,
    RightEntry,
    Stage,
)
from nengji.techrights.services import validate as v
from nengji.techrights.services.certificates import certificate_issue

IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .\-/()（）]*$")
HOLDER_KINDS = (OrgKind.UNIVERSITY, OrgKind.ENTERPRISE, OrgKind.EXCHANGE, OrgKind.OTHER)
STAGE_ORDER = list(Stage.values)
MAX_OWNERS = 20
MAX_INVENTORS = 50


def can_manage(user: Any, institution: Organisation) -> bool:
    """The institution's technology-transfer office, an exchange or the plan office."""
    role = role_of(user)
    if role in (Role.EXCHANGE, Role.OFFICE):
        return True
    return role == Role.UNIVERSITY and getattr(user, "organisation_id", None) == institution.pk


def _owners(owners: Sequence[tuple[Organisation, Any]]) -> list[tuple[Organisation, Decimal]]:
    if not owners:
        raise TechrightsError.one("owners", _("Name at least one owner."))
    if len(owners) > MAX_OWNERS:
        raise TechrightsError.one("owners", _("At most %(n)s owners.") % {"n": MAX_OWNERS})
    out: list[tuple[Organisation, Decimal]] = []
    seen: set[int] = set()
    for i, (org, share) in enumerate(owners):
        if org.kind not in HOLDER_KINDS:
            raise TechrightsError.one(f"owners.{i}", _("This organisation cannot hold rights."))
        if org.pk in seen:
            raise TechrightsError.one(f"owners.{i}", _("An owner is named twice."))
        seen.add(org.pk)
        out.append((org, v.percent(share, field=f"owners.{i}.share")))
    total = sum((s for _o, s in out), Decimal(0))
    if total != 100:
        raise TechrightsError.one(
            "owners", _("The owners' shares add up to %(t)s %%, not 100 %%.") % {"t": total}
        )
    return out


@transaction.atomic
def achievement_register(
    *,
    institution: Organisation,
    kind: str,
    title: str,
    identifier: str = "",
    is_service_invention: bool,
    inventors: Sequence[str],
    owners: Sequence[tuple[Organisation, Any]],
    registered_on: Any,
    by: Any,
    is_demo: bool = False,
) -> Achievement:
    """Register an achievement, its owners' shares (summing to 100 %) as the first entries of
    the rights register, its disclosure, and issue its registration certificate.

    The same (type, identifier) cannot be registered twice, even by two requests at once
    (a unique constraint decides the race).
    """
    if not can_manage(by, institution):
        raise refused(_("Only the institution's technology-transfer office may register this."))
    if institution.kind not in HOLDER_KINDS:
        raise TechrightsError.one("institution", _("Choose a university, institute or enterprise."))
    kind = v.choice(kind, field="kind", choices=AchievementKind)
    title = v.text(title, field="title", max_length=300)
    identifier = v.text(
        identifier, field="identifier", max_length=64, required=kind != AchievementKind.TRADE_SECRET
    )
    if identifier and not IDENTIFIER.match(identifier):
        raise TechrightsError.one("identifier", _("Letters, digits, spaces and . - / ( ) only."))
    names = [v.text(n, field=f"inventors.{i}", max_length=100) for i, n in enumerate(inventors)]
    if len(names) > MAX_INVENTORS:
        raise TechrightsError.one("inventors", _("At most %(n)s inventors.") % {"n": MAX_INVENTORS})
    if is_service_invention and not names:
        raise TechrightsError.one("inventors", _("A service invention names its inventors."))
    on = v.date(registered_on, field="registered_on")
    shares = _owners(owners)
    if identifier and Achievement.objects.filter(kind=kind, identifier=identifier).exists():
        raise TechrightsError.one(
            "identifier", _("This achievement is already registered."), code="conflict"
        )
    try:
        with transaction.atomic():
            achievement = Achievement.objects.create(
                institution=institution,
                kind=kind,
                title=title,
                identifier=identifier,
                is_service_invention=bool(is_service_invention),
                inventors=names,
                registered_on=on,
                recorded_by=by if getattr(by, "is_authenticated", False) else None,
                is_demo=is_demo,
            )
    except IntegrityError:
        raise TechrightsError.one(
            "identifier", _("This achievement is already registered."), code="conflict"
        ) from None
    for seq, (org, share) in enumerate(shares, start=1):
        RightEntry.objects.create(
            achievement=achievement,
            seq=seq,
            kind=EntryKind.OWNERSHIP,
            effective_on=on,
            holder=org,
            share=share,
            is_demo=is_demo,
        )
    AchievementEvent.objects.create(
        achievement=achievement, stage=Stage.DISCLOSURE, on=on, is_demo=is_demo
    )
    certificate_issue(
        kind=CertificateKind.ACHIEVEMENT,
        subject=achievement_subject(achievement),
        parties=[(institution, "institution")] + [(o, "owner") for o, _s in shares],
        dates={"registered_on": on.isoformat()},
        amounts={f"share:{o.code}": format(s, "f") for o, s in shares},
        is_demo=is_demo,
        links={"achievement": achievement},
        by=by,
    )
    audit_record(
        actor=by,
        action="achievement.register",
        obj=achievement,
        organisation=institution,
        after={"kind": kind, "identifier": identifier, "owners": {o.code: s for o, s in shares}},
    )
    return achievement


def achievement_subject(a: Achievement) -> dict[str, Any]:
    return {
        "achievement": {
            "type": a.kind,
            "title": a.title,
            "identifier": a.identifier,
            "service_invention": a.is_service_invention,
            "inventors": list(a.inventors),
        }
    }


@transaction.atomic
def event_add(
    *,
    achievement: Achievement,
    stage: str,
    on: Any,
    note: str = "",
    by: Any,
    data: dict[str, Any] | None = None,
) -> AchievementEvent:
    """Append a lifecycle step; steps never go back in time."""
    if not can_manage(by, achievement.institution):
        raise refused(_("Only the institution's technology-transfer office may do this."))
    stage = v.choice(stage, field="stage", choices=Stage)
    day = v.date(on, field="on")
    note = v.text(note, field="note", max_length=500, required=False)
    Achievement.objects.select_for_update().filter(pk=achievement.pk).first()
    last = achievement.events.order_by("-on", "-id").first()
    if last is not None and day < last.on:
        raise TechrightsError.one(
            "on", _("The lifecycle goes forward: the last step was on %(d)s.") % {"d": last.on}
        )
    event = AchievementEvent.objects.create(
        achievement=achievement,
        stage=stage,
        on=day,
        note=note,
        data=data or {},
        is_demo=achievement.is_demo,
    )
    audit_record(actor=by, action="achievement.event", obj=achievement, after={"stage": stage})
    return event


def income_distribute(
    *,
    achievement: Achievement,
    income: Any,
    inventors_percent: Any,
    rule: str,
    on: Any,
    by: Any,
) -> AchievementEvent:
    """Record the income distributed to the inventors by the institution's rule (its percentage
    and the rule's name are data on the event), split equally unless the rule says otherwise."""
    amount = v.amount(income, field="income")
    pct = v.percent(inventors_percent, field="inventors_percent")
    rule = v.text(rule, field="rule", max_length=200)
    inventors = list(achievement.inventors) or [""]
    pool = (amount * pct / 100).quantize(Decimal("0.01"))
    each = (pool / len(inventors)).quantize(Decimal("0.01"))
    shares = {name: format(each, "f") for name in inventors}
    # the cent left by rounding goes to the first inventor, so the parts add up to the pool
    if inventors and inventors[0]:
        shares[inventors[0]] = format(each + pool - each * len(inventors), "f")
    return event_add(
        achievement=achievement,
        stage=Stage.DISTRIBUTION,
        on=on,
        note=rule,
        by=by,
        data={
            "income": format(amount, "f"),
            "inventors_percent": format(pct, "f"),
            "inventors_pool": format(pool, "f"),
            "per_inventor": shares,
        },
    )
