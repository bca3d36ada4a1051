"""Matching items and enterprises, explainably: every result carries its clauses.

`match_enterprise` gives, for one enterprise, every published item with eligible / not
eligible / unknown, the clause-by-clause reasons, the estimated amount and the window, sorted
by value and deadline. `match_item` gives, for one item, the enterprises eligible now and those
one clause away (the office's outreach list). `match_matrix` evaluates every item against every
enterprise (the benchmark's workload). Items are compiled once per content (`_compiled`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from nengji.plan.models import Plan
from nengji.policy.facts import facts_for, facts_of
from nengji.policy.models import PolicyItem
from nengji.policy.rules import (
    ELIGIBLE,
    NOT_ELIGIBLE,
    UNKNOWN,
    AmountRule,
    Evaluator,
    Verdict,
    amount_rule_read,
    compile_clause,
    verdict_of,
)
from nengji.registry.models import Enterprise


@dataclass(frozen=True)
class CompiledItem:
    evaluators: tuple[Evaluator, ...]
    amount: AmountRule


_cache: dict[tuple[int, str], CompiledItem] = {}


def _compiled(item: PolicyItem) -> CompiledItem:
    key = hashlib.sha256(
        json.dumps([item.clauses, item.amount_rule, str(item.max_amount)], sort_keys=True).encode()
    ).hexdigest()
    found = _cache.get((item.pk, key))
    if found is None:
        evaluators = tuple(
            compile_clause(c, where=f"{item.code}.clauses[{c.get('code')}]") for c in item.clauses
        )
        amount = amount_rule_read(item.amount_rule, max_amount=item.max_amount)
        found = _cache[(item.pk, key)] = CompiledItem(evaluators, amount)
    return found


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
        """Each clause with its wording, source and this enterprise's result."""
        rows = []
        for data, result in zip(self.item.clauses, self.verdict.clauses, strict=True):
            rows.append({**data, **result.as_dict()})
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
        c = _compiled(item)
        matches.append(Match(item, verdict_of(c.evaluators, c.amount, facts)))
    return sorted(matches, key=_sort_key)


@dataclass(frozen=True)
class Candidate:
    enterprise: Enterprise
    verdict: Verdict


def match_item(
    *, item: PolicyItem, enterprises: Iterable[Enterprise] | None = None
) -> dict[str, list[Candidate]]:
    """For the office (政策找企业): ``eligible`` now, ``near`` (exactly one clause not passed:
    failed or unknown) and ``unknown`` (more facts missing, none failed)."""
    plan = item.plan
    pool = list(enterprises if enterprises is not None else Enterprise.objects.order_by("name_zh"))
    facts = facts_for(pool, plan=plan)
    c = _compiled(item)
    out: dict[str, list[Candidate]] = {"eligible": [], "near": [], "unknown": []}
    for e in pool:
        v = verdict_of(c.evaluators, c.amount, facts[e.pk])
        if v.outcome == ELIGIBLE:
            out["eligible"].append(Candidate(e, v))
        elif v.not_passed == 1:
            out["near"].append(Candidate(e, v))
        elif v.outcome == UNKNOWN:
            out["unknown"].append(Candidate(e, v))
    for rows in out.values():
        rows.sort(key=lambda cand: (-(cand.verdict.amount or Decimal(0)), cand.enterprise.name_zh))
    return out


def match_matrix(
    *, items: list[PolicyItem], facts: Mapping[int, Mapping[str, Any]]
) -> dict[tuple[int, int], str]:
    """(item id, enterprise id) → outcome for every pair: the full eligibility matrix."""
    compiled = [(item.pk, _compiled(item)) for item in items]
    out: dict[tuple[int, int], str] = {}
    for enterprise_id, f in facts.items():
        for item_id, c in compiled:
            out[(item_id, enterprise_id)] = verdict_of(c.evaluators, c.amount, f).outcome
    return out
