"""The voucher life-cycle through its services: quota, order, claim, payment, clearing; and
bad input refused naming the field, nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest

from nengji.core.errors import DomainError
from nengji.core.models import AuditEntry
from nengji.vouchers import services as s
from nengji.vouchers.clearing import clearing_report
from nengji.vouchers.models import Claim, ClearingEntry, ClearingPeriod, LedgerEntry, Statement
from nengji.vouchers.reconcile import reconcile
from nengji.vouchers.selectors import quota_balance
from tests.vouchers import factories as f

pytestmark = pytest.mark.django_db
DAY = f.DAY


@pytest.fixture
def w() -> f.Alliance:
    return f.Alliance()


def paid(
    w: f.Alliance,
    *,
    mode: str = "tongdui",
    inst: str = "b",
    voucher: int = 100_000,
    amount: int | None = None,
    paid_on: dt.date = DAY,
) -> Claim:
    i, iu = (w.inst_b, w.inst_b_user) if inst == "b" else (w.inst_a, w.inst_a_user)
    o = f.confirmed_order(w.quota, w.ent_user, i, iu, voucher=voucher)
    submitter = iu if mode == "tongdui" else w.ent_user
    c = s.claim_submit(
        order=o, mode=mode, amount_fen=amount or voucher, invoice_no=f"INV{o.pk}", by=submitter
    )
    c = s.claim_review(claim=c, approve=True, by=w.a1)
    c = s.claim_decide(claim=c, approve=True, by=w.a2)
    payer = w.b1 if (mode == "tongdui" and inst == "b") else w.a1
    return s.claim_pay(
        claim=c,
        amount_fen=c.amount_fen,
        paid_on=paid_on,
        reference=f"P{c.pk}",
        by=payer,
        today=paid_on,
    )


def test_grant_is_a_ledger_entry_and_the_balance_is_derived(w: f.Alliance) -> None:
    b = quota_balance(quota=w.quota)
    assert (b.granted, b.available, b.reserved) == (1_000_000, 1_000_000, 0)
    assert LedgerEntry.objects.filter(quota=w.quota, kind="grant").count() == 1


def test_order_reserves_and_cancel_releases(w: f.Alliance) -> None:
    o = s.order_place(
        quota=w.quota,
        institution=w.inst_b,
        category="testing",
        contract_fen=300_000,
        voucher_fen=150_000,
        starts_on=DAY,
        ends_on=DAY,
        by=w.ent_user,
        today=DAY,
    )
    assert quota_balance(quota=w.quota).available == 850_000
    s.order_cancel(order=o, by=w.inst_b_user)
    assert quota_balance(quota=w.quota).available == 1_000_000


def test_tongdui_payment_clears_the_issuers_part_to_the_service_region(w: f.Alliance) -> None:
    c = paid(w, mode="tongdui", voucher=100_000)
    assert c.state == "paid" and c.paid_by_id == w.b.pk
    (e,) = ClearingEntry.objects.filter(claim=c)
    # the service region paid 1000 元; it bears 20 %, the issuing region owes it 80 %
    assert (e.debtor_id, e.creditor_id, e.amount_fen) == (w.a.pk, w.b.pk, 80_000)
    b = quota_balance(quota=w.quota)
    assert (b.redeemed, b.reserved, b.available) == (100_000, 0, 900_000)
    assert reconcile() == []


def test_tongyong_payment_clears_the_service_regions_share_to_the_issuer(w: f.Alliance) -> None:
    c = paid(w, mode="tongyong", voucher=100_001)
    (e,) = ClearingEntry.objects.filter(claim=c)
    assert (e.debtor_id, e.creditor_id, e.amount_fen) == (w.b.pk, w.a.pk, 20_000)  # half up
    assert c.paid_by_id == w.a.pk


def test_a_claim_within_one_region_clears_nothing(w: f.Alliance) -> None:
    c = paid(w, mode="tongdui", inst="a")
    assert not ClearingEntry.objects.filter(claim=c).exists()


def test_partial_claim_releases_the_rest(w: f.Alliance) -> None:
    paid(w, voucher=100_000, amount=60_000)
    b = quota_balance(quota=w.quota)
    assert (b.redeemed, b.reserved, b.available) == (60_000, 0, 940_000)


def test_clearing_nets_and_sums_to_zero_then_closes(w: f.Alliance) -> None:
    paid(w, mode="tongdui", voucher=100_000)  # A owes B 80 000
    paid(w, mode="tongyong", voucher=50_000)  # B owes A 10 000
    period = ClearingPeriod.objects.get(code="2025Q1")
    r = clearing_report(period=period)
    assert r.net_pairs == [(w.a.pk, w.b.pk, 70_000)]
    assert (r.net(w.a.pk), r.net(w.b.pk)) == (-70_000, 70_000) and r.balanced
    s.period_close(period=period, by=w.office, today=dt.date(2025, 4, 1))
    st = Statement.objects.get(period=period, region=w.b)
    assert (st.owed_fen, st.due_fen, st.net_fen) == (10_000, 80_000, 70_000)
    s.statement_confirm(statement=st, by=w.b2)
    with pytest.raises(DomainError) as err:
        s.statement_confirm(statement=st, by=w.b1)
    assert err.value.code == "conflict"


def test_a_closed_period_never_changes_corrections_go_to_the_next(w: f.Alliance) -> None:
    c = paid(w, mode="tongdui", voucher=100_000)
    period = ClearingPeriod.objects.get(code="2025Q1")
    s.period_close(period=period, by=w.office, today=dt.date(2025, 4, 2))
    # a late payment dated in the closed quarter is refused, nothing changed
    o = f.confirmed_order(w.quota, w.ent_user, w.inst_b, w.inst_b_user)
    c2 = s.claim_submit(
        order=o, mode="tongdui", amount_fen=100_000, invoice_no="X2", by=w.inst_b_user
    )
    c2 = s.claim_decide(
        claim=s.claim_review(claim=c2, approve=True, by=w.a1), approve=True, by=w.a2
    )
    with pytest.raises(DomainError) as err:
        s.claim_pay(
            claim=c2,
            amount_fen=100_000,
            paid_on=dt.date(2025, 3, 30),
            reference="L",
            by=w.b1,
            today=dt.date(2025, 4, 2),
        )
    assert err.value.detail[0].field == "paid_on"
    assert Claim.objects.get(pk=c2.pk).state == "approved"  # visible, to be paid in Q2
    s.claim_reverse(claim=c, reason="发票造假", by=w.a1, today=dt.date(2025, 4, 3))
    q1 = clearing_report(period=period)
    q2 = clearing_report(period=ClearingPeriod.objects.get(code="2025Q2"))
    assert q1.net(w.b.pk) == 80_000 and q2.net(w.b.pk) == -80_000
    assert reconcile() == []
    b = quota_balance(quota=w.quota)
    assert b.redeemed == 0 and b.voided == 100_000  # recovered money does not return


def test_claim_submitted_twice_is_one_claim(w: f.Alliance) -> None:
    o = f.confirmed_order(w.quota, w.ent_user, w.inst_b, w.inst_b_user)
    c1 = s.claim_submit(
        order=o, mode="tongdui", amount_fen=100_000, invoice_no="A", by=w.inst_b_user
    )
    c2 = s.claim_submit(
        order=o, mode="tongdui", amount_fen=100_000, invoice_no="A", by=w.inst_b_user
    )
    assert c1.pk == c2.pk and Claim.objects.count() == 1
    with pytest.raises(DomainError) as err:
        s.claim_submit(order=o, mode="tongdui", amount_fen=90_000, invoice_no="A", by=w.inst_b_user)
    assert err.value.code == "conflict"


def test_payment_recorded_twice_is_paid_once(w: f.Alliance) -> None:
    c = paid(w)
    again = s.claim_pay(
        claim=c,
        amount_fen=c.paid_fen,
        paid_on=c.paid_on,
        reference=c.payment_ref,
        by=w.b1,
        today=DAY,
    )
    assert again.pk == c.pk
    assert LedgerEntry.objects.filter(claim=c, kind="redeem").count() == 1
    with pytest.raises(DomainError) as err:
        s.claim_pay(
            claim=c, amount_fen=c.paid_fen, paid_on=c.paid_on, reference="OTHER", by=w.b1, today=DAY
        )
    assert err.value.code == "conflict"


def test_the_second_review_is_another_person(w: f.Alliance) -> None:
    o = f.confirmed_order(w.quota, w.ent_user, w.inst_b, w.inst_b_user)
    c = s.claim_submit(order=o, mode="tongdui", amount_fen=1000, invoice_no="B", by=w.inst_b_user)
    c = s.claim_review(claim=c, approve=True, by=w.a1)
    with pytest.raises(DomainError) as err:
        s.claim_decide(claim=c, approve=True, by=w.a1)
    assert err.value.detail[0].field == "by"


def test_only_the_paying_region_pays(w: f.Alliance) -> None:
    o = f.confirmed_order(w.quota, w.ent_user, w.inst_b, w.inst_b_user)
    c = s.claim_submit(order=o, mode="tongdui", amount_fen=1000, invoice_no="B", by=w.inst_b_user)
    c = s.claim_decide(claim=s.claim_review(claim=c, approve=True, by=w.a1), approve=True, by=w.a2)
    with pytest.raises(DomainError) as err:
        s.claim_pay(claim=c, amount_fen=1000, paid_on=DAY, reference="R", by=w.a1, today=DAY)
    assert err.value.code == "permission"


def test_rejected_claim_releases_its_reservation(w: f.Alliance) -> None:
    o = f.confirmed_order(w.quota, w.ent_user, w.inst_b, w.inst_b_user, voucher=70_000)
    c = s.claim_submit(order=o, mode="tongdui", amount_fen=70_000, invoice_no="C", by=w.inst_b_user)
    s.claim_review(claim=c, approve=False, note="材料不全", by=w.a1)
    assert quota_balance(quota=w.quota).available == 1_000_000
    assert reconcile() == []


@pytest.mark.parametrize(
    ("amount", "field"),
    [
        ("-100", "voucher_fen"),
        ("10.5", "voucher_fen"),
        (True, "voucher_fen"),
        ("1e30", "voucher_fen"),
        ("NaN", "voucher_fen"),
        ("abc", "voucher_fen"),
        (2_000_000, "voucher_fen"),
    ],
)
def test_bad_order_amounts_change_nothing(w: f.Alliance, amount: object, field: str) -> None:
    before = (LedgerEntry.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as err:
        s.order_place(
            quota=w.quota,
            institution=w.inst_b,
            category="testing",
            contract_fen=4_000_000,
            voucher_fen=amount,
            starts_on=DAY,
            ends_on=DAY,
            by=w.ent_user,
            today=DAY,
        )
    assert err.value.detail[0].field == field
    assert (LedgerEntry.objects.count(), AuditEntry.objects.count()) == before


def test_order_above_coverage_is_refused(w: f.Alliance) -> None:
    with pytest.raises(DomainError) as err:
        s.order_place(
            quota=w.quota,
            institution=w.inst_b,
            category="testing",
            contract_fen=100_000,
            voucher_fen=50_001,
            starts_on=DAY,
            ends_on=DAY,
            by=w.ent_user,
            today=DAY,
        )
    assert err.value.detail[0].field == "voucher_fen" and "50%" in err.value.detail[0].message


def test_expired_programme_is_refused(w: f.Alliance) -> None:
    with pytest.raises(DomainError) as err:
        s.order_place(
            quota=w.quota,
            institution=w.inst_b,
            category="testing",
            contract_fen=100_000,
            voucher_fen=10_000,
            starts_on=DAY,
            ends_on=DAY,
            by=w.ent_user,
            today=dt.date(2026, 1, 5),
        )
    assert err.value.detail[0].field == "quota"


def test_institution_not_admitted_for_category_or_region(w: f.Alliance) -> None:
    with pytest.raises(DomainError) as err:
        s.order_place(
            quota=w.quota,
            institution=w.inst_b,
            category="design",
            contract_fen=100_000,
            voucher_fen=10_000,
            starts_on=DAY,
            ends_on=DAY,
            by=w.ent_user,
            today=DAY,
        )
    assert err.value.detail[0].field == "category"
    c = f.region("T-C", "丙区")
    inst_c, _ = f.institution(c, f.user("region", c))
    with pytest.raises(DomainError) as err:
        s.order_place(
            quota=w.quota,
            institution=inst_c,
            category="testing",
            contract_fen=100_000,
            voucher_fen=10_000,
            starts_on=DAY,
            ends_on=DAY,
            by=w.ent_user,
            today=DAY,
        )
    assert err.value.detail[0].field == "institution"
    s.institution_decide(institution=w.inst_b, action="suspend", reason="核查中", by=w.b1)
    with pytest.raises(DomainError) as err:
        s.order_place(
            quota=w.quota,
            institution=w.inst_b,
            category="testing",
            contract_fen=100_000,
            voucher_fen=10_000,
            starts_on=DAY,
            ends_on=DAY,
            by=w.ent_user,
            today=DAY,
        )
    assert err.value.detail[0].field == "institution"


def test_claim_above_the_reservation_is_refused(w: f.Alliance) -> None:
    o = f.confirmed_order(w.quota, w.ent_user, w.inst_b, w.inst_b_user, voucher=10_000)
    with pytest.raises(DomainError) as err:
        s.claim_submit(order=o, mode="tongdui", amount_fen=10_001, invoice_no="D", by=w.inst_b_user)
    assert err.value.detail[0].field == "amount_fen"
    assert not Claim.objects.exists()


def test_quota_above_cap_and_foreign_region(w: f.Alliance) -> None:
    ent2, u2 = f.enterprise(w.a, "另一企业")
    with pytest.raises(DomainError) as err:
        s.quota_apply(
            programme=w.prog,
            enterprise=ent2,
            applicant_kind="sme",
            requested_fen=50_000_001,
            legal_rep="x",
            address="y",
            phone="z",
            by=u2,
            today=DAY,
        )
    assert err.value.detail[0].field == "requested_fen"
    ent3, u3 = f.enterprise(w.b, "乙区企业")
    with pytest.raises(DomainError) as err:
        s.quota_apply(
            programme=w.prog,
            enterprise=ent3,
            applicant_kind="sme",
            requested_fen=1000,
            legal_rep="x",
            address="y",
            phone="z",
            by=u3,
            today=DAY,
        )
    assert err.value.detail[0].field == "programme"


def test_grants_never_exceed_the_budget(w: f.Alliance) -> None:
    prog = f.programme(w.b, w.b1, budget_fen=1_500_000, cap=1_000_000)
    e1, u1 = f.enterprise(w.b, "一")
    e2, u2 = f.enterprise(w.b, "二")
    f.granted_quota(prog, e1, u1, w.b1, w.b2, amount=1_000_000)
    with pytest.raises(DomainError) as err:
        f.granted_quota(prog, e2, u2, w.b1, w.b2, amount=1_000_000)
    assert err.value.detail[0].field == "granted_fen"


def test_institution_admission_waits_for_the_notice(w: f.Alliance) -> None:
    org = f.Organisation.objects.create(kind="provider", code="P-X", name_zh="新机构")
    member = f.user("provider", org)
    inst = s.institution_apply(
        organisation=org,
        region=w.a,
        uscc=f.uscc(),
        name="新机构",
        legal_rep="李",
        address="路",
        phone="1",
        categories=["rd"],
        self_evaluation="自评",
        by=member,
    )
    with pytest.raises(DomainError):
        s.institution_notice_start(institution=inst, by=w.a1)  # credit check first
    s.institution_credit_check(institution=inst, passed=True, note="ok", by=w.a1)
    s.institution_notice_start(institution=inst, by=w.a1, today=DAY)
    s.objection_record(institution=inst, text_="收费不规范")
    with pytest.raises(DomainError) as err:
        s.institution_admit(institution=inst, by=w.a1, today=DAY + dt.timedelta(days=7))
    assert err.value.detail[0].field == "notice_until"
    inst = s.institution_admit(institution=inst, by=w.a1, today=DAY + dt.timedelta(days=8))
    assert inst.state == "admitted" and inst.objections.count() == 1


def test_cancelling_an_institution_releases_its_open_orders(w: f.Alliance) -> None:
    s.order_place(
        quota=w.quota,
        institution=w.inst_b,
        category="testing",
        contract_fen=100_000,
        voucher_fen=50_000,
        starts_on=DAY,
        ends_on=DAY,
        by=w.ent_user,
        today=DAY,
    )
    s.institution_decide(institution=w.inst_b, action="cancel", reason="虚假交易", by=w.b1)
    assert quota_balance(quota=w.quota).available == 1_000_000
    assert reconcile() == []


def test_void_leaves_no_balance(w: f.Alliance) -> None:
    o = s.order_place(
        quota=w.quota,
        institution=w.inst_b,
        category="testing",
        contract_fen=100_000,
        voucher_fen=50_000,
        starts_on=DAY,
        ends_on=DAY,
        by=w.ent_user,
        today=DAY,
    )
    s.quota_void(quota=w.quota, reason="骗取补贴", by=w.a1)
    s.order_cancel(order=o, by=w.ent_user)
    assert quota_balance(quota=w.quota).available == 0
    assert reconcile() == []


def test_risk_flags_carry_their_reason(w: f.Alliance) -> None:
    inst, iu = f.institution(w.b, w.b1, name="关联所", legal_rep="张三", phone="021 5555")
    o = f.confirmed_order(w.quota, w.ent_user, inst, iu, voucher=10_000)
    c = s.claim_submit(order=o, mode="tongdui", amount_fen=10_000, invoice_no="INV-1", by=iu)
    o2 = f.confirmed_order(w.quota, w.ent_user, inst, iu, voucher=10_000)
    c2 = s.claim_submit(order=o2, mode="tongdui", amount_fen=10_000, invoice_no="INV-1", by=iu)
    rules = {fl.rule: fl.reason for fl in c.flags.all()}
    assert "related_party" in rules
    assert "invoice_reused" in {fl.rule for fl in c2.flags.all()}


def test_other_organisations_are_refused(w: f.Alliance) -> None:
    _other_ent, other_user = f.enterprise(w.a, "别家")
    with pytest.raises(DomainError) as err:
        s.order_place(
            quota=w.quota,
            institution=w.inst_b,
            category="testing",
            contract_fen=100_000,
            voucher_fen=10_000,
            starts_on=DAY,
            ends_on=DAY,
            by=other_user,
            today=DAY,
        )
    assert err.value.code == "permission"
    with pytest.raises(DomainError):
        s.quota_review(quota=w.quota, approve=True, by=w.b1)


def test_the_worked_example_of_docs_vouchers_md(w: f.Alliance) -> None:
    """docs/vouchers.md: A's share for B is 0.2, B's for A is 0.1; three payments in 2025Q1."""
    prog_b = f.programme(w.b, w.b1, partners={w.a: "0.1"})
    ent_b, ent_b_user = f.enterprise(w.b, "乙企业")
    quota_b = f.granted_quota(prog_b, ent_b, ent_b_user, w.b1, w.b2, amount=10_000_000)
    w.quota = f.granted_quota(w.prog, *f.enterprise(w.a, "甲企业二"), w.a1, w.a2, amount=20_000_000)
    ent_a_user = w.quota.enterprise.organisation.users.get()
    w.ent_user = ent_a_user
    paid(w, mode="tongdui", voucher=10_000_000)  # A's enterprise, B's institution, B pays
    paid(w, mode="tongyong", voucher=5_000_000)  # A's enterprise, B's institution, A pays
    o = f.confirmed_order(quota_b, ent_b_user, w.inst_a, w.inst_a_user, voucher=6_000_000)
    c = s.claim_submit(
        order=o, mode="tongdui", amount_fen=6_000_000, invoice_no="EX3", by=w.inst_a_user
    )
    c = s.claim_decide(claim=s.claim_review(claim=c, approve=True, by=w.b1), approve=True, by=w.b2)
    s.claim_pay(claim=c, amount_fen=6_000_000, paid_on=DAY, reference="EX3", by=w.a1, today=DAY)
    r = clearing_report(period=ClearingPeriod.objects.get(code="2025Q1"))
    assert r.gross == {(w.a.pk, w.b.pk): 8_000_000, (w.b.pk, w.a.pk): 6_400_000}
    assert r.net_pairs == [(w.a.pk, w.b.pk, 1_600_000)]
    assert (r.net(w.a.pk), r.net(w.b.pk)) == (-1_600_000, 1_600_000)
