"""An application from draft to payment; windows, permissions, reasons; paid once; 免申即享."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nengji.core.errors import DomainError
from nengji.core.models import AuditEntry
from nengji.policy import services
from nengji.policy.models import Application, Notice, Payment, PolicyItem
from tests.policy.conftest import enterprise

IN_WINDOW = dt.date(2026, 10, 15)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def item(plan):  # type: ignore[no-untyped-def]
    return PolicyItem.objects.get(plan=plan, code="YP-RD-SUBSIDY")


@pytest.fixture
def ent(plan):  # type: ignore[no-untyped-def]
    return enterprise(plan)


def submitted(item, ent):  # type: ignore[no-untyped-def]
    e, user = ent
    app = services.application_create(
        item=item, enterprise=e, period="2026", by=user, today=IN_WINDOW
    )
    services.evidence_attach(application=app, name="审计报告.png", data=PNG, by=user)
    return services.application_submit(application=app, by=user, today=IN_WINDOW)


class TestApplicationFlow:
    def test_through_to_payment(self, item, ent, office) -> None:  # type: ignore[no-untyped-def]
        app = submitted(item, ent)
        assert app.status == "submitted"
        assert app.verdict["item"] == "YP-RD-SUBSIDY"
        # the registry's facts decide what they can; the rest is named as missing
        assert {c["id"]: c["status"] for c in app.verdict["clauses"]}["DISTRICT"] == "pass"
        app = services.application_decide(
            application=app, action="approve", awarded="180000.00", by=office
        )
        pay = services.payment_record(
            application=app, paid_on=dt.date(2026, 11, 1), reference="PAY-1", by=office
        )
        app.refresh_from_db()
        assert app.status == "paid" and pay.amount == Decimal("180000.00")
        actions = set(AuditEntry.objects.filter(app="policy").values_list("action", flat=True))
        assert {"create", "attach", "submit", "approve", "pay"} <= actions

    def test_return_needs_a_reason_then_resubmit(self, item, ent, office) -> None:  # type: ignore[no-untyped-def]
        app = submitted(item, ent)
        with pytest.raises(DomainError) as exc:
            services.application_decide(application=app, action="return", by=office)
        assert exc.value.detail[0].field == "reason"
        app = services.application_decide(
            application=app, action="return", reason="请补充审计报告", by=office
        )
        app = services.application_submit(application=app, by=ent[1], today=IN_WINDOW)
        assert app.status == "submitted"

    def test_award_above_the_items_maximum(self, item, ent, office) -> None:  # type: ignore[no-untyped-def]
        app = submitted(item, ent)
        for bad in ("1000000.01", "-1", "1e20", "NaN", "0.001"):
            with pytest.raises(DomainError) as exc:
                services.application_decide(
                    application=app, action="approve", awarded=bad, by=office
                )
            assert exc.value.detail[0].field == "awarded"
        app.refresh_from_db()
        assert app.status == "submitted"

    def test_outside_the_window(self, item, ent) -> None:  # type: ignore[no-untyped-def]
        e, user = ent
        with pytest.raises(DomainError) as exc:
            services.application_create(
                item=item, enterprise=e, period="2026", by=user, today=dt.date(2027, 2, 1)
            )
        assert exc.value.detail[0].field == "item"
        assert not Application.objects.filter(enterprise=e).exists()

    def test_another_enterprises_user_is_refused(self, plan, item, ent) -> None:  # type: ignore[no-untyped-def]
        _, other_user = enterprise(plan)
        with pytest.raises(DomainError) as exc:
            services.application_create(
                item=item, enterprise=ent[0], period="2026", by=other_user, today=IN_WINDOW
            )
        assert exc.value.status == 403

    def test_one_live_application_per_period(self, item, ent) -> None:  # type: ignore[no-untyped-def]
        e, user = ent
        services.application_create(
            item=item, enterprise=e, period="2026", by=user, today=IN_WINDOW
        )
        with pytest.raises(DomainError) as exc:
            services.application_create(
                item=item, enterprise=e, period="2026", by=user, today=IN_WINDOW
            )
        assert exc.value.code == "conflict"

    def test_paid_once(self, item, ent, office) -> None:  # type: ignore[no-untyped-def]
        app = services.application_decide(
            application=submitted(item, ent), action="approve", awarded="1000", by=office
        )
        services.payment_record(
            application=app, paid_on=dt.date(2026, 11, 1), reference="P1", by=office
        )
        with pytest.raises(DomainError) as exc:
            services.payment_record(
                application=app, paid_on=dt.date(2026, 11, 2), reference="P2", by=office
            )
        assert exc.value.code == "conflict"
        assert Payment.objects.filter(application=app).count() == 1

    def test_evidence_is_bounded_and_sniffed(self, item, ent) -> None:  # type: ignore[no-untyped-def]
        e, user = ent
        app = services.application_create(
            item=item, enterprise=e, period="2026", by=user, today=IN_WINDOW
        )
        for data in (b"", b"MZ\x90\x00" + b"\x00" * 100, b"%PDF" + b"\x00" * (11 * 2**20)):
            with pytest.raises(DomainError) as exc:
                services.evidence_attach(application=app, name="x.pdf", data=data, by=user)
            assert exc.value.detail[0].field == "evidence"

    def test_state_machine_refuses_out_of_order(self, item, ent, office) -> None:  # type: ignore[no-untyped-def]
        e, user = ent
        app = services.application_create(
            item=item, enterprise=e, period="2026", by=user, today=IN_WINDOW
        )
        with pytest.raises(DomainError) as exc:
            services.application_decide(application=app, action="approve", awarded="1", by=office)
        assert exc.value.code == "conflict"


class TestAutoGrant:
    def test_office_approves_the_list_and_enterprises_are_told(self, plan, office) -> None:  # type: ignore[no-untyped-def]
        item = PolicyItem.objects.get(plan=plan, code="YP-HTE-FIRST")
        e, _ = enterprise(plan)
        from nengji.policy.services.applications import auto_grant_candidates

        # the registry does not yet show the designation: the enterprise is not eligible
        ids = [c.enterprise.pk for c in auto_grant_candidates(item=item)]
        assert e.pk not in ids
        with pytest.raises(DomainError) as exc:
            services.auto_grant_approve(item=item, period="2026", enterprise_ids=[e.pk], by=office)
        assert exc.value.detail[0].field == "enterprise_ids"

    def test_cannot_apply_for_an_auto_granted_item(self, plan) -> None:  # type: ignore[no-untyped-def]
        item = PolicyItem.objects.get(plan=plan, code="YP-HTE-FIRST")
        e, user = enterprise(plan)
        with pytest.raises(DomainError):
            services.application_create(
                item=item, enterprise=e, period="2026", by=user, today=IN_WINDOW
            )


def test_push_list_names_enterprises_one_clause_away(plan) -> None:  # type: ignore[no-untyped-def]
    item = PolicyItem.objects.get(plan=plan, code="YP-HTE-FIRST")
    e, _ = enterprise(plan)
    made = services.notices_build(item=item, trigger="test")
    assert made >= 1
    assert Notice.objects.filter(item=item, enterprise=e, reason="near").exists()
    assert services.notices_build(item=item, trigger="test") == 0  # told once
