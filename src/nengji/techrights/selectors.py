"""Reads: the rights state of an achievement as of a date, lists per role, certificates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from nengji.core.models import Organisation
from nengji.core.roles import Role, role_of
from nengji.techrights import keys as keystore
from nengji.techrights.models import (
    Achievement,
    Certificate,
    ContractStatus,
    RightEntry,
    TechContract,
    Transaction,
)
from nengji.techrights.signing import Verdict, certificate_verify
from nengji.techrights.state import Row, State, fold


@dataclass(frozen=True)
class Holding:
    organisation: Organisation
    share: Decimal


@dataclass(frozen=True)
class RightsView:
    """A state with the organisations resolved, for pages and the API."""

    state: State
    owners: list[Holding]
    licences: list[tuple[Row, Organisation]]
    pledges: list[tuple[Row, Organisation]]


def rights_state(*, achievement_id: int, as_of: dt.date | None = None) -> State:
    """The owners, licences and pledges of one achievement in force on `as_of` (default today):
    one indexed query over its entries, then the fold."""
    day = as_of or timezone.localdate()
    rows = [
        Row(*values)
        for values in RightEntry.objects.filter(
            achievement_id=achievement_id, effective_on__lte=day
        )
        .order_by("seq")
        .values_list(*Row.__dataclass_fields__)
    ]
    return fold(rows, day)


def rights_view(*, achievement_id: int, as_of: dt.date | None = None) -> RightsView:
    state = rights_state(achievement_id=achievement_id, as_of=as_of)
    ids = (
        set(state.owners)
        | {r.holder_id for r in state.licences}
        | {r.holder_id for r in state.pledges}
    )
    orgs = Organisation.objects.in_bulk(ids)
    return RightsView(
        state=state,
        owners=[Holding(orgs[k], s) for k, s in sorted(state.owners.items(), key=lambda i: -i[1])],
        licences=[(r, orgs[r.holder_id]) for r in state.licences],
        pledges=[(r, orgs[r.holder_id]) for r in state.pledges],
    )


def achievements_visible(*, user: Any) -> QuerySet[Achievement]:
    """What a user's pages list: the office and exchanges see all; a university its own; an
    enterprise those in which it holds or held a right."""
    qs = Achievement.objects.select_related("institution")
    role = role_of(user)
    if role in (Role.OFFICE, Role.LEADER, Role.EXCHANGE):
        return qs
    org = getattr(user, "organisation_id", None)
    if org is None:
        return qs.none()
    if role == Role.UNIVERSITY:
        return qs.filter(institution_id=org)
    return qs.filter(Q(entries__holder_id=org) | Q(institution_id=org)).distinct()


def rights_held(*, organisation: Organisation, as_of: dt.date | None = None) -> list[Any]:
    """(achievement, what the organisation holds in it) for every achievement it holds a right in
    on `as_of`: a share, a licence or a pledge."""
    day = as_of or timezone.localdate()
    ids = (
        RightEntry.objects.filter(holder=organisation, effective_on__lte=day)
        .values_list("achievement_id", flat=True)
        .distinct()
    )
    out = []
    for a in Achievement.objects.filter(pk__in=list(ids)).select_related("institution"):
        state = rights_state(achievement_id=a.pk, as_of=day)
        share = state.owners.get(organisation.pk)
        licences = [r for r in state.licences if r.holder_id == organisation.pk]
        pledges = [r for r in state.pledges if r.holder_id == organisation.pk]
        if share or licences or pledges:
            out.append((a, share, licences, pledges))
    return out


def transactions_list(*, achievement: Achievement | None = None) -> QuerySet[Transaction]:
    qs = Transaction.objects.select_related("achievement", "seller", "buyer", "registrar")
    return qs.filter(achievement=achievement) if achievement is not None else qs


def certificate_get(*, cert_id: str) -> Certificate | None:
    if not isinstance(cert_id, str) or len(cert_id) > 40:
        return None
    return (
        Certificate.objects.select_related("revocation", "revocation__superseded_by")
        .filter(cert_id=cert_id.strip().upper())
        .first()
    )


def certificate_document(cert: Certificate) -> dict[str, Any]:
    """The signed document as the issuer exports it."""
    import json

    from nengji.techrights.signing import ALG, FORMAT

    return {
        "format": FORMAT,
        "payload": json.loads(cert.payload),
        "signature": {"alg": ALG, "key_id": cert.key_id, "value": cert.signature},
    }


def revoked_map() -> dict[str, dict[str, Any]]:
    from nengji.techrights.models import Revocation
    from nengji.techrights.services.certificates import revocation_entry

    return {
        r.certificate.cert_id: revocation_entry(r)
        for r in Revocation.objects.select_related("certificate", "superseded_by")
    }


def certificate_check(cert: Certificate) -> Verdict:
    """Verify a stored certificate as a stranger would: its document against the published keys
    and the revocation list (so a row altered in the database fails too)."""
    revoked = {}
    rev = getattr(cert, "revocation", None)  # RelatedObjectDoesNotExist is an AttributeError
    if rev is not None:
        from nengji.techrights.services.certificates import revocation_entry

        revoked[cert.cert_id] = revocation_entry(rev)
    keys = keystore.own_keyset().merged(keystore.trusted_keysets())
    return certificate_verify(certificate_document(cert), keys=keys, revoked=revoked)


def contracts_queue(*, today: dt.date | None = None) -> list[tuple[TechContract, bool]]:
    """The registrar's queue: contracts awaiting a decision, earliest due first, each with
    whether it is overdue."""
    day = today or timezone.localdate()
    open_ = TechContract.objects.filter(
        status__in=(ContractStatus.SUBMITTED, ContractStatus.EXPERT_REVIEW)
    ).select_related("seller", "registrar")
    return [(c, c.due_on < day) for c in open_.order_by("due_on", "id")]
