"""Eligibility clauses and amount rules of a policy item, as data, and their evaluation.

A clause is ``{field, op, value}`` over one enterprise fact (see `nengji.policy.fields`), with its
human wording and its source. Evaluating a clause against an enterprise's facts gives **pass**,
**fail** or **unknown** (the fact is missing: never assumed); an item is eligible when every
clause passes, not eligible when one fails, unknown otherwise (and then it names the missing
facts).

Why a small interpreter rather than a general rule library (rule-engine, JsonLogic): a clause
here must be explainable one by one (its wording, its threshold, the enterprise's value, the
gap), checked when the catalogue is read (a field that does not exist, a threshold of the wrong
type) and fast over 200 items × 10,000 enterprises. A fixed set of comparison operators on
named facts does all three in ~150 lines; a general expression language would make the first
two harder and is not needed by any policy text we have. Clauses are compiled once to Python
closures (`compile_clause`), so the matrix evaluates without re-parsing.

Pure Python: no Django, no database (the catalogue validator and the benchmarks use it alone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from nengji.policy.fields import FIELDS, FieldSpec

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
ELIGIBLE, NOT_ELIGIBLE = "eligible", "not_eligible"

#: operator → (field types it applies to, what its threshold must be)
OPERATORS: dict[str, tuple[frozenset[str], str]] = {
    ">=": (frozenset({"number", "date"}), "scalar"),
    ">": (frozenset({"number", "date"}), "scalar"),
    "<=": (frozenset({"number", "date"}), "scalar"),
    "<": (frozenset({"number", "date"}), "scalar"),
    "==": (frozenset({"number", "text", "date", "bool"}), "scalar"),
    "!=": (frozenset({"number", "text", "date", "bool"}), "scalar"),
    "in": (frozenset({"text"}), "list"),
    "not_in": (frozenset({"text"}), "list"),
    "prefix_in": (frozenset({"text"}), "list"),
    "contains": (frozenset({"set"}), "scalar"),
    "lacks": (frozenset({"set"}), "scalar"),
    "is_true": (frozenset({"bool"}), "none"),
    "is_false": (frozenset({"bool"}), "none"),
}

#: words for an operator in the generated explanation (the clause's own wording comes first)
OP_WORDS = {
    ">=": "≥",
    ">": ">",
    "<=": "≤",
    "<": "<",
    "==": "=",
    "!=": "≠",
    "in": "∈",
    "not_in": "∉",
    "prefix_in": "starts with one of",
    "contains": "includes",
    "lacks": "does not include",
    "is_true": "is true",
    "is_false": "is false",
}

CENT = Decimal("0.01")


class RuleError(ValueError):
    """A clause or amount rule that cannot be evaluated; ``field`` names the part at fault."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def to_decimal(raw: Any, *, field: str) -> Decimal:
    """An exact number from YAML or JSON (floats by their shortest repr), finite."""
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


def _threshold(spec: FieldSpec, op: str, raw: Any, where: str) -> Any:
    """The clause's threshold converted to the field's type, or a `RuleError` naming it."""
    types, shape = OPERATORS[op]
    if spec.type not in types:
        raise RuleError(
            f"{where}.op", f"operator {op!r} does not apply to {spec.type} field {spec.name!r}"
        )
    if shape == "none":
        if raw is not None:
            raise RuleError(f"{where}.value", f"operator {op!r} takes no value")
        return None
    if raw is None:
        raise RuleError(f"{where}.value", f"operator {op!r} needs a value")
    if shape == "list":
        if not isinstance(raw, list) or not raw or not all(isinstance(v, str) for v in raw):
            raise RuleError(f"{where}.value", "expected a non-empty list of texts")
        return frozenset(raw) if op != "prefix_in" else tuple(raw)
    if spec.type == "number":
        return to_decimal(raw, field=f"{where}.value")
    if spec.type == "date":
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError:
            raise RuleError(f"{where}.value", f"expected a date YYYY-MM-DD, got {raw!r}") from None
    if spec.type == "bool":
        if not isinstance(raw, bool):
            raise RuleError(f"{where}.value", f"expected true or false, got {raw!r}")
        return raw
    if spec.type == "set":
        if not isinstance(raw, str) or (spec.choices and raw not in spec.choices):
            allowed = ", ".join(sorted(spec.choices)) if spec.choices else "a text"
            raise RuleError(f"{where}.value", f"expected one of {allowed}, got {raw!r}")
        return raw
    if not isinstance(raw, str | int):
        raise RuleError(f"{where}.value", f"expected a text, got {raw!r}")
    return str(raw)


