"""Two registrars acting on the same right at once: one wins, the other is refused, nothing is
registered twice. Real threads, each with its own PostgreSQL connection."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from nengji.core.errors import DomainError
from nengji.core.roles import OrgKind
from nengji.techrights import keys as keystore
from nengji.techrights import services
from nengji.techrights.models import Achievement, Certificate, RightEntry, Transaction
from nengji.techrights.selectors import rights_state
from tests.techrights import factories as f

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and real concurrent connections need PostgreSQL",
    ),
]
D = dt.date


def race(*actions: Callable[[], Any]) -> list[Any]:
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(i: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = action()
        except Exception as exc:  # a DomainError is expected; anything else fails below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def errors(results: list[Any]) -> list[DomainError]:
    found = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, DomainError) for e in found), found
    return found  # type: ignore[return-value]


def test_the_same_achievement_registered_twice_at_once() -> None:
    fudan = f.org()
    by = f.user("university", fudan)
    f.achievement(institution=fudan, by=by)  # the key exists before the race
    results = race(
        *[lambda: f.achievement(institution=fudan, by=by, identifier="ZL202520000001.0")] * 4
    )
    assert len(errors(results)) == 3
    assert Achievement.objects.filter(identifier="ZL202520000001.0").count() == 1


def _licence(a: Achievement, buyer: Any, by: Any, ref: str) -> Any:
    return services.transaction_register(
        reference=ref,
        achievement=a,
        mode="licence",
        method="agreement",
        seller=a.institution,
        buyer=buyer,
        amount="100000",
        concluded_on=D(2025, 6, 1),
        exclusive=True,
        field_of_use="动力电池",
        territory="中国大陆",
        starts_on=D(2025, 7, 1),
        ends_on=D(2027, 6, 30),
        by=by,
    )


def test_two_exclusive_licences_of_one_scope_at_once() -> None:
    a = f.achievement()
    by = f.user()
    b1, b2 = f.org(OrgKind.ENTERPRISE), f.org(OrgKind.ENTERPRISE)
    results = race(lambda: _licence(a, b1, by, "L-1"), lambda: _licence(a, b2, by, "L-2"))
    assert len(errors(results)) == 1
    assert RightEntry.objects.filter(achievement=a, kind="licence").count() == 1


def test_two_transfers_of_more_than_the_seller_holds_at_once() -> None:
    a = f.achievement()
    by = f.user()

    def transfer(ref: str) -> Any:
        return services.transaction_register(
            reference=ref,
            achievement=a,
            mode="transfer",
            method="agreement",
            seller=a.institution,
            buyer=f.org(OrgKind.ENTERPRISE),
            amount="1000000",
            concluded_on=D(2025, 6, 1),
            share="60",
            by=by,
        )

    results = race(lambda: transfer("T-1"), lambda: transfer("T-2"))
    assert len(errors(results)) == 1
    state = rights_state(achievement_id=a.pk, as_of=D(2025, 6, 1))
    assert sum(state.owners.values()) == Decimal(100)
    assert state.owners[a.institution_id] == Decimal(40)


def test_a_replayed_registration_racing_itself_registers_once() -> None:
    a = f.achievement()
    by = f.user()
    buyer = f.org(OrgKind.ENTERPRISE)
    results = race(*[lambda: _licence(a, buyer, by, "SSTE-REPLAY")] * 3)
    assert not errors(results)
    assert sorted(created for _tx, created in results) == [False, False, True]
    assert Transaction.objects.filter(reference="SSTE-REPLAY").count() == 1
    assert Certificate.objects.filter(transaction__reference="SSTE-REPLAY").count() == 1


def test_a_certificate_revoked_twice_at_once() -> None:
    cert = f.achievement().certificates.get()
    u1, u2 = f.user(), f.user()
    results = race(
        lambda: services.certificate_revoke(certificate=cert, reason="a", by=u1),
        lambda: services.certificate_revoke(certificate=cert, reason="b", by=u2),
    )
    assert len(errors(results)) == 1


def test_first_use_creates_one_key_however_many_ask(tmp_path: Path) -> None:
    directory = tmp_path / "fresh"
    results = race(*[lambda: keystore.signing_key(directory)] * 6)
    kids = {keystore.key_id_of(k.public_key()) for k in results}
    assert len(kids) == 1
    assert len(list((directory / "techrights" / "keys").glob("*.pem"))) == 1
