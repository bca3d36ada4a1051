"""Matching items and enterprises, explainably: every result carries its clauses.

`match_enterprise` gives, for one enterprise, every published item with eligible / not
eligible / unknown, the clause-by-clause reasons, the estimated amount and the window, sorted
by value and deadline. `match_item` gives, for one item, the enterprises eligible now and those
one clause away (the office's outreach list). `match_matrix` evaluates every item against every
enterprise (the benchmark's workload). Items are compiled once per content (`_compiled`).

Only one enterprise's page needs every clause's words. The office's lists, the matrix and the
push list decide by the registry's status-only path (`rule_compile`, column-wise over a
`FactTable` of all enterprises' facts: the same decisions, tested against the explaining
engine) and ask the explaining engine only for what a page shows (`Candidate.verdict`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

import numpy as np
from django.db.models import QuerySet

from nengji.plan.models import Plan
from nengji.policy.facts import facts_for, facts_of
from nengji.policy.models import PolicyItem
from nengji.policy.rules import (
    ELIGIBLE,
    NOT_ELIGIBLE,
    UNKNOWN,
    AmountRule,
    Verdict,
    amount_rule_read,
    verdict_of,
)
from nengji.registry.clauses import (
    CODE,
    CompiledRule,
    FactTable,
    codes_status,
    rule_compile,
)
from nengji.registry.models import Enterprise

_amounts: dict[tuple[int, str], AmountRule] = {}
_rules: dict[tuple[int, str], CompiledRule] = {}
_OUTCOME = {CODE["pass"]: ELIGIBLE, CODE["fail"]: NOT_ELIGIBLE, CODE["unknown"]: UNKNOWN}


def _amount(item: PolicyItem) -> AmountRule:
    """The item's amount rule, read once per content."""
    key = json.dumps([item.amount_rule, str(item.max_amount)], sort_keys=True)
    found = _amounts.get((item.pk, key))
    if found is None:
        found = _amounts[(item.pk, key)] = amount_rule_read(
            item.amount_rule, max_amount=item.max_amount
        )
    return found


def _compiled(item: PolicyItem) -> CompiledRule:
    """The item's clauses compiled for status-only evaluation, once per content."""
    key = (item.pk, json.dumps(item.clauses, sort_keys=True, default=str))
    found = _rules.get(key)
    if found is None:
        if len(_rules) > 5000:  # items edited many times in one process
            _rules.clear()
        found = _rules[key] = rule_compile(item.clauses)
    return found


def verdict(item: PolicyItem, facts: Mapping[str, Any]) -> Verdict:
    return verdict_of(item.clauses, _amount(item), facts)


def published_items(plan: Plan) -> QuerySet[PolicyItem]:
    return (
        PolicyItem.objects.filter(plan=plan, status=PolicyItem.Status.PUBLISHED)
        .select_related("document", "group")
        .order_by("group__order", "code")
    )


@dataclass(frozen=True)
class Match:
    item: PolicyItem
    verdict: Verdict

    @property
    def outcome(self) -> str:
        return self.verdict.outcome

    def clause_rows(self) -> list[dict[str, Any]]:
        """Each clause's result (status, value, threshold, gap, words) with its label, article
        and the sentence it encodes."""
        rows = []
        for data, result in zip(self.item.clauses, self.verdict.rule.clauses, strict=True):
            rows.append(
                {
                    **result.as_dict(),
                    "label_en": data.get("label_en", ""),
                    "quote": data.get("quote", ""),
                }
            )
        return rows

    def window_state(self, today: dt.date) -> str:
        if self.item.opens and today < self.item.opens:
            return "not_open"
        if self.item.closes and today > self.item.closes:
            return "closed"
        return "open"

    def as_dict(self) -> dict[str, Any]:
        i = self.item
        return {
            "item": i.code,
            "title": i.title_zh,
            "document": i.document.title_zh,
            "doc_number": i.document.doc_number,
            "article": i.article,
            "outcome": self.outcome,
            "estimated_amount": None
            if self.verdict.amount is None
            else format(self.verdict.amount, "f"),
            "missing": list(self.verdict.missing),
            "window": {
                "opens": i.opens.isoformat() if i.opens else None,
                "closes": i.closes.isoformat() if i.closes else None,
            },
            "auto_grant": i.auto_grant,
            "is_demo": i.is_demo or i.document.is_demo,
            "clauses": self.clause_rows(),
        }


_ORDER = {ELIGIBLE: 0, UNKNOWN: 1, NOT_ELIGIBLE: 2}


def _sort_key(m: Match) -> tuple[int, Decimal, dt.date, str]:
    return (
        _ORDER[m.outcome],
        -(m.verdict.amount or Decimal(0)),
        m.item.closes or dt.date.max,
        m.item.code,
    )


def match_enterprise(
    *,
    enterprise: Enterprise,
    plan: Plan,
    items: Iterable[PolicyItem] | None = None,
    facts: Mapping[str, Any] | None = None,
) -> list[Match]:
    """Every published item for the enterprise: eligible first, then unknown (data missing),
    then not eligible; within each, the largest estimated amount and the nearest deadline
    first."""
    facts = facts if facts is not None else facts_of(enterprise, plan=plan)
    matches = []
    for item in items if items is not None else published_items(plan):
        matches.append(Match(item, verdict(item, facts)))
    return sorted(matches, key=_sort_key)


