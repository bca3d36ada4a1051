"""Eligibility of a policy item: its clauses (the registry's clause engine) and its amount rule.

The clauses are rules as data in the format of `nengji.registry.clauses` (``id``, ``fact``,
``op``, ``value`` or ``bands``, ``label``, ``source``; groups and scores too), evaluated by
`rule_evaluate` against an enterprise's facts: each clause passes, fails or is *unknown* (a fact
is missing: never assumed), with its value, threshold, gap and words. Policy adds to a clause
only what a catalogue needs to trace it: ``quote`` (the sentence of the policy document it
encodes) and ``label_en``; and it refuses fact names nobody supplies (`clause_problems`): a
policy that names an unknown field is an error, not a clause that is forever unknown.

The amount rule (fixed, a ratio of a fact with a cap, bands of a fact, or none) is policy's
own. Amount facts of the registry are in 万元; sums here are in yuan (`YUAN_PER`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import translation

from nengji.registry.clauses import FAIL, PASS, UNKNOWN, RuleResult, clauses_check, rule_evaluate
from nengji.registry.facts import FACTS, fact_spec
from nengji.registry.models import DesignationKind

ELIGIBLE, NOT_ELIGIBLE = "eligible", "not_eligible"
CENT = Decimal("0.01")

#: facts policy matching adds to the registry's (`nengji.policy.facts`)
POLICY_FACTS = frozenset({"registered_in_district"})

__all__ = ["FAIL", "PASS", "UNKNOWN"]


class RuleError(ValueError):
    """A clause or amount rule that cannot be evaluated; ``field`` names the part at fault."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def known_fact(name: str) -> bool:
    """A fact some app supplies: the registry's, ``has_<designation kind>``, or policy's own."""
    if name in FACTS or name in POLICY_FACTS:
        return True
    return name.startswith("has_") and name[4:] in DesignationKind.values


def _facts_named(clause: Any) -> list[tuple[str, str]]:
    """(path, fact name) of every fact a clause names, groups and scores included."""
    out: list[tuple[str, str]] = []

    def walk(c: Any, path: str) -> None:
        if not isinstance(c, Mapping):
            return
        if isinstance(c.get("fact"), str):
            out.append((f"{path}.fact", c["fact"]))
        bands = c.get("bands")
        if isinstance(bands, Mapping) and isinstance(bands.get("fact"), str):
            out.append((f"{path}.bands.fact", bands["fact"]))
        for key in ("all", "any", "score", "best_of"):
            parts = c.get(key)
            if isinstance(parts, list):
                for i, part in enumerate(parts):
                    walk(part, f"{path}.{key}[{i}]")

    walk(clause, "")
    return out


def clause_problems(clause: Any) -> list[tuple[str, str]]:
    """(field path within the clause, message) for every problem; empty when it can be used."""
    problems = []
    for found in clauses_check([clause], where=""):
        path, _sep, message = found.partition(": ")
        path = path.removeprefix("[0]").lstrip(".")
        problems.append((path or "clause", message))
    for path, name in _facts_named(clause):
        if not known_fact(name):
            problems.append((path.lstrip("."), f"unknown field {name!r}"))
    if isinstance(clause, Mapping):
        designations = [v for p, v in _designation_values(clause)]
        for value in designations:
            if value not in DesignationKind.values:
                problems.append(("value", f"unknown designation {value!r}"))
    return problems


def _designation_values(clause: Mapping[str, Any]) -> list[tuple[str, Any]]:
    if clause.get("fact") == "designations" and clause.get("op") in ("contains", "not_contains"):
        return [("value", clause.get("value"))]
    return []


def to_decimal(raw: Any, *, field: str) -> Decimal:
    """An exact number from YAML or JSON (floats by their shortest repr), finite, bounded."""
    if isinstance(raw, bool) or raw is None:
        raise RuleError(field, f"expected a number, got {raw!r}")
    try:
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise RuleError(field, f"expected a number, got {raw!r}") from None
    if not value.is_finite():
        raise RuleError(field, f"expected a finite number, got {raw!r}")
    if abs(value) >= Decimal("1e14"):
        raise RuleError(field, f"the number {raw!r} is too large")
    return value