def _fact(spec: FieldSpec, raw: Any) -> Any:
    """An enterprise's fact in the field's type; None when missing or unreadable."""
    if raw is None or raw == "":
        return None
    try:
        if spec.type == "number":
            return raw if isinstance(raw, Decimal) else to_decimal(raw, field=spec.name)
        if spec.type == "date":
            return raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw))
        if spec.type == "bool":
            return bool(raw)
        if spec.type == "set":
            return frozenset(raw)
    except (RuleError, ValueError, TypeError):
        return None
    return str(raw)


def _test(op: str, value: Any, threshold: Any) -> bool:
    if op == ">=":
        return bool(value >= threshold)
    if op == ">":
        return bool(value > threshold)
    if op == "<=":
        return bool(value <= threshold)
    if op == "<":
        return bool(value < threshold)
    if op == "==":
        return bool(value == threshold)
    if op == "!=":
        return bool(value != threshold)
    if op == "in":
        return value in threshold
    if op == "not_in":
        return value not in threshold
    if op == "prefix_in":
        return any(str(value).startswith(p) for p in threshold)
    if op == "contains":
        return threshold in value
    if op == "lacks":
        return threshold not in value
    if op == "is_true":
        return value is True
    if op == "is_false":
        return value is False
    raise AssertionError(op)  # pragma: no cover - OPERATORS is checked first


@dataclass(frozen=True)
class ClauseResult:
    code: str
    outcome: str  # pass | fail | unknown
    field: str
    value: Any  # the enterprise's value (None when unknown)
    gap: Decimal | None  # for a failed numeric threshold: how far the value is from it

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "outcome": self.outcome,
            "field": self.field,
            "value": plain(self.value),
            "gap": plain(self.gap),
        }


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(value)
    return value


Evaluator = Callable[[Mapping[str, Any]], ClauseResult]


def compile_clause(clause: Mapping[str, Any], *, where: str = "clause") -> Evaluator:
    """A function of an enterprise's facts giving the clause's `ClauseResult`.

    Raises `RuleError` naming the clause's part at fault: an unknown field or operator, a
    threshold of the wrong type."""
    code = str(clause.get("code") or where)
    name = clause.get("field")
    spec = FIELDS.get(str(name)) if name is not None else None
    if spec is None:
        raise RuleError(f"{where}.field", f"unknown field {name!r}")
    op = clause.get("op")
    if op not in OPERATORS:
        raise RuleError(f"{where}.op", f"unknown operator {op!r}")
    threshold = _threshold(spec, str(op), clause.get("value"), where)
    numeric = spec.type == "number" and op in (">=", ">", "<=", "<")

    def evaluate(facts: Mapping[str, Any]) -> ClauseResult:
        value = _fact(spec, facts.get(spec.name))
        if value is None:
            return ClauseResult(code, UNKNOWN, spec.name, None, None)
        ok = _test(str(op), value, threshold)
        gap = None if ok or not numeric else abs(threshold - value)
        return ClauseResult(code, PASS if ok else FAIL, spec.name, value, gap)

    return evaluate


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
        base = _fact(FIELDS[self.of], facts.get(self.of))
        if base is None:
            return None, self.of
        if self.rule == "ratio":
            assert self.rate is not None
            amount = (base * self.rate).quantize(CENT, rounding=ROUND_HALF_UP)
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
    spec = FIELDS.get(str(of)) if of is not None else None
    if spec is None or spec.type != "number":
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
    clauses: tuple[ClauseResult, ...]
    amount: Decimal | None
    missing: tuple[str, ...] = field(default=())

    @property
    def not_passed(self) -> int:
        return sum(1 for c in self.clauses if c.outcome != PASS)


def verdict_of(
    evaluators: tuple[Evaluator, ...], amount: AmountRule, facts: Mapping[str, Any]
) -> Verdict:
    """Every clause's result, the item's outcome and (when not excluded) the estimated sum."""
    results = tuple(e(facts) for e in evaluators)
    missing = [c.field for c in results if c.outcome == UNKNOWN]
    if any(c.outcome == FAIL for c in results):
        outcome = NOT_ELIGIBLE
    elif missing:
        outcome = UNKNOWN
    else:
        outcome = ELIGIBLE
    estimate: Decimal | None = None
    if outcome != NOT_ELIGIBLE:
        estimate, lacking = amount.estimate(facts)
        if lacking is not None and lacking not in missing:
            missing.append(lacking)
    return Verdict(outcome, results, estimate, tuple(dict.fromkeys(missing)))
