"""Clauses and amount rules: pass / fail / unknown, gaps, caps, bands; bad rules named."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nengji.policy.rules import (
    ELIGIBLE,
    FAIL,
    NOT_ELIGIBLE,
    PASS,
    UNKNOWN,
    RuleError,
    amount_rule_read,
    compile_clause,
    verdict_of,
)


def clause(**kw):  # type: ignore[no-untyped-def]
    return compile_clause({"code": "C", **kw})


class TestClauses:
    def test_numeric_threshold_pass_fail_and_gap(self) -> None:
        c = clause(field="rd_share", op=">=", value=3)
        assert c({"rd_share": "3.0"}).outcome == PASS
        failed = c({"rd_share": Decimal("2.8")})
        assert failed.outcome == FAIL
        assert failed.gap == Decimal("0.2")

    def test_missing_fact_is_unknown_never_assumed(self) -> None:
        c = clause(field="rd_share", op=">=", value=3)
        assert c({}).outcome == UNKNOWN
        assert c({"rd_share": None}).outcome == UNKNOWN
        assert c({"rd_share": "n/a"}).outcome == UNKNOWN

    def test_sets_texts_and_booleans(self) -> None:
        assert (
            clause(field="designations", op="contains", value="high_tech")(
                {"designations": ["high_tech", "tech_sme"]}
            ).outcome
            == PASS
        )
        assert (
            clause(field="designations", op="lacks", value="listed")({"designations": []}).outcome
            == PASS
        )
        assert (
            clause(field="industry_code", op="prefix_in", value=["63", "65"])(
                {"industry_code": "6513"}
            ).outcome
            == PASS
        )
        assert (
            clause(field="registered_in_district", op="is_true")(
                {"registered_in_district": False}
            ).outcome
            == FAIL
        )

    @pytest.mark.parametrize(
        ("kw", "field"),
        [
            ({"field": "profit", "op": ">=", "value": 1}, "clause.field"),
            ({"field": "rd_share", "op": "~", "value": 1}, "clause.op"),
            ({"field": "rd_share", "op": ">=", "value": "three"}, "clause.value"),
            ({"field": "rd_share", "op": ">=", "value": float("nan")}, "clause.value"),
            ({"field": "rd_share", "op": ">=", "value": 1e300}, "clause.value"),
            ({"field": "rd_share", "op": ">="}, "clause.value"),
            ({"field": "rd_share", "op": "contains", "value": 1}, "clause.op"),
            ({"field": "designations", "op": "contains", "value": "best"}, "clause.value"),
            ({"field": "registered_in_district", "op": "is_true", "value": 1}, "clause.value"),
            ({"field": "industry_code", "op": "in", "value": []}, "clause.value"),
        ],
    )
    def test_bad_clause_names_the_part(self, kw, field) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(RuleError) as exc:
            compile_clause(kw, where="clause")
        assert exc.value.field == field


class TestAmounts:
    def test_ratio_with_cap(self) -> None:
        rule = amount_rule_read(
            {"rule": "ratio", "of": "rd_expense", "rate": 0.1, "cap": 1000000},
            max_amount=Decimal(1000000),
        )
        assert rule.estimate({"rd_expense": 2_000_000}) == (Decimal("200000.00"), None)
        assert rule.estimate({"rd_expense": 50_000_000}) == (Decimal(1000000), None)
        assert rule.estimate({}) == (None, "rd_expense")

    def test_ratio_without_cap_where_the_item_states_one(self) -> None:
        with pytest.raises(RuleError) as exc:
            amount_rule_read(
                {"rule": "ratio", "of": "rd_expense", "rate": 0.1}, max_amount=Decimal(5)
            )
        assert exc.value.field == "amount.cap"

    def test_sum_above_the_stated_maximum(self) -> None:
        with pytest.raises(RuleError) as exc:
            amount_rule_read({"rule": "fixed", "value": 300000}, max_amount=Decimal(200000))
        assert exc.value.field == "amount.value"

    def test_bands(self) -> None:
        rule = amount_rule_read(
            {
                "rule": "bands",
                "of": "st_staff",
                "bands": [
                    {"from": 0, "to": 10, "value": 50000},
                    {"from": 10, "to": None, "value": 100000},
                ],
            },
            max_amount=None,
        )
        assert rule.estimate({"st_staff": 9})[0] == 50000
        assert rule.estimate({"st_staff": 10})[0] == 100000

    def test_bands_with_a_gap(self) -> None:
        with pytest.raises(RuleError) as exc:
            amount_rule_read(
                {
                    "rule": "bands",
                    "of": "st_staff",
                    "bands": [
                        {"from": 0, "to": 10, "value": 1},
                        {"from": 20, "to": None, "value": 2},
                    ],
                },
                max_amount=None,
            )
        assert exc.value.field == "amount.bands[1].from"

    def test_money_has_at_most_fen(self) -> None:
        with pytest.raises(RuleError):
            amount_rule_read({"rule": "fixed", "value": "1.001"}, max_amount=None)


def test_verdict_three_valued() -> None:
    clauses = (
        clause(field="registered_in_district", op="is_true"),
        clause(field="rd_share", op=">=", value=3),
    )
    amount = amount_rule_read({"rule": "fixed", "value": 100}, max_amount=None)
    assert (
        verdict_of(clauses, amount, {"registered_in_district": True, "rd_share": 4}).outcome
        == ELIGIBLE
    )
    unknown = verdict_of(clauses, amount, {"registered_in_district": True})
    assert unknown.outcome == UNKNOWN
    assert unknown.missing == ("rd_share",)
    assert unknown.amount == 100
    failed = verdict_of(clauses, amount, {"registered_in_district": False})
    assert failed.outcome == NOT_ELIGIBLE
    assert failed.amount is None
