"""Matching items and enterprises, explainably: every result carries its clauses.

`match_enterprise` gives, for one enterprise, every published item with eligible / not
eligible / unknown, the clause-by-clause reasons, the estimated amount and the window, sorted
by value and deadline. `match_item` gives, for one item, the enterprises eligible now and those
one clause away (the office's outreach list). `match_matrix` evaluates every item against every
enterprise (the benchmark's workload). Items are compiled once per content (`_compiled`).
"""

from __future__ import annotations

import datetime as dt
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
    Verdict,
    amount_rule_read,
    verdict_of,
)
from nengji.registry.models import Enterprise

_amounts: dict[tuple[int, str], AmountRule] = {}


def _amount(item: PolicyItem) -> AmountRule:
    """The item's amount rule, read once per content."""
    key = json.dumps([item.amount_rule, str(item.max_amount)], sort_keys=True)
    found = _amounts.get((item.pk, key))
    if found is None:
        found = _amounts[(item.pk, key)] = amount_rule_read(
            item.amount_rule, max_amount=item.max_amount
        )
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


@dataclass(frozen=True)
class Candidate:
    enterprise: Enterprise
    verdict: Verdict


def match_item(
    *, item: PolicyItem, enterprises: Iterable[Enterprise] | None = None
) -> dict[str, list[Candidate]]:
    """For the office (政策找企业): ``eligible`` now, ``near`` (one clause away: exactly one
    fails and none is unknown) and ``unknown`` (facts missing, none failed)."""
    plan = item.plan
    pool = list(enterprises if enterprises is not None else Enterprise.objects.order_by("name_zh"))
    facts = facts_for(pool, plan=plan)
    out: dict[str, list[Candidate]] = {"eligible": [], "near": [], "unknown": []}
    for e in pool:
        v = verdict(item, facts[e.pk])
        if v.outcome == ELIGIBLE:
            out["eligible"].append(Candidate(e, v))
        elif v.one_away:
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
    rules = [(item.pk, item.clauses, _amount(item)) for item in items]
    out: dict[tuple[int, int], str] = {}
    for enterprise_id, f in facts.items():
        for item_id, clauses, amount in rules:
            out[(item_id, enterprise_id)] = verdict_of(clauses, amount, f).outcome
    return out