def plain(value: Any) -> Any:
    """A value for JSON: Decimals as exact strings."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


NUMERIC_KINDS = ("number", "count", "percent")


def _number(raw: Any) -> Decimal | None:
    """A fact as a Decimal; None when missing or not a number."""
    if raw is None or isinstance(raw, bool):
        return None
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


@functools.cache
def yuan_per(name: str) -> Decimal:
    """Yuan per unit of a fact: 10,000 for the registry's 万元 amounts, else 1."""
    with translation.override("en"):
        return Decimal(10000) if str(fact_spec(name).unit) == "10k yuan" else Decimal(1)


# --------------------------------------------------------------------------------------
# amounts

AMOUNT_RULES = ("fixed", "ratio", "bands", "none")


@dataclass(frozen=True)
class AmountRule:
    """How much an eligible enterprise gets: a fixed sum, a ratio of a fact with a cap, or a
    band of a fact; ``none`` for benefits without a sum (a qualification, a fast track)."""

    rule: str
    value: Decimal | None = None
    of: str | None = None
    rate: Decimal | None = None
    cap: Decimal | None = None
    bands: tuple[tuple[Decimal, Decimal | None, Decimal], ...] = ()

    def estimate(self, facts: Mapping[str, Any]) -> tuple[Decimal | None, str | None]:
        """(amount in yuan, None) or (None, the missing fact)."""
        if self.rule == "fixed":
            return self.value, None
        if self.rule == "none":
            return Decimal(0), None
        assert self.of is not None
        base = _number(facts.get(self.of))
        if base is None:
            return None, self.of
        if self.rule == "ratio":
            assert self.rate is not None
            yuan = base * yuan_per(self.of)
            amount = (yuan * self.rate).quantize(CENT, rounding=ROUND_HALF_UP)
            amount = max(amount, Decimal(0))
            return (min(amount, self.cap) if self.cap is not None else amount), None
        for low, high, value in self.bands:
            if base >= low and (high is None or base < high):
                return value, None
        return Decimal(0), None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule}
        for key in ("value", "of", "rate", "cap"):
            if getattr(self, key) is not None:
                out[key] = plain(getattr(self, key))
        if self.bands:
            out["bands"] = [
                {"from": plain(lo), "to": plain(hi), "value": plain(v)} for lo, hi, v in self.bands
            ]
        return out


def _money(raw: Any, where: str) -> Decimal:
    value = to_decimal(raw, field=where)
    if value < 0:
        raise RuleError(where, "must not be negative")
    if value != value.quantize(CENT):
        raise RuleError(where, "at most 2 decimal places (yuan and fen)")
    return value


