"""Matching on the registry's facts: every item with its outcome, clause reasons and gaps, the
estimated amount and window, sorted; the office's lists; the CLI's JSON; the push list when an
enterprise's data change."""

from __future__ import annotations

import json
from decimal import Decimal

from nengji.policy.matching import match_enterprise, match_item
from nengji.policy.models import Notice, PolicyItem
from nengji.policy.services.applications import auto_grant_approve, auto_grant_candidates
from tests.policy.conftest import designate, enterprise, figures, uscc


def by_code(matches):  # type: ignore[no-untyped-def]
    return {m.item.code: m for m in matches}


def test_an_enterprise_sees_every_item_with_reasons(plan, office) -> None:  # type: ignore[no-untyped-def]
    e, _ = enterprise(plan)
    figures(e, office)  # R&D 150万元 of revenue 2000万元: 7.5 %
    designate(e, office, "high_tech")
    matches = match_enterprise(enterprise=e, plan=plan)
    found = by_code(matches)
    assert len(found) == PolicyItem.objects.filter(plan=plan, status="published").count()
    rd = found["YP-RD-SUBSIDY"]
    assert rd.outcome == "eligible"
    assert rd.verdict.amount == Decimal("150000.00")  # 10 % of 150万元
    assert found["YP-HTE-FIRST"].outcome == "eligible"
    assert found["YP-LITTLE-GIANT"].outcome == "not_eligible"
    # sorted: eligible first, the largest sum first
    outcomes = [m.outcome for m in matches]
    assert outcomes == sorted(outcomes, key=["eligible", "unknown", "not_eligible"].index)
    eligible = [m.verdict.amount for m in matches if m.outcome == "eligible"]
    assert eligible == sorted(eligible, reverse=True)
    # every clause traces to its article and sentence
    row = next(c for c in rd.clause_rows() if c["id"] == "RD-SHARE")
    assert row["status"] == "pass" and row["source"] == "第四条"
    assert row["quote"] == "研发费用占营业收入比例不低于3%"


def test_failing_clause_says_the_gap_and_missing_facts_are_named(plan, office) -> None:  # type: ignore[no-untyped-def]
    e, _ = enterprise(plan)
    figures(e, office, rd_domestic="40")  # 2 % of revenue
    rd = by_code(match_enterprise(enterprise=e, plan=plan))["YP-RD-SUBSIDY"]
    assert rd.outcome == "not_eligible"
    row = next(c for c in rd.clause_rows() if c["id"] == "RD-SHARE")
    assert row["status"] == "fail" and row["gap"]["change"] == "20"  # 20万元 more R&D
    fresh, _ = enterprise(plan)
    unknown = by_code(match_enterprise(enterprise=fresh, plan=plan))["YP-RD-SUBSIDY"]
    assert unknown.outcome == "unknown"
    assert set(unknown.verdict.missing) >= {"rd_intensity", "revenue"}


def test_office_sees_who_qualifies_and_who_is_one_clause_away(plan, office) -> None:  # type: ignore[no-untyped-def]
    item = PolicyItem.objects.get(plan=plan, code="YP-RD-SUBSIDY")
    yes, _ = enterprise(plan, name="甲科技")
    figures(yes, office)
    near, _ = enterprise(plan, name="乙科技")
    figures(near, office, rd_domestic="40")
    found = match_item(item=item)
    assert yes.pk in [c.enterprise.pk for c in found["eligible"]]
    assert near.pk in [c.enterprise.pk for c in found["near"]]


def test_auto_grant_to_the_list_the_office_approves(plan, office) -> None:  # type: ignore[no-untyped-def]
    item = PolicyItem.objects.get(plan=plan, code="YP-HTE-FIRST")
    e, _ = enterprise(plan)
    designate(e, office, "high_tech")
    assert e.pk in [c.enterprise.pk for c in auto_grant_candidates(item=item)]
    [app] = auto_grant_approve(item=item, period="2026", enterprise_ids=[e.pk], by=office)
    assert app.status == "approved" and app.origin == "auto" and app.awarded == Decimal(200000)
    assert Notice.objects.filter(item=item, enterprise=e, reason="granted").exists()
    # approving the list again grants nothing twice
    assert auto_grant_approve(item=item, period="2026", enterprise_ids=[e.pk], by=office) == []


