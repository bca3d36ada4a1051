"""Achievements and the rights register: shares, transfers, licences, pledges, replays, and the
rule that bad input changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nengji.core.errors import DomainError
from nengji.core.models import AuditEntry
from nengji.core.roles import OrgKind, Role
from nengji.techrights import services
from nengji.techrights.models import (
    Achievement,
    Certificate,
    RightEntry,
    Transaction,
)
from nengji.techrights.selectors import certificate_check, rights_held, rights_state
from nengji.techrights.state import Row, licence_conflicts
from tests.techrights import factories as f

pytestmark = pytest.mark.django_db
D = dt.date


def counts() -> tuple[int, ...]:
    return (
        Achievement.objects.count(),
        RightEntry.objects.count(),
        Transaction.objects.count(),
        Certificate.objects.count(),
        AuditEntry.objects.count(),
    )


def refused(field: str, fn, **kwargs):  # type: ignore[no-untyped-def]
    before = counts()
    with pytest.raises(DomainError) as exc:
        fn(**kwargs)
    assert field in exc.value.by_field(), exc.value.by_field()
    assert counts() == before, "a refused write changed something"
    return exc.value


def test_register_an_achievement_with_co_owners_and_a_certificate() -> None:
    fudan, company = f.org(), f.org(OrgKind.ENTERPRISE)
    a = f.achievement(institution=fudan, owners=[(fudan, "70"), (company, "30")])
    state = rights_state(achievement_id=a.pk, as_of=f.DAY)
    assert state.owners == {fudan.pk: Decimal(70), company.pk: Decimal(30)}
    cert = a.certificates.get()
    assert certificate_check(cert).ok
    assert set(cert.parties.all()) == {fudan, company}
    assert AuditEntry.objects.filter(action="achievement.register").count() == 1


@pytest.mark.parametrize("shares", [("60", "30"), ("70", "40"), ("100", "0.0001"), ("50", "-50")])
def test_shares_must_add_up_to_100(shares: tuple[str, str]) -> None:
    fudan, company = f.org(), f.org(OrgKind.ENTERPRISE)
    by = f.user(Role.UNIVERSITY, fudan)
    refused(
        "owners"
        if shares[1] not in ("0.0001", "-50") or shares == ("100", "0.0001")
        else "owners.1.share",
        services.achievement_register,
        institution=fudan,
        kind="patent",
        title="t",
        identifier="ZL1",
        is_service_invention=False,
        inventors=["甲"],
        owners=[(fudan, shares[0]), (company, shares[1])],
        registered_on=f.DAY,
        by=by,
    )


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("kind", {"kind": "recipe"}),
        ("title", {"title": ""}),
        ("title", {"title": "x" * 301}),
        ("identifier", {"identifier": ""}),
        ("identifier", {"identifier": '=HYPERLINK("x")'}),
        ("registered_on", {"registered_on": "2999-01-01"}),
        ("registered_on", {"registered_on": "yesterday"}),
        ("inventors", {"inventors": []}),
        ("inventors.0", {"inventors": ["a\x00b"]}),
        ("owners.0.share", {"owners": "nan"}),
        ("owners.0.share", {"owners": "1e30"}),
    ],
)
def test_bad_achievement_input_is_refused_and_records_nothing(field: str, changes: dict) -> None:
    fudan = f.org()
    kwargs = dict(
        institution=fudan,
        kind="patent",
        title="一种方法",
        identifier="ZL2025100000001.X",
        is_service_invention=True,
        inventors=["张三"],
        owners=[(fudan, "100")],
        registered_on=f.DAY,
        by=f.user(Role.UNIVERSITY, fudan),
    )
    if "owners" in changes:
        kwargs["owners"] = [(fudan, changes.pop("owners"))]
    kwargs.update(changes)
    refused(field, services.achievement_register, **kwargs)


def test_the_same_achievement_cannot_be_registered_twice() -> None:
    fudan = f.org()
    f.achievement(institution=fudan, identifier="ZL202510000001.2")
    exc = refused("identifier", f.achievement, institution=fudan, identifier="ZL202510000001.2")
    assert exc.code == "conflict"


def test_only_the_own_transfer_office_registers() -> None:
    fudan, tongji = f.org(), f.org()
    with pytest.raises(DomainError) as exc:
        f.achievement(institution=fudan, by=f.user(Role.UNIVERSITY, tongji))
    assert exc.value.code == "permission"
    with pytest.raises(DomainError):
        f.achievement(institution=fudan, by=f.user(Role.ENTERPRISE, f.org(OrgKind.ENTERPRISE)))


def sell(achievement, **kw):  # type: ignore[no-untyped-def]
    args = dict(
        reference=f"SSTE-{achievement.pk}-{kw.get('mode', 'transfer')}-{kw.get('concluded_on')}",
        achievement=achievement,
        mode="transfer",
        method="agreement",
        seller=achievement.institution,
        buyer=f.org(OrgKind.ENTERPRISE),
        amount="1200000",
        concluded_on=D(2025, 6, 1),
        share="100",
        by=f.user(),
    )
    args.update(kw)
    return services.transaction_register(**args)


def test_a_transfer_moves_the_share_and_the_state_shows_any_date() -> None:
    a = f.achievement()
    buyer = f.org(OrgKind.ENTERPRISE)
    tx, created = sell(a, buyer=buyer, share="40", concluded_on=D(2025, 6, 1))
    assert created
    before = rights_state(achievement_id=a.pk, as_of=D(2025, 5, 31))
    after = rights_state(achievement_id=a.pk, as_of=D(2025, 6, 1))
    assert before.owners == {a.institution_id: Decimal(100)}
    assert after.owners == {a.institution_id: Decimal(60), buyer.pk: Decimal(40)}
    entry = RightEntry.objects.get(transaction=tx)
    assert entry.seq == 2 and entry.from_holder_id == a.institution_id
    cert = tx.certificates.get()
    assert certificate_check(cert).ok
    assert [x[0] for x in rights_held(organisation=buyer, as_of=D(2025, 7, 1))] == [a]


def test_a_transfer_by_someone_holding_no_share_is_refused() -> None:
    a = f.achievement()
    stranger = f.org(OrgKind.ENTERPRISE)
    refused("seller", sell, achievement=a, seller=stranger)


def test_a_transfer_of_more_than_is_held_is_refused() -> None:
    a = f.achievement(owners=None)
    buyer = f.org(OrgKind.ENTERPRISE)
    sell(a, buyer=buyer, share="60")
    refused("share", sell, achievement=a, share="50", reference="R2", concluded_on=D(2025, 7, 1))


def test_entries_never_go_back_in_time() -> None:
    a = f.achievement()
    sell(a, share="10", concluded_on=D(2025, 6, 1))
    refused(
        "effective_on",
        sell,
        achievement=a,
        share="10",
        reference="R-back",
        concluded_on=D(2025, 5, 1),
    )
    refused(
        "concluded_on",
        sell,
        achievement=a,
        share="10",
        reference="R-early",
        concluded_on=D(2024, 1, 1),
    )


def licence(achievement, **kw):  # type: ignore[no-untyped-def]
    args = dict(
        mode="licence",
        share=None,
        exclusive=True,
        field_of_use="动力电池",
        territory="中国大陆",
        starts_on=D(2025, 7, 1),
        ends_on=D(2028, 6, 30),
        concluded_on=D(2025, 6, 15),
        amount="500000",
    )
    args.update(kw)
    args.setdefault("reference", f"LIC-{args['field_of_use']}-{args['starts_on']}")
    return sell(achievement, **args)


def test_overlapping_exclusive_licences_are_refused() -> None:
    a = f.achievement()
    licence(a)
    # same field and territory, overlapping term
    exc = refused(
        "exclusive", licence, achievement=a, starts_on=D(2027, 1, 1), ends_on=D(2029, 1, 1)
    )
    assert exc.code == "conflict"
    # a non-exclusive licence inside an exclusive one's scope is refused too
    refused(
        "exclusive",
        licence,
        achievement=a,
        exclusive=False,
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
    )
    # an empty territory means everywhere: it overlaps
    refused(
        "exclusive",
        licence,
        achievement=a,
        territory="",
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
        reference="LIC-all",
    )


def test_licences_that_do_not_overlap_are_registered() -> None:
    a = f.achievement()
    licence(a)
    licence(a, field_of_use="储能电站")  # another field
    licence(a, starts_on=D(2028, 7, 1), ends_on=D(2030, 6, 30), concluded_on=D(2025, 6, 20))
    state = rights_state(achievement_id=a.pk, as_of=D(2026, 1, 1))
    assert len(state.licences) == 2


def test_an_ended_licence_frees_its_scope_from_the_end() -> None:
    a = f.achievement()
    tx, _ = licence(a)
    entry = RightEntry.objects.get(transaction=tx)
    services.right_end(entry=entry, on=D(2026, 1, 1), reason="协议解除", by=f.user())
    assert rights_state(achievement_id=a.pk, as_of=D(2026, 1, 2)).licences == []
    licence(a, starts_on=D(2026, 2, 1), ends_on=D(2027, 1, 1), concluded_on=D(2026, 1, 15))
    # the time before the end stays covered (the rule, on plain rows)
    rows = [Row.of(e) for e in a.entries.order_by("seq")]
    probe = Row(
        id=0,
        seq=0,
        kind="licence",
        effective_on=D(2026, 3, 1),
        holder_id=0,
        exclusive=True,
        field_of_use="动力电池",
        territory="中国大陆",
        starts_on=D(2025, 8, 1),
        ends_on=D(2025, 9, 1),
    )
    assert [r.seq for r in licence_conflicts(probe, rows)] == [entry.seq]


def test_a_replayed_registration_returns_the_first_and_records_nothing() -> None:
    a = f.achievement()
    buyer = f.org(OrgKind.ENTERPRISE)
    by = f.user()
    tx, created = sell(a, buyer=buyer, reference="SSTE-2025-0001", share="30", by=by)
    before = counts()
    again, created_again = sell(a, buyer=buyer, reference="SSTE-2025-0001", share="30", by=by)
    assert (again.pk, created, created_again) == (tx.pk, True, False)
    assert counts() == before
    exc = refused(
        "reference", sell, achievement=a, buyer=buyer, reference="SSTE-2025-0001", share="31", by=by
    )
    assert exc.code == "conflict"


def test_investment_and_pledge() -> None:
    a = f.achievement()
    company, bank = f.org(OrgKind.ENTERPRISE), f.org(OrgKind.BANK)
    sell(a, mode="investment", buyer=company, share="100", equity="15", amount="3000000")
    state = rights_state(achievement_id=a.pk, as_of=D(2025, 6, 2))
    assert state.owners == {company.pk: Decimal(100)}
    assert state.investments[0].equity == Decimal(15)
    entry = services.pledge_register(
        achievement=a,
        pledgor=company,
        pledgee=bank,
        amount="2000000",
        starts_on=D(2025, 7, 1),
        ends_on=D(2026, 6, 30),
        by=f.user(),
    )
    assert certificate_check(entry.certificates.get()).ok
    # a pledged achievement cannot be sold until released
    refused(
        "achievement",
        sell,
        achievement=a,
        seller=company,
        share="10",
        reference="P-1",
        concluded_on=D(2025, 8, 1),
    )


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("amount", {"amount": "-1"}),
        ("amount", {"amount": "1e20"}),
        ("amount", {"amount": "12.345"}),
        ("amount", {"amount": float("nan")}),
        ("mode", {"mode": "gift"}),
        ("method", {"method": "lottery"}),
        ("share", {"share": "0"}),
        ("share", {"share": "100.5"}),
        ("buyer", {"buyer": None}),
        ("reference", {"reference": ""}),
        (
            "procedure.notice_days",
            {
                "procedure": {
                    "listed_on": "2025-05-01",
                    "notice_days": 99999,
                    "venue": "x",
                    "listing_no": "1",
                }
            },
        ),
        (
            "procedure.notice_days",
            {
                "procedure": {
                    "listed_on": "2025-05-25",
                    "notice_days": 20,
                    "venue": "x",
                    "listing_no": "1",
                }
            },
        ),
    ],
)
def test_bad_transaction_input_is_refused(field: str, changes: dict) -> None:
    a = f.achievement()
    if changes.get("buyer", 0) is None:
        changes["buyer"] = a.institution
    refused(field, sell, achievement=a, **changes)


def test_the_listed_procedure_is_on_the_certificate() -> None:
    a = f.achievement()
    tx, _ = sell(
        a,
        method="bidding",
        procedure={
            "venue": "上海技术交易所",
            "listing_no": "GP2025-0101",
            "listed_on": "2025-05-01",
            "notice_days": 20,
        },
    )
    verdict = certificate_check(tx.certificates.get())
    assert verdict.ok
    assert verdict.payload is not None
    assert verdict.payload["procedure"]["notice_ended_on"] == "2025-05-21"


def test_registers_are_append_only() -> None:
    a = f.achievement()
    entry = a.entries.first()
    cert = a.certificates.first()
    assert entry is not None and cert is not None
    for row in (a, entry, cert):
        with pytest.raises(ValidationError):
            row.save()
        with pytest.raises(ValidationError):
            row.delete()
    with pytest.raises(ValidationError):
        RightEntry.objects.filter(pk=entry.pk).update(share=1)
    with pytest.raises(ValidationError):
        Certificate.objects.all().delete()


def test_a_certificate_altered_in_the_database_no_longer_verifies() -> None:
    a = f.achievement()
    cert = a.certificates.get()
    Certificate.objects.filter(pk=cert.pk)  # the model refuses; a raw SQL edit is the attack
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "UPDATE techrights_certificate SET payload = REPLACE(payload, '100', '10') "
            "WHERE id = %s",
            [cert.pk],
        )
    cert = Certificate.objects.get(pk=cert.pk)
    assert certificate_check(cert).status == "bad_signature"


def test_revocation_once_and_by_the_exchange_only() -> None:
    a = f.achievement()
    cert = a.certificates.get()
    with pytest.raises(DomainError):
        services.certificate_revoke(
            certificate=cert, reason="x", by=f.user(Role.UNIVERSITY, a.institution)
        )
    services.certificate_revoke(certificate=cert, reason="登记错误", by=f.user())
    cert = Certificate.objects.get(pk=cert.pk)
    assert certificate_check(cert).status == "revoked"
    with pytest.raises(DomainError) as exc:
        services.certificate_revoke(certificate=cert, reason="again", by=f.user())
    assert exc.value.code == "conflict"


def test_income_distribution_by_the_institution_rule() -> None:
    a = f.achievement()
    event = services.income_distribute(
        achievement=a,
        income="1000000",
        inventors_percent="70",
        rule="复旦大学科技成果转化办法（演示）",
        on=D(2025, 9, 1),
        by=f.user(Role.UNIVERSITY, a.institution),
    )
    parts = event.data["per_inventor"]
    assert event.data["inventors_pool"] == "700000.00"
    assert sum(Decimal(v) for v in parts.values()) == Decimal("700000.00")