def amount_rule_read(raw: Any, *, max_amount: Decimal | None, where: str = "amount") -> AmountRule:
    """An amount rule from its data, checked against the item's stated maximum (最高): a ratio
    must then carry a cap, and no sum may exceed that maximum."""
    if not isinstance(raw, Mapping):
        raise RuleError(where, "expected a mapping with a `rule`")
    known = {"rule", "value", "of", "rate", "cap", "bands"}
    unknown = sorted(set(map(str, raw)) - known - {"__line__", "__key_lines__"})
    if unknown:
        raise RuleError(f"{where}.{unknown[0]}", "unknown field")
    rule = raw.get("rule")
    if rule not in AMOUNT_RULES:
        raise RuleError(f"{where}.rule", f"expected one of {', '.join(AMOUNT_RULES)}, got {rule!r}")

    def within_max(value: Decimal, key: str) -> Decimal:
        if max_amount is not None and value > max_amount:
            raise RuleError(
                f"{where}.{key}", f"{value} exceeds the item's stated maximum {max_amount}"
            )
        return value

    if rule == "none":
        return AmountRule("none")
    if rule == "fixed":
        return AmountRule(
            "fixed", value=within_max(_money(raw.get("value"), f"{where}.value"), "value")
        )
    of = raw.get("of")
    if not isinstance(of, str) or of not in FACTS or FACTS[of].kind not in NUMERIC_KINDS:
        raise RuleError(f"{where}.of", f"expected a numeric field, got {of!r}")
    if rule == "ratio":
        rate = to_decimal(raw.get("rate"), field=f"{where}.rate")
        if not Decimal(0) < rate <= Decimal(1):
            raise RuleError(f"{where}.rate", "a ratio lies in (0, 1]")
        cap = raw.get("cap")
        if cap is None:
            if max_amount is not None:
                raise RuleError(
                    f"{where}.cap",
                    f"the item states a maximum of {max_amount}; the ratio needs a cap",
                )
            return AmountRule("ratio", of=str(of), rate=rate)
        return AmountRule(
            "ratio", of=str(of), rate=rate, cap=within_max(_money(cap, f"{where}.cap"), "cap")
        )
    bands_raw = raw.get("bands")
    if not isinstance(bands_raw, list) or not bands_raw:
        raise RuleError(f"{where}.bands", "expected a non-empty list of {from, to, value}")
    bands: list[tuple[Decimal, Decimal | None, Decimal]] = []
    previous: Decimal | None = None
    for i, band in enumerate(bands_raw):
        at = f"{where}.bands[{i}]"
        if not isinstance(band, Mapping):
            raise RuleError(at, "expected a mapping {from, to, value}")
        low = to_decimal(band.get("from"), field=f"{at}.from")
        high = None if band.get("to") is None else to_decimal(band.get("to"), field=f"{at}.to")
        if high is not None and high <= low:
            raise RuleError(f"{at}.to", "must be above `from`")
        if previous is not None and low != previous:
            raise RuleError(f"{at}.from", f"bands must follow each other (expected {previous})")
        previous = high
        value = within_max(_money(band.get("value"), f"{at}.value"), f"bands[{i}].value")
        bands.append((low, high, value))
        if high is None and i != len(bands_raw) - 1:
            raise RuleError(f"{at}.to", "only the last band may be open-ended")
    return AmountRule("bands", of=str(of), bands=tuple(bands))


# --------------------------------------------------------------------------------------
# an item's verdict


@dataclass(frozen=True)
class Verdict:
    outcome: str  # eligible | not_eligible | unknown
    rule: RuleResult
    amount: Decimal | None
    missing: tuple[str, ...] = field(default=())

    @property
    def not_passed(self) -> int:
        return sum(1 for c in self.rule.clauses if c.status != PASS)

    @property
    def one_away(self) -> bool:
        """Exactly one clause fails and none is unknown (the registry's 培育库 sense)."""
        return self.rule.one_away


def _missing(rule: RuleResult) -> list[str]:
    out: list[str] = []

    def walk(c: Any) -> None:
        if c.status != UNKNOWN:
            return
        if c.fact and c.value is None:
            out.append(c.fact)
        for child in c.children:
            walk(child)

    for c in rule.clauses:
        walk(c)
    return out


def verdict_of(clauses: list[Any], amount: AmountRule, facts: Mapping[str, Any]) -> Verdict:
    """Every clause's result, the item's outcome and (when not excluded) the estimated sum."""
    rule = rule_evaluate(clauses, facts)
    outcome = {PASS: ELIGIBLE, FAIL: NOT_ELIGIBLE}.get(rule.status, UNKNOWN)
    missing = _missing(rule)
    estimate: Decimal | None = None
    if outcome != NOT_ELIGIBLE:
        estimate, lacking = amount.estimate(facts)
        if lacking is not None and lacking not in missing:
            missing.append(lacking)
    return Verdict(outcome, rule, estimate, tuple(dict.fromkeys(missing)))
