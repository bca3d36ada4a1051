"""Counted figures from other apps become official only through the plan office (issue 9; the
registry, vouchers and technology-rights issues feed monitoring this way)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nengji.core.errors import DomainError
from nengji.core.models import AuditEntry
from nengji.monitoring import services
from nengji.monitoring.models import Observation, ProposedValue, Submission

SHA = "a" * 64


def propose(mini, value="1234", sha=SHA, **kw):  # type: ignore[no-untyped-def]
    return services.value_propose(
        plan=mini["plan"],
        indicator=mini["i1"],
        year=2021,
        value=value,
        source="registry",
        method="有效期内的高新技术企业证书数（演示）",
        as_of=dt.date(2021, 12, 31),
        snapshot_sha256=sha,
        provenance={"query": "designation=high_tech, valid on 2021-12-31"},
        **kw,
    )


def test_propose_is_idempotent_and_a_new_count_supersedes(mini):
    first = propose(mini)
    assert propose(mini).pk == first.pk  # the same count twice changes nothing
    second = propose(mini, value="1240", sha="b" * 64)
    first.refresh_from_db()
    assert first.status == ProposedValue.Status.SUPERSEDED
    assert second.status == ProposedValue.Status.PENDING
    assert AuditEntry.objects.filter(object_type="proposedvalue", action="propose").count() == 2


@pytest.mark.parametrize("value", ["1e30", "NaN", "Infinity", "0.1234567", True, "很多"])
def test_hostile_values_are_refused_naming_the_field(mini, value):
    with pytest.raises(DomainError) as exc:
        propose(mini, value=value)
    assert exc.value.detail[0].field == "value"
    assert not ProposedValue.objects.exists()


def test_accept_fills_the_empty_report_and_approves_it(round_, mini, office):
    p = services.proposal_accept(proposal=propose(mini), by=office)
    assert p.status == ProposedValue.Status.ACCEPTED
    sub = p.submission
    assert sub.status == Submission.Status.APPROVED and sub.value == Decimal(1234)
    assert "registry" in sub.explanation and SHA[:12] in sub.explanation
    obs = Observation.objects.get(submission=sub)
    assert obs.value == Decimal(1234) and obs.published_at is None  # published with its round


def test_a_reported_figure_is_not_replaced_without_a_reason(round_, mini, stc, office):
    sub = Submission.objects.get(round=round_, assignment=mini["a1"])
    services.submission_save(submission=sub, by=stc, value=Decimal(1200))
    p = propose(mini)
    with pytest.raises(DomainError) as exc:
        services.proposal_accept(proposal=p, by=office)
    assert exc.value.code == "conflict" and "1200" in exc.value.detail[0].message
    sub.refresh_from_db()
    assert sub.value == Decimal(1200) and sub.status == Submission.Status.DRAFT
    p = services.proposal_accept(proposal=p, by=office, reason="企业库口径更完整")
    assert p.submission.value == Decimal(1234) and "企业库口径更完整" in p.submission.explanation


def test_an_approved_figure_is_revised_not_overwritten(round_, mini, stc, office):
    sub = Submission.objects.get(round=round_, assignment=mini["a1"])
    services.submission_save(
        submission=sub, by=stc, value=Decimal(1200), explanation="新认定企业较多"
    )
    services.submission_submit(submission=sub, by=stc)
    services.submission_approve(submission=sub, by=office)
    p = services.proposal_accept(proposal=propose(mini), by=office, reason="复核更正")
    assert p.submission.sequence == 2 and p.submission.revision_reason == "复核更正"
    assert list(
        Observation.objects.filter(indicator=mini["i1"], year=2021)
        .order_by("vintage")
        .values_list("value", flat=True)
    ) == [Decimal(1200), Decimal(1234)]


def test_refusals_change_nothing(mini, office, stc):
    p = propose(mini)
    with pytest.raises(DomainError) as exc:  # no 2021 round opened yet
        services.proposal_accept(proposal=p, by=office)
    assert exc.value.detail[0].field == "year"
    with pytest.raises(DomainError):
        services.proposal_accept(proposal=p, by=stc)  # only the office decides
    with pytest.raises(DomainError):
        services.proposal_reject(proposal=p, by=office, reason="  ")
    p.refresh_from_db()
    assert p.status == ProposedValue.Status.PENDING
    assert not AuditEntry.objects.filter(object_type="proposedvalue", action="accept").exists()


def test_reject_with_a_reason(mini, office):
    p = services.proposal_reject(proposal=propose(mini), by=office, reason="口径不一致")
    assert p.status == ProposedValue.Status.REJECTED and p.decision_note == "口径不一致"
    with pytest.raises(DomainError) as exc:
        services.proposal_reject(proposal=p, by=office, reason="again")
    assert exc.value.code == "conflict"


def test_office_page_and_api(client, round_, mini, office):
    from nengji.api.auth import token_issue

    p = propose(mini)
    client.force_login(office)
    page = client.get(f"/monitoring/proposals/?plan={mini['plan'].code}").content.decode()
    assert "有效期内的高新技术企业证书数" in page and "1234" in page
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(office)}"}
    listed = client.get(f"/api/monitoring/proposals?plan={mini['plan'].code}", **headers).json()
    assert [x["id"] for x in listed] == [p.pk]
    r = client.post(
        f"/api/monitoring/proposals/{p.pk}/accept",
        {"reason": ""},
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted"