def test_push_list_when_the_registry_changes(
    plan, office, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    e, _ = enterprise(plan)
    item = PolicyItem.objects.get(plan=plan, code="YP-RD-SUBSIDY")
    with django_capture_on_commit_callbacks(execute=True):
        figures(e, office)  # FiguresRecorded → policy's handler, run when the save commits
        assert not Notice.objects.filter(item=item, enterprise=e).exists()
    assert Notice.objects.filter(item=item, enterprise=e, reason="eligible").exists()
    with django_capture_on_commit_callbacks(execute=True):
        designate(e, office, "specialised")
    spec = PolicyItem.objects.get(plan=plan, code="YP-SPECIALISED")
    notice = Notice.objects.get(item=spec, enterprise=e, reason="eligible")
    assert notice.trigger == "DesignationChanged"


def test_a_registry_import_builds_the_push_list_once(  # type: ignore[no-untyped-def]
    plan, office, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    """10,000 rows emit 10,000 FiguresRecorded; the push list is built once, on commit."""
    from nengji.policy.services import applications
    from nengji.registry.services.imports import registry_import

    runs: list[list[int]] = []
    real = applications.notices_for_enterprises

    def counted(*, enterprise_ids, trigger):  # type: ignore[no-untyped-def]
        runs.append(sorted(enterprise_ids))
        return real(enterprise_ids=enterprise_ids, trigger=trigger)

    monkeypatch.setattr(applications, "notices_for_enterprises", counted)
    lines = ["uscc,name_zh,year,employees,st_staff,revenue,rd_domestic,rd_foreign"]
    codes = [uscc(90000 + i) for i in range(30)]
    for i, code in enumerate(codes):
        rd = "150" if i % 3 else "40"  # 7.5 % (eligible) or 2 % (one clause away)
        lines.append(f"{code},导入企业{i},2025,100,40,2000,{rd},0")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = registry_import(
            district=plan.district,
            data="\n".join(lines).encode(),
            filename="list.csv",
            by=office,
        )
    assert report.figures == 30
    assert len(callbacks) == 1 and len(runs) == 1 and len(runs[0]) == 30
    item = PolicyItem.objects.get(plan=plan, code="YP-RD-SUBSIDY")
    told = Notice.objects.filter(item=item, enterprise__uscc__in=codes)
    assert told.filter(reason="eligible").count() == 20
    assert told.filter(reason="near").count() == 10
    assert set(told.values_list("trigger", flat=True)) == {"FiguresRecorded"}


def test_a_rolled_back_change_pushes_nothing(
    plan, office, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    gone, _ = enterprise(plan)
    kept, _ = enterprise(plan)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                figures(gone, office)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        figures(kept, office)
    assert not Notice.objects.filter(enterprise=gone).exists()
    assert Notice.objects.filter(enterprise=kept, reason="eligible").exists()


def test_cli_match_json(plan, office) -> None:  # type: ignore[no-untyped-def]
    """`nengji policy match CODE --format json`: every item with outcome, clauses, amount."""
    from click.testing import CliRunner

    from nengji.cli.policy import policy

    e, _ = enterprise(plan)
    figures(e, office)
    result = CliRunner().invoke(policy, ["match", e.uscc, "--plan", plan.code, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["enterprise"] == e.uscc
    rd = next(i for i in data["items"] if i["item"] == "YP-RD-SUBSIDY")
    assert rd["outcome"] == "eligible" and rd["estimated_amount"] == "150000.00"
    assert {c["id"] for c in rd["clauses"]} == {"DISTRICT", "RD-SHARE", "REVENUE"}
    assert all(c["status"] in ("pass", "fail", "unknown") for c in rd["clauses"])
    missing = CliRunner().invoke(policy, ["match", "91310110MA1FX00010", "--plan", plan.code])
    assert missing.exit_code == 2


def test_office_lists_and_matrix_agree_with_the_explaining_engine(plan, office) -> None:  # type: ignore[no-untyped-def]
    """The status-only path (lists, matrix, push list) decides as the page's verdicts do."""
    from nengji.policy.facts import facts_for
    from nengji.policy.matching import match_items, match_matrix, published_items, verdict
    from nengji.registry.models import Enterprise

    made = []
    for rd, designation in (
        ("150", "high_tech"),
        ("40", None),
        ("60", "specialised"),
        (None, None),
    ):
        e, _ = enterprise(plan)
        if rd is not None:
            figures(e, office, rd_domestic=rd)
        if designation:
            designate(e, office, designation)
        made.append(e)
    items = list(published_items(plan))
    facts = facts_for(made, plan=plan)
    matrix = match_matrix(items=items, facts=facts)
    for item in items:
        lists = match_item(
            item=item, enterprises=Enterprise.objects.filter(pk__in=[e.pk for e in made])
        )
        for e in made:
            v = verdict(item, facts[e.pk])
            assert matrix.outcome(item.pk, e.pk) == v.outcome
            where = [k for k, rows in lists.items() if e.pk in [c.enterprise.pk for c in rows]]
            expected = {"eligible": ["eligible"], "unknown": ["unknown"]}.get(v.outcome, [])
            assert where == (["near"] if v.one_away else expected), (item.code, e.pk)
            for c in (c for rows in lists.values() for c in rows if c.enterprise.pk == e.pk):
                assert c.amount == v.amount
                assert c.not_passed == [r.id for r in v.rule.clauses if r.status != "pass"]
    all_at_once = {
        (item.code, e.pk, key)
        for item, eligible, near in match_items(plan=plan, enterprises=made)
        for key, rows in (("eligible", eligible), ("near", near))
        for e in rows
    }
    assert all_at_once == {
        (item.code, c.enterprise.pk, key)
        for item in items
        for key, rows in match_item(item=item, enterprises=made).items()
        if key != "unknown"
        for c in rows
    }


def test_push_list_of_an_item_is_built_once(plan, office) -> None:  # type: ignore[no-untyped-def]
    from nengji.policy.services.applications import notices_build

    item = PolicyItem.objects.get(plan=plan, code="YP-RD-SUBSIDY")
    yes, _ = enterprise(plan)
    figures(yes, office)
    near, _ = enterprise(plan)
    figures(near, office, rd_domestic="40")
    Notice.objects.all().delete()
    assert notices_build(item=item, trigger="test") == 2
    assert set(Notice.objects.filter(item=item).values_list("enterprise_id", "reason")) == {
        (yes.pk, "eligible"),
        (near.pk, "near"),
    }
    assert notices_build(item=item, trigger="again") == 0
