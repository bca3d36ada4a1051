"""The status-only path (`rule_compile`, `FactTable`) decides exactly as the explaining engine
(`rule_evaluate`): every clause of the bundled catalogues (the registry's ladder, the policy
catalogue) and of the engine's own tests, over many random facts, one enterprise at a time and
column-wise. Facts are drawn around each clause's own thresholds, so ties, values that round to
the same float as a threshold, missing and mistyped facts are all met."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from nengji.registry.clauses import (
    CODE,
    FactTable,
    codes_status,
    rule_compile,
    rule_evaluate,
)
from tests.registry.test_clauses import RD_BANDS, SCORE, STAFF

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "data" / "plans" / "yangpu-2021"

DOWN = {
    "id": "debt",
    "op": ">=",
    "value": 10,
    "source": "x",
    "score": [{"fact": "debt_ratio", "direction": "down", "points": [[40, 10], [60, 5]]}],
}
GROUPS = {
    "id": "g",
    "source": "x",
    "any": [
        {"id": "g1", "fact": "designations", "op": "contains", "value": "high_tech"},
        {
            "id": "g2",
            "all": [
                {"id": "g3", "fact": "industry_section", "op": "in", "value": ["I", "M"]},
                {"id": "g4", "fact": "has_tech_sme", "op": "!=", "value": False},
                {"id": "g5", "fact": "street", "op": "not_in", "value": ["殷行街道"]},
                {"id": "g6", "fact": "designations", "op": "not_contains", "value": "listed"},
                {"id": "g7", "fact": "industry", "op": "==", "value": "6513"},
            ],
        },
    ],
}


def _rules() -> Iterator[tuple[str, list[Any]]]:
    ladder = yaml.safe_load((PACKAGE / "registry" / "ladder.yaml").read_text("utf-8"))
    for stage in ladder["stages"]:
        if stage["rule"]:
            yield f"ladder:{stage['code']}", stage["rule"]
    catalogue = yaml.safe_load((PACKAGE / "policy" / "catalogue.yaml").read_text("utf-8"))
    for item in catalogue["items"]:
        if item.get("clauses"):
            yield f"policy:{item['code']}", item["clauses"]
    yield "tests", [RD_BANDS, STAFF, SCORE, DOWN, GROUPS]


RULES = list(_rules())


def _walk(clause: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(clause, Mapping):
        yield clause
        for key in ("all", "any", "score", "best_of"):
            for part in clause.get(key) or []:
                yield from _walk(part)


def _pools(rule: list[Any]) -> dict[str, list[Any]]:
    """fact name → values worth trying: each threshold and bound, exactly, as int, float and a
    28-digit Decimal a hair off (same float, other side), just around it; and the clause's
    own text values and lists of them."""
    pools: dict[str, list[Any]] = {}

    def numbers(name: str, raw: Any) -> None:
        if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
            return
        d = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        hair = Decimal("1e-20")
        pools.setdefault(name, []).extend(
            [d, d + hair, d - hair, d + Decimal("0.01"), d - Decimal("0.01"), float(d), int(d)]
        )

    for c in (x for clause in rule for x in _walk(clause)):
        name = c.get("fact")
        if isinstance(name, str):
            value = c.get("value")
            numbers(name, value)
            if isinstance(value, str | bool):
                pools.setdefault(name, []).extend([value, [value], [value, "tech_sme"]])
            if isinstance(value, list):
                pools.setdefault(name, []).extend([*value, value[:1]])
            for row in c.get("points") or []:
                numbers(name, row[0])
        bands = c.get("bands")
        if isinstance(bands, Mapping):
            for bound, threshold in bands["upto"]:
                numbers(str(bands["fact"]), bound)
                numbers(str(c.get("fact")), threshold)
    return pools


ODD = [
    None,
    True,
    False,
    0,
    "3",
    "high_tech",
    [],
    ["high_tech", "tech_sme"],
    Decimal("NaN"),
    float("inf"),
    Decimal("1e400"),
    Decimal(-5),
    2.5,
]


def _facts(rng: random.Random, pools: dict[str, list[Any]]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for name, pool in pools.items():
        roll = rng.random()
        if roll < 0.7:
            facts[name] = rng.choice(pool)
        elif roll < 0.85:
            facts[name] = rng.choice(ODD)
        # else: absent
    return facts


def _expected(rule: list[Any], facts: Mapping[str, Any]) -> list[int]:
    return [CODE[c.status] for c in rule_evaluate(rule, facts).clauses]


@pytest.mark.parametrize(("name", "rule"), RULES, ids=[n for n, _r in RULES])
def test_fast_status_equals_the_engine(name: str, rule: list[Any]) -> None:
    rng = random.Random(name)
    pools = _pools(rule)
    rows = [_facts(rng, pools) for _ in range(400)]
    compiled = rule_compile(rule)
    expected = np.array([_expected(rule, f) for f in rows], dtype=np.int8).T
    # one enterprise at a time
    for i, facts in enumerate(rows):
        assert compiled.codes(facts) == list(expected[:, i]), (name, facts)
        assert compiled.status(facts) == rule_evaluate(rule, facts).status
    # column-wise
    got = compiled.table_codes(FactTable(rows))
    for k in range(len(rule)):
        wrong = np.flatnonzero(got[k] != expected[k])
        assert not len(wrong), (name, rule[k].get("id"), rows[wrong[0]])
    assert list(codes_status(got)) == [CODE[rule_evaluate(rule, f).status] for f in rows]


def test_every_bundled_rule_is_covered() -> None:
    names = [n for n, _r in RULES]
    assert any(n.startswith("ladder:") for n in names)
    assert sum(n.startswith("policy:") for n in names) >= 5


NUMBERS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True, places=None),
    st.text(max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.tuples(NUMBERS, NUMBERS), min_size=1, max_size=20),
    op=st.sampled_from([">=", ">", "<=", "<"]),
    threshold=st.one_of(st.integers(-100, 100), st.decimals(-100, 100, places=3)),
)
def test_numeric_leaf_and_bands_on_arbitrary_values(
    values: list[tuple[Any, Any]], op: str, threshold: Any
) -> None:
    leaf = {"id": "a", "fact": "x", "op": op, "value": threshold, "source": "s"}
    banded = {
        "id": "b",
        "fact": "x",
        "op": op,
        "source": "s",
        "bands": {"fact": "y", "upto": [[threshold, 5], [Decimal(threshold) + 100, 4]]},
    }
    rule = [leaf, banded]
    rows = [{"x": x, "y": y} for x, y in values]
    got = rule_compile(rule).table_codes(FactTable(rows))
    for i, facts in enumerate(rows):
        assert list(got[:, i]) == _expected(rule, facts), facts


@pytest.mark.parametrize("kind", ["all", "any"])
def test_groups_every_combination_of_statuses(kind: str) -> None:
    """Each child passes (1), fails (0) or is unknown (None): all 27 combinations, nested."""
    leaves = [{"id": n, "fact": n, "op": "==", "value": 1} for n in "abc"]
    inner = {"id": "inner", kind: leaves[1:]}
    rule = [
        {"id": "g", "source": "s", kind: [leaves[0], inner]},
        {"id": "h", "source": "s", **{kind: leaves}},
    ]
    rows = [
        {"a": a, "b": b, "c": c} for a in (1, 0, None) for b in (1, 0, None) for c in (1, 0, None)
    ]
    compiled = rule_compile(rule)
    got = compiled.table_codes(FactTable(rows))
    for i, facts in enumerate(rows):
        assert compiled.codes(facts) == _expected(rule, facts) == list(got[:, i]), facts