class Candidate:
    """An enterprise in an item's lists: decided by the status-only path; the clause-by-clause
    verdict (words, gaps) is worked out only when something reads it."""

    def __init__(
        self,
        enterprise: Enterprise,
        *,
        item: PolicyItem,
        facts: Mapping[str, Any],
        outcome: str,
        not_passed: list[str],
    ) -> None:
        self.enterprise = enterprise
        self.item = item
        self.facts = facts
        self.outcome = outcome
        #: ids of the item's clauses that did not pass (fail or unknown)
        self.not_passed = not_passed

    @cached_property
    def amount(self) -> Decimal | None:
        """The estimated sum (None when not eligible, or when its base fact is missing)."""
        if self.outcome == NOT_ELIGIBLE:
            return None
        return _amount(self.item).estimate(self.facts)[0]

    @cached_property
    def verdict(self) -> Verdict:
        return verdict(self.item, self.facts)


def match_item(
    *, item: PolicyItem, enterprises: Iterable[Enterprise] | None = None
) -> dict[str, list[Candidate]]:
    """For the office (政策找企业): ``eligible`` now, ``near`` (one clause away: exactly one
    fails and none is unknown) and ``unknown`` (facts missing, none failed)."""
    pool = list(enterprises if enterprises is not None else Enterprise.objects.order_by("name_zh"))
    facts = facts_for(pool, plan=item.plan)
    rows = [facts[e.pk] for e in pool]
    return _lists(item, pool, rows, FactTable(rows))


def match_items(
    *, plan: Plan, enterprises: Iterable[Enterprise]
) -> list[tuple[PolicyItem, list[Enterprise], list[Enterprise]]]:
    """For every published item, the enterprises (of those given) eligible now and those one
    clause away, their facts read once and nothing explained (the push list after a registry
    import)."""
    pool = list(enterprises)
    facts = facts_for(pool, plan=plan)
    table = FactTable([facts[e.pk] for e in pool])
    out = []
    for item in published_items(plan):
        _codes, status, near = _decide(item, table)
        eligible = np.flatnonzero(status == CODE["pass"])
        out.append((item, [pool[i] for i in eligible], [pool[i] for i in np.flatnonzero(near)]))
    return out


def _decide(item: PolicyItem, table: FactTable) -> tuple[Any, Any, Any]:
    """(clause codes, rule status codes, one-clause-away mask) over the table's rows."""
    codes = _compiled(item).table_codes(table)
    fails = (codes == CODE["fail"]).sum(axis=0)
    unknowns = (codes == CODE["unknown"]).sum(axis=0)
    return codes, codes_status(codes), (fails == 1) & (unknowns == 0)


def _lists(
    item: PolicyItem, pool: list[Enterprise], rows: Sequence[Mapping[str, Any]], table: FactTable
) -> dict[str, list[Candidate]]:
    compiled = _compiled(item)
    codes, status, near = _decide(item, table)
    out: dict[str, list[Candidate]] = {"eligible": [], "near": [], "unknown": []}
    for key, chosen in (
        ("eligible", status == CODE["pass"]),
        ("near", near),
        ("unknown", status == CODE["unknown"]),
    ):
        for i in np.flatnonzero(chosen).tolist():
            out[key].append(
                Candidate(
                    pool[i],
                    item=item,
                    facts=rows[i],
                    outcome=_OUTCOME[int(status[i])],
                    not_passed=[
                        cid
                        for cid, code in zip(compiled.ids, codes[:, i], strict=True)
                        if code != CODE["pass"]
                    ],
                )
            )
    for found in out.values():
        found.sort(key=lambda cand: (-(cand.amount or Decimal(0)), cand.enterprise.name_zh))
    return out


@dataclass(frozen=True)
class Matrix:
    """The full eligibility matrix: an outcome code (`nengji.registry.clauses.CODE`) per item
    (rows) and enterprise (columns)."""

    item_ids: list[int]
    enterprise_ids: list[int]
    codes: Any  # numpy int8 array, items × enterprises

    def outcome(self, item_id: int, enterprise_id: int) -> str:
        i = self.item_ids.index(item_id)
        j = self.enterprise_ids.index(enterprise_id)
        return _OUTCOME[int(self.codes[i, j])]

    def counts(self) -> dict[str, int]:
        return {_OUTCOME[c]: int((self.codes == c).sum()) for c in _OUTCOME}


def match_matrix(*, items: list[PolicyItem], facts: Mapping[int, Mapping[str, Any]]) -> Matrix:
    """Every item against every enterprise (`facts`: enterprise id → facts), column-wise."""
    ids = list(facts)
    table = FactTable([facts[i] for i in ids])
    codes = np.empty((len(items), len(ids)), dtype=np.int8)
    for k, item in enumerate(items):
        codes[k] = codes_status(_compiled(item).table_codes(table))
    return Matrix([item.pk for item in items], ids, codes)
