"""A policy item's clauses (the registry's engine, with policy's checks on fact names) and its
amount rule: pass / fail / unknown, the missing facts, caps and bands; bad rules named."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nengji.policy.rules import (
    ELIGIBLE,
    NOT_ELIGIBLE,
    UNKNOWN,
    RuleError,
    amount_rule_read,
    clause_problems,
    verdict_of,
)

DISTRICT = {"id": "D", "fact": "registered_in_district", "op": "==", "value": True, "source": "一"}
RD = {"id": "RD", "fact": "rd_intensity", "op": ">=", "value": 3, "source": "四"}


class TestClauseProblems:
    def test_a_good_clause(self) -> None:
        assert clause_problems(RD) == []
        assert clause_problems(DISTRICT) == []
        assert clause_problems({**RD, "fact": "has_high_tech", "op": "==", "value": True}) == []

    @pytest.mark.parametrize(
        ("clause", "path"),
        [
            ({**RD, "fact": "profit_margin"}, "fact"),
            ({**RD, "fact": "has_golden_star"}, "fact"),
            ({**RD, "value": "three"}, "value"),
            ({**RD, "op": "~"}, "op"),
            (
                {
                    "id": "x",
                    "fact": "designations",
                    "op": "contains",
                    "value": "best",
                    "source": "a",
                },
                "value",
            ),
            ({**RD, "source": ""}, "clause"),
            (
                {"id": "G", "source": "a", "all": [{**RD, "id": "in", "fact": "nope"}]},
                "all[0].fact",
            ),
        ],
    )
    def test_bad_clause_names_the_part(self, clause, path) -> None:  # type: ignore[no-untyped-def]
        paths = [p for p, _m in clause_problems(clause)]
        assert path in paths, clause_problems(clause)


class TestAmounts:
    def test_ratio_of_an_amount_in_10k_yuan_with_cap(self) -> None:
        rule = amount_rule_read(
            {"rule": "ratio", "of": "rd_spend", "rate": 0.1, "cap": 1000000},
            max_amount=Decimal(1000000),
        )
        # the registry's amounts are in 万元: 200万元 of R&D → 20万元 = 200,000 yuan
        assert rule.estimate({"rd_spend": Decimal(200)}) == (Decimal("200000.00"), None)
        assert rule.estimate({"rd_spend": Decimal(5000)}) == (Decimal(1000000), None)
        assert rule.estimate({}) == (None, "rd_spend")

    def test_ratio_without_cap_where_the_item_states_one(self) -> None:
        with pytest.raises(RuleError) as exc:
            amount_rule_read(
                {"rule": "ratio", "of": "rd_spend", "rate": 0.1}, max_amount=Decimal(5)
            )
        assert exc.value.field == "amount.cap"

    def test_sum_above_the_stated_maximum(self) -> None:
        with pytest.raises(RuleError) as exc:
            amount_rule_read({"rule": "fixed", "value": 300000}, max_amount=Decimal(200000))
        assert exc.value.field == "amount.value"

    def test_ratio_of_a_text_fact(self) -> None:
        with pytest.raises(RuleError) as exc:
            amount_rule_read({"rule": "ratio", "of": "street", "rate": 0.1}, max_amount=None)
        assert exc.value.field == "amount.of"

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

    @pytest.mark.parametrize("value", ["1.001", "-1", "NaN", "1e20", True])
    def test_bad_sums(self, value) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(RuleError):
            amount_rule_read({"rule": "fixed", "value": value}, max_amount=None)


def test_verdict_three_valued_with_the_missing_fact_named() -> None:
    clauses = [DISTRICT, RD]
    amount = amount_rule_read({"rule": "fixed", "value": 100}, max_amount=None)
    ok = verdict_of(clauses, amount, {"registered_in_district": True, "rd_intensity": Decimal(4)})
    assert ok.outcome == ELIGIBLE and ok.amount == 100
    unknown = verdict_of(clauses, amount, {"registered_in_district": True})
    assert unknown.outcome == UNKNOWN
    assert unknown.missing == ("rd_intensity",)
    failed = verdict_of(
        clauses, amount, {"registered_in_district": True, "rd_intensity": Decimal("2.8")}
    )
    assert failed.outcome == NOT_ELIGIBLE and failed.amount is None
    assert failed.one_away
    [_, rd] = failed.rule.clauses
    assert rd.gap is not None and rd.gap["difference"] == Decimal("0.2")
