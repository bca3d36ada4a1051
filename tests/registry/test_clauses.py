"""The clause engine: pass / fail / unknown with numbers, gaps and sources."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nengji.registry.clauses import FAIL, PASS, UNKNOWN, clauses_check, rule_evaluate

SRC = "《高新技术企业认定管理办法》(2016) 第十一条"

RD_BANDS = {
    "id": "rd",
    "fact": "rd_intensity_3y",
    "op": ">=",
    "bands": {"fact": "revenue", "upto": [[5000, 5], [20000, 4], [None, 3]]},
    "source": SRC,
}
STAFF = {"id": "staff", "fact": "st_staff_share", "op": ">=", "value": 10, "source": SRC}
SCORE = {
    "id": "score",
    "op": ">=",
    "value": 60,
    "source": "国科发政〔2017〕115号 附件",
    "score": [
        {"fact": "st_staff_share", "points": [[30, 20], [25, 16], [20, 12], [15, 8], [10, 4]]},
        {"fact": "rd_intensity", "points": [[6, 50], [5, 40], [4, 30], [3, 20], [2, 10]]},
        {
            "best_of": [
                {"fact": "ip_class1", "points": [[1, 30]]},
                {"fact": "ip_class2", "points": [[4, 24], [3, 18], [2, 12], [1, 6]]},
            ]
        },
    ],
}


def test_leaf_pass_fail_unknown():
    assert rule_evaluate([STAFF], {"st_staff_share": Decimal(12)}).status == PASS
    r = rule_evaluate([STAFF], {"st_staff_share": Decimal("8.5"), "st_staff": 17, "employees": 200})
    assert r.status == FAIL and r.one_away
    c = r.clauses[0]
    assert c.value == Decimal("8.5") and c.required == Decimal(10)
    assert c.gap is not None and c.gap["change"] == Decimal("3.00")  # 3 more people → 10 %
    assert c.source == SRC
    unknown = rule_evaluate([STAFF], {"st_staff_share": None})
    assert unknown.status == UNKNOWN and not unknown.one_away


def test_threshold_by_bands_of_another_fact():
    small = {"revenue": Decimal(3000), "rd_intensity_3y": Decimal("4.5")}
    mid = {"revenue": Decimal(8000), "rd_intensity_3y": Decimal("4.5")}
    assert rule_evaluate([RD_BANDS], small).status == FAIL
    assert rule_evaluate([RD_BANDS], mid).status == PASS
    assert (
        rule_evaluate([RD_BANDS], {"revenue": Decimal(50000), "rd_intensity_3y": Decimal(3)}).status
        == PASS
    )
    assert rule_evaluate([RD_BANDS], {"rd_intensity_3y": Decimal(9)}).status == UNKNOWN


def test_gap_in_money_for_a_ratio():
    facts = {
        "rd_intensity_3y": Decimal("2.8"),
        "rd_spend_3y": Decimal(280),
        "revenue_3y": Decimal(10000),
        "revenue": Decimal(30000),
    }
    c = rule_evaluate([RD_BANDS], facts).clauses[0]
    assert (
        c.status == FAIL and c.gap["fact"] == "rd_spend_3y" and c.gap["change"] == Decimal("20.00")
    )
    assert "20" in c.words and "2.8" in c.words


def test_score_with_unknowns_is_bounded():
    full = {
        "st_staff_share": Decimal(26),
        "rd_intensity": Decimal("5.5"),
        "ip_class1": 0,
        "ip_class2": 2,
    }
    r = rule_evaluate([SCORE], full).clauses[0]
    assert r.status == PASS and r.value == Decimal(16 + 40 + 12)
    # without IP facts: 56 known, up to 86 possible → unknown
    partial = {"st_staff_share": Decimal(26), "rd_intensity": Decimal("5.5")}
    assert rule_evaluate([SCORE], partial).status == UNKNOWN
    # one class I IP settles best_of at its maximum even with class II unknown
    assert rule_evaluate([SCORE], {**partial, "ip_class1": 1}).status == PASS
    # the maximum possible is still short → fail though facts are missing
    low = {"st_staff_share": Decimal(5), "rd_intensity": Decimal(1)}
    assert rule_evaluate([SCORE], low).status == FAIL


def test_groups_and_list_facts():
    rule = [
        {
            "id": "direct",
            "source": "x",
            "any": [
                {"id": "hte", "fact": "designations", "op": "contains", "value": "high_tech"},
                {"id": "big", "fact": "revenue", "op": ">", "value": 100},
            ],
        }
    ]
    assert rule_evaluate(rule, {"designations": ["high_tech"], "revenue": None}).status == PASS
    assert rule_evaluate(rule, {"designations": [], "revenue": None}).status == UNKNOWN
    assert rule_evaluate(rule, {"designations": [], "revenue": Decimal(5)}).status == FAIL
    inside = {"id": "s", "source": "x", "fact": "industry_section", "op": "in", "value": ["I", "M"]}
    assert rule_evaluate([inside], {"industry_section": "I"}).status == PASS
    assert rule_evaluate([inside], {"industry_section": "C"}).status == FAIL


def test_booleans_are_not_numbers():
    clause = {"id": "b", "source": "x", "fact": "employees", "op": ">=", "value": 1}
    assert rule_evaluate([clause], {"employees": True}).status == UNKNOWN


def test_results_are_json_ready():
    import json

    out = rule_evaluate(
        [STAFF, RD_BANDS], {"st_staff_share": Decimal("8.5"), "st_staff": 17, "employees": 200}
    ).as_dict()
    text = json.dumps(out, ensure_ascii=False)
    assert '"status": "unknown"' in text and '"required": "10"' in text


@pytest.mark.parametrize(
    ("rule", "needle"),
    [
        ([{"fact": "x", "op": ">=", "value": 1, "source": "s"}], "needs an id"),
        ([{"id": "a", "fact": "x", "op": ">=", "value": 1}], "needs a source"),
        ([{"id": "a", "fact": "x", "op": "~", "value": 1, "source": "s"}], ".op"),
        ([{"id": "a", "fact": "x", "op": ">=", "value": "ten", "source": "s"}], ".value"),
        ([{"id": "a", "fact": "x", "op": ">=", "source": "s"}], "value or bands"),
        ([STAFF, STAFF], "used twice"),
        ([{"id": "a", "source": "s", "any": []}], "non-empty"),
        (
            [{**RD_BANDS, "bands": {"fact": "revenue", "upto": [[20000, 4], [5000, 5]]}}],
            "increasing",
        ),
        (
            [{**RD_BANDS, "bands": {"fact": "revenue", "upto": [[None, 4], [5000, 5]]}}],
            "only the last",
        ),
        ([{**SCORE, "score": [{"fact": "a", "points": [[1, 5], [2, 10]]}]}], "decrease"),
        (["nope"], "mapping"),
    ],
)
def test_check_finds_problems(rule, needle):
    problems = clauses_check(rule)
    assert any(needle in p for p in problems), problems


def test_check_accepts_good_rules():
    assert clauses_check([STAFF, RD_BANDS, SCORE]) == []


def test_points_where_lower_is_better():
    rule = [
        {
            "id": "debt",
            "source": "x",
            "op": ">=",
            "value": 5,
            "score": [{"fact": "debt_ratio", "direction": "down", "points": [[55, 10], [75, 5]]}],
        }
    ]
    assert clauses_check(rule) == []
    got = {
        v: rule_evaluate(rule, {"debt_ratio": Decimal(v)}).clauses[0].value
        for v in (40, 55, 74, 80)
    }
    assert got == {40: 10, 55: 5, 74: 5, 80: 0}
    bad = [
        {**rule[0], "score": [{"fact": "d", "direction": "down", "points": [[75, 5], [55, 10]]}]}
    ]
    assert any("increase" in p for p in clauses_check(bad))
