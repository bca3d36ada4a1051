"""Rules as data, evaluated so a person can follow them: each clause passes, fails, or is
*unknown* (a fact it needs is missing; never assumed), with the fact's value, the threshold,
the gap to pass and its source.

A rule is a list of clauses (or one group). A clause is a mapping, as it is written in a plan
package's YAML; three shapes:

**Leaf** — compare one fact with a value::

    {id: hte-st-staff, fact: st_staff_share, op: ">=", value: 10,
     label: 科技人员占比, source: 《高新技术企业认定管理办法》(2016) 第十一条第四项}

``op`` is one of ``>= > <= < == !=`` (numbers, or ``==``/``!=`` on text and booleans),
``in``/``not_in`` (the fact is one of ``value``, a list), ``contains``/``not_contains``
(``value`` is one of the fact, a list: e.g. ``designations``). Instead of ``value`` a threshold
may depend on another fact, by bands of it (first band whose ``upto`` is ≥ that fact; ``upto:
null`` is the last, open band)::

    {id: hte-rd, fact: rd_intensity_3y, op: ">=",
     bands: {fact: revenue, upto: [[5000, 5], [20000, 4], [null, 3]]}, source: …}

**Group** — ``all`` (every clause passes) or ``any`` (at least one passes)::

    {id: ts-direct, any: [ {…}, {…} ], label: 直接认定, source: …}

**Score** — points from bands of facts, summed, compared with ``value``::

    {id: ts-score, op: ">=", value: 60, source: …,
     score: [ {fact: st_staff_share, points: [[30, 20], [25, 16], [20, 12], [15, 8], [10, 4]]},
              {best_of: [ {fact: rd_intensity, points: [[6, 50], [5, 40], …]},
                          {fact: rd_cost_share, points: [[30, 50], …]} ]} ]}

``points`` rows are ``[lowest value (inclusive), points]``, highest first; below every row
the part scores 0. With ``direction: down`` (lower is better, e.g. a debt ratio) rows are
``[upper bound (exclusive), points]``, lowest first; at or above every bound the part scores 0.
An unknown fact makes its part range from 0 to its best points: the score
passes when it passes even at the low end, fails when it fails even at the high end, else
is unknown.

Every clause needs an ``id`` (unique within its rule) and a ``source`` (the document and
article it encodes); ``label`` (what it checks, in words) and ``note`` are optional. An
unknown fact name is allowed (another app may supply it): its value is then missing unless
the caller's facts carry it.

`clauses_check` validates rules when a package is read; `rule_evaluate` answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nengji.registry.facts import FACTS, fact_spec

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
NUMERIC_OPS = (">=", ">", "<=", "<")
OPS = (*NUMERIC_OPS, "==", "!=", "in", "not_in", "contains", "not_contains")


@dataclass
class ClauseResult:
    """The answer for one clause (and, for groups and scores, for each part)."""

    id: str
    status: str
    label: str
    source: str = ""
    fact: str | None = None
    op: str | None = None
    required: Any = None
    value: Any = None
    words: str = ""
    gap: dict[str, Any] | None = None
    children: list[ClauseResult] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (Decimals as plain strings)."""
        return {
            "id": self.id,
            "status": self.status,
            "label": self.label,
            "source": self.source,
            "fact": self.fact,
            "op": self.op,
            "required": _json(self.required),
            "value": _json(self.value),
            "words": self.words,
            "gap": _json(self.gap),
            "children": [c.as_dict() for c in self.children],
        }


@dataclass
class RuleResult:
    """A rule's clauses, and the rule's own status: pass when every clause passes, fail when
    one fails, else unknown."""

    status: str
    clauses: list[ClauseResult]

    @property
    def failing(self) -> list[ClauseResult]:
        return [c for c in self.clauses if c.status == FAIL]

    @property
    def unknown(self) -> list[ClauseResult]:
        return [c for c in self.clauses if c.status == UNKNOWN]

    @property
    def one_away(self) -> bool:
        """Exactly one clause fails and none is unknown: the 培育库's candidates."""
        return len(self.failing) == 1 and not self.unknown

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "clauses": [c.as_dict() for c in self.clauses]}


# ------------------------------------------------------------------------------------------
# checking


def clauses_check(rule: Any, *, where: str = "") -> list[str]:
    """Every problem of a rule (a list of clauses or one clause), each as ``path: message``;
    an empty list when it can be evaluated."""
    problems: list[str] = []
    clauses = rule if isinstance(rule, list) else [rule]
    seen: set[str] = set()
    for i, clause in enumerate(clauses):
        _check(clause, f"{where}[{i}]", problems, seen, top=True)
    return problems


def _check(clause: Any, path: str, problems: list[str], seen: set[str], *, top: bool) -> None:
    if not isinstance(clause, Mapping):
        problems.append(f"{path}: a clause is a mapping")
        return
    cid = clause.get("id")
    if not isinstance(cid, str) or not cid.strip():
        problems.append(f"{path}: needs an id")
    elif cid in seen:
        problems.append(f"{path}: id {cid!r} is used twice")
    else:
        seen.add(cid)
    if top and not str(clause.get("source") or "").strip():
        problems.append(f"{path}: needs a source (the document and article it encodes)")
    shapes = [k for k in ("all", "any", "score", "fact") if k in clause]
    if len(shapes) != 1:
        problems.append(f"{path}: needs exactly one of fact, all, any, score")
        return
    shape = shapes[0]
    if shape in ("all", "any"):
        parts = clause[shape]
        if not isinstance(parts, list) or not parts:
            problems.append(f"{path}.{shape}: a non-empty list of clauses")
            return
        for j, part in enumerate(parts):
            _check(part, f"{path}.{shape}[{j}]", problems, seen, top=False)
        return
    op = clause.get("op")
    if shape == "score":
        if op not in NUMERIC_OPS or _number(clause.get("value")) is None:
            problems.append(f"{path}: a score needs op (>=, >, <=, <) and a number value")
        parts = clause["score"]
        if not isinstance(parts, list) or not parts:
            problems.append(f"{path}.score: a non-empty list of parts")
            return
        for j, part in enumerate(parts):
            _check_part(part, f"{path}.score[{j}]", problems)
        return
    if not isinstance(clause.get("fact"), str) or not clause["fact"]:
        problems.append(f"{path}.fact: a fact name")
    if op not in OPS:
        problems.append(f"{path}.op: one of {', '.join(OPS)}")
        return
    has_value, has_bands = "value" in clause, "bands" in clause
    if has_value == has_bands:
        problems.append(f"{path}: needs value or bands (one of them)")
        return
    if has_bands:
        if op not in NUMERIC_OPS:
            problems.append(f"{path}.bands: only with >=, >, <=, <")
        _check_bands(clause["bands"], f"{path}.bands", problems)
        return
    value = clause["value"]
    if op in NUMERIC_OPS and _number(value) is None:
        problems.append(f"{path}.value: a number")
    if op in ("in", "not_in") and not isinstance(value, list):
        problems.append(f"{path}.value: a list")


def _check_bands(bands: Any, path: str, problems: list[str]) -> None:
    if not isinstance(bands, Mapping) or not isinstance(bands.get("fact"), str):
        problems.append(f"{path}: a mapping with fact and upto")
        return
    rows = bands.get("upto")
    if not isinstance(rows, list) or not rows:
        problems.append(f"{path}.upto: a non-empty list of [upper bound or null, threshold]")
        return
    last = None
    for k, row in enumerate(rows):
        if not (isinstance(row, list) and len(row) == 2) or _number(row[1]) is None:
            problems.append(f"{path}.upto[{k}]: [upper bound or null, threshold]")
            return
        bound = row[0]
        if bound is None:
            if k != len(rows) - 1:
                problems.append(f"{path}.upto[{k}]: only the last band is open (null)")
            continue
        b = _number(bound)
        if b is None or (last is not None and b <= last):
            problems.append(f"{path}.upto[{k}]: upper bounds must be numbers, increasing")
            return
        last = b


def _check_part(part: Any, path: str, problems: list[str]) -> None:
    if not isinstance(part, Mapping):
        problems.append(f"{path}: a mapping")
        return
    if "best_of" in part:
        options = part["best_of"]
        if not isinstance(options, list) or not options:
            problems.append(f"{path}.best_of: a non-empty list of parts")
            return
        for j, option in enumerate(options):
            _check_part(option, f"{path}.best_of[{j}]", problems)
        return
    if not isinstance(part.get("fact"), str):
        problems.append(f"{path}.fact: a fact name")
    down = part.get("direction", "up")
    if down not in ("up", "down"):
        problems.append(f"{path}.direction: up or down")
        return
    rows = part.get("points")
    if not isinstance(rows, list) or not rows:
        problems.append(f"{path}.points: a non-empty list of [bound, points]")
        return
    last = None
    for k, row in enumerate(rows):
        ok = isinstance(row, list) and len(row) == 2
        lo, pts = (_number(row[0]), _number(row[1])) if ok else (None, None)
        if lo is None or pts is None or pts < 0:
            problems.append(f"{path}.points[{k}]: [bound, points ≥ 0]")
            return
        if last is not None and down == "up" and lo >= last:
            problems.append(f"{path}.points[{k}]: lowest values must decrease")
            return
        if last is not None and down == "down" and lo <= last:
            problems.append(f"{path}.points[{k}]: upper bounds must increase")
            return
        last = lo


# ------------------------------------------------------------------------------------------
# evaluating


def rule_evaluate(rule: Any, facts: Mapping[str, Any]) -> RuleResult:
    """Evaluate a checked rule (a list of clauses or one clause) against `facts`."""
    clauses = rule if isinstance(rule, list) else [rule]
    results = [clause_evaluate(c, facts) for c in clauses]
    return RuleResult(status=_all([r.status for r in results]), clauses=results)


def clause_evaluate(clause: Mapping[str, Any], facts: Mapping[str, Any]) -> ClauseResult:
    if "all" in clause or "any" in clause:
        return _group(clause, facts)
    if "score" in clause:
        return _score(clause, facts)
    return _leaf(clause, facts)


def _all(statuses: Sequence[str]) -> str:
    if FAIL in statuses:
        return FAIL
    return PASS if all(s == PASS for s in statuses) else UNKNOWN


def _any(statuses: Sequence[str]) -> str:
    if PASS in statuses:
        return PASS
    return FAIL if all(s == FAIL for s in statuses) else UNKNOWN


def _base(clause: Mapping[str, Any], status: str, default_label: str) -> ClauseResult:
    return ClauseResult(
        id=str(clause.get("id", "")),
        status=status,
        label=str(clause.get("label") or default_label),
        source=str(clause.get("source") or ""),
    )


def _group(clause: Mapping[str, Any], facts: Mapping[str, Any]) -> ClauseResult:
    kind = "all" if "all" in clause else "any"
    children = [clause_evaluate(c, facts) for c in clause[kind]]
    statuses = [c.status for c in children]
    status = _all(statuses) if kind == "all" else _any(statuses)
    result = _base(clause, status, _("all of") if kind == "all" else _("any of"))
    result.op = kind
    result.children = children
    counts = {s: statuses.count(s) for s in (PASS, FAIL, UNKNOWN)}
    result.words = _("%(label)s: %(p)d passed, %(f)d failed, %(u)d unknown.") % {
        "label": result.label,
        "p": counts[PASS],
        "f": counts[FAIL],
        "u": counts[UNKNOWN],
    }
    return result


def _threshold(clause: Mapping[str, Any], facts: Mapping[str, Any]) -> tuple[Any, str]:
    """The clause's threshold (None when it depends on an unknown fact) and, for bands, which
    band applied, in words."""
    if "value" in clause:
        value = clause["value"]
        number = _number(value) if not isinstance(value, bool | str | list) else None
        return (number if number is not None else value), ""
    bands = clause["bands"]
    basis = _number(facts.get(bands["fact"]))
    spec = fact_spec(bands["fact"])
    if basis is None:
        return None, _("the threshold depends on %(label)s, which is not known") % {
            "label": spec.label
        }
    for bound, threshold in bands["upto"]:
        if bound is None or basis <= _number(bound):  # type: ignore[operator]
            band = (
                _("%(label)s %(v)s %(unit)s ≤ %(b)s")
                % {
                    "label": spec.label,
                    "v": fmt(basis),
                    "unit": spec.unit,
                    "b": fmt(_number(bound)),
                }
                if bound is not None
                else _("%(label)s %(v)s %(unit)s, the top band")
                % {"label": spec.label, "v": fmt(basis), "unit": spec.unit}
            )
            return _number(threshold), band
    return None, ""


def _compare(op: str, value: Any, required: Any) -> bool | None:
    """The comparison, or None when it cannot be made (missing or mistyped value)."""
    if value is None or required is None:
        return None
    if op in NUMERIC_OPS:
        v, r = _number(value), _number(required)
        if v is None or r is None:
            return None
        return {">=": v >= r, ">": v > r, "<=": v <= r, "<": v < r}[op]
    if op in ("==", "!="):
        same = _same(value, required)
        return same if op == "==" else not same
    if op in ("in", "not_in"):
        inside = any(_same(value, r) for r in required)
        return inside if op == "in" else not inside
    if not isinstance(value, list | tuple | set | frozenset):
        return None
    inside = any(_same(v, required) for v in value)
    return inside if op == "contains" else not inside


def _same(a: Any, b: Any) -> bool:
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None and not isinstance(a, bool) and not isinstance(b, bool):
        return na == nb
    return bool(a == b)


def _leaf(clause: Mapping[str, Any], facts: Mapping[str, Any]) -> ClauseResult:
    name = clause["fact"]
    spec = fact_spec(name)
    op = clause["op"]
    value = facts.get(name)
    required, band = _threshold(clause, facts)
    outcome = _compare(op, value, required)
    status = UNKNOWN if outcome is None else (PASS if outcome else FAIL)
    label = _fact_label(name, spec, clause)
    result = _base(clause, status, label)
    result.fact, result.op, result.required, result.value = name, op, required, value
    if op not in NUMERIC_OPS:
        result.words = _words_of_kind(name, op, value, required, label)
        return result
    shown = {
        "label": label,
        "value": _shown(value, spec.unit),
        "op": SYMBOLS[op],
        "required": _shown(required, spec.unit),
    }
    if value is None:
        result.words = _("%(label)s is not known (needs %(op)s %(required)s).") % shown
    elif required is None:
        result.words = _("%(label)s is %(value)s; %(band)s.") % {**shown, "band": band}
    else:
        result.words = _("%(label)s is %(value)s, needs %(op)s %(required)s.") % shown
        if band:
            result.words += " " + _("(Threshold for %(band)s.)") % {"band": band}
    if status == FAIL:
        result.gap = _gap(spec, op, _number(value), _number(required), facts)
        if result.gap and result.gap.get("words"):
            result.words += " " + result.gap["words"]
    return result


#: comparison signs as people write them
SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def _fact_label(name: str, spec: Any, clause: Mapping[str, Any]) -> str:
    """The fact's catalogued label; for a fact another app supplies (not catalogued here),
    the clause's own label rather than the bare name."""
    if name in FACTS or name.startswith("has_"):
        return str(spec.label)
    if get_language().startswith("en") and clause.get("label_en"):
        return str(clause["label_en"])
    return str(clause.get("label") or name)


def _kind_label(code: Any) -> str:
    """A designation kind's name for a code (高新技术企业 for ``high_tech``)."""
    from nengji.registry.models import DesignationKind

    if isinstance(code, str) and code in DesignationKind.values:
        return str(DesignationKind(code).label)
    return _shown(code, "")


def _words_of_kind(name: str, op: str, value: Any, required: Any, label: str) -> str:
    """Words for the comparisons of booleans, codes and lists (``==``, ``!=``, ``in``,
    ``not_in``, ``contains``, ``not_contains``): “注册在本区：否（应为是）”,
    “有效资质：科技型中小企业（需包含高新技术企业）”; designation codes by their names."""
    codes = name == "designations"
    if op == "!=" and isinstance(required, bool):
        op, required = "==", not required  # “≠ no” reads as “needs yes”

    def one(v: Any) -> str:
        return _kind_label(v) if codes else _shown(v, "")

    def many(vs: Any) -> str:
        if not isinstance(vs, list | tuple | set | frozenset):
            return one(vs)
        return _(", ").join(one(v) for v in vs) or _("none")

    r = many(required) if op in ("in", "not_in") else one(required)
    need = {
        "==": _("needs %(r)s"),
        "!=": _("needs anything but %(r)s"),
        "in": _("needs one of %(r)s"),
        "not_in": _("needs none of %(r)s"),
        "contains": _("needs %(r)s among them"),
        "not_contains": _("must not include %(r)s"),
    }[op] % {"r": r}
    if value is None:
        return _("%(label)s is not known (%(need)s).") % {"label": label, "need": need}
    if isinstance(value, bool | list | tuple | set | frozenset):
        return _("%(label)s: %(value)s (%(need)s).") % {
            "label": label,
            "value": many(value),
            "need": need,
        }
    return _("%(label)s is %(value)s (%(need)s).") % {
        "label": label,
        "value": one(value),
        "need": need,
    }


def _gap(
    spec: Any, op: str, value: Decimal | None, required: Decimal | None, facts: Mapping[str, Any]
) -> dict[str, Any] | None:
    """How far the fact is from passing and, for a ratio, how much of its numerator would
    close the gap at today's denominator."""
    if value is None or required is None:
        return None
    difference = required - value  # positive: must rise; negative: must fall
    gap: dict[str, Any] = {"difference": difference}
    if spec.ratio_of:
        num_name, den_name = spec.ratio_of
        num, den = _number(facts.get(num_name)), _number(facts.get(den_name))
        change: Decimal | None = None
        if num is not None and den is not None and den > 0:
            try:
                change = (required * den / Decimal(100) - num).quantize(Decimal("0.01"))
            except InvalidOperation:  # beyond precision (not a registry figure): no estimate
                change = None
        if change is not None:
            nspec = fact_spec(num_name)
            gap.update({"fact": num_name, "change": change, "unit": str(nspec.unit)})
            words = (
                _("About %(n)s %(unit)s more %(label)s would pass.")
                if change > 0
                else _("About %(n)s %(unit)s less %(label)s would pass.")
            )
            gap["words"] = words % {"n": fmt(abs(change)), "unit": nspec.unit, "label": nspec.label}
            return gap
    words = _("Short by %(n)s %(unit)s.") if difference > 0 else _("Over by %(n)s %(unit)s.")
    gap["words"] = words % {"n": fmt(abs(difference)), "unit": spec.unit}
    return gap


def _part_points(
    part: Mapping[str, Any], facts: Mapping[str, Any]
) -> tuple[Decimal | None, Decimal, ClauseResult]:
    """(points, best possible points, its explanation); points None when unknown."""
    if "best_of" in part:
        options = [_part_points(p, facts) for p in part["best_of"]]
        known = [pts for pts, _best, _r in options if pts is not None]
        best = max(b for _p, b, _r in options)
        if len(known) == len(options):
            points: Decimal | None = max(known)
        elif known and max(known) >= best:
            points = max(known)
        else:
            points = None
        res = ClauseResult(
            id="",
            status=UNKNOWN if points is None else PASS,
            label=str(part.get("label") or _("best of")),
            op="best_of",
            value=points,
            children=[r for _p, _b, r in options],
        )
        res.words = _("%(label)s: %(p)s points.") % {"label": res.label, "p": _shown(points, "")}
        return points, best, res
    name = part["fact"]
    spec = fact_spec(name)
    rows = [(_number(lo), _number(pts)) for lo, pts in part["points"]]
    best = max(p for _lo, p in rows if p is not None)
    value = _number(facts.get(name))
    points = None
    if value is not None and part.get("direction", "up") == "down":
        points = next((p for hi, p in rows if hi is not None and value < hi), Decimal(0))
    elif value is not None:
        points = next((p for lo, p in rows if lo is not None and value >= lo), Decimal(0))
    res = ClauseResult(
        id="",
        status=UNKNOWN if points is None else PASS,
        label=str(part.get("label") or spec.label),
        fact=name,
        value=facts.get(name),
        required=points,
    )
    res.words = (
        _("%(label)s is not known (up to %(best)s points).")
        % {"label": res.label, "best": fmt(best)}
        if points is None
        else _("%(label)s is %(value)s: %(p)s points.")
        % {"label": res.label, "value": _shown(facts.get(name), spec.unit), "p": fmt(points)}
    )
    return points, best, res


def _score(clause: Mapping[str, Any], facts: Mapping[str, Any]) -> ClauseResult:
    parts = [_part_points(p, facts) for p in clause["score"]]
    low = sum((p if p is not None else Decimal(0) for p, _b, _r in parts), Decimal(0))
    high = sum((p if p is not None else b for p, b, _r in parts), Decimal(0))
    op = clause["op"]
    required = _number(clause["value"])
    at_low, at_high = _compare(op, low, required), _compare(op, high, required)
    if at_low and at_high:
        status = PASS
    elif not at_low and not at_high:
        status = FAIL
    else:
        status = UNKNOWN
    result = _base(clause, status, _("score"))
    result.op, result.required, result.children = op, required, [r for _p, _b, r in parts]
    result.value = low if low == high else None
    if low == high:
        result.words = _("Score %(s)s, needs %(op)s %(r)s.") % {
            "s": fmt(low),
            "op": op,
            "r": fmt(required),
        }
        if status == FAIL and required is not None:
            result.gap = {"difference": required - low}
            result.words += " " + _("Short by %(n)s points.") % {"n": fmt(required - low)}
    else:
        result.words = _(
            "Score between %(lo)s and %(hi)s (some facts unknown), needs %(op)s %(r)s."
        ) % {
            "lo": fmt(low),
            "hi": fmt(high),
            "op": op,
            "r": fmt(required),
        }
    return result


# ------------------------------------------------------------------------------------------
# numbers


def _number(value: Any) -> Decimal | None:
    """A Decimal for numbers (not booleans), else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        try:
            d = Decimal(repr(value))
        except InvalidOperation:
            return None
        return d if d.is_finite() else None
    return None


def fmt(value: Decimal | None) -> str:
    """A number for people: at most 2 places, no trailing zeros."""
    if value is None:
        return "—"
    try:
        q = value.quantize(Decimal("0.01"))
    except InvalidOperation:  # beyond the context's precision: shown as it is
        return str(value)
    text = format(q, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _shown(value: Any, unit: Any) -> str:
    if value is None:
        return "—"
    number = _number(value)
    if number is not None:
        unit = str(unit)
        return f"{fmt(number)} {unit}".strip() if unit != "%" else f"{fmt(number)} %"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value) or "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return fmt(value) if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


# ------------------------------------------------------------------------------------------
# status only, fast: the matrix, the office's lists, the push list


#: status codes of the fast path (int8 arrays): FAIL 0, PASS 1, UNKNOWN 2
CODE = {FAIL: 0, PASS: 1, UNKNOWN: 2}
STATUS_OF = (FAIL, PASS, UNKNOWN)
_F, _P, _U = 0, 1, 2


def all_code(codes: Sequence[int]) -> int:
    """A rule's status code from its clauses' codes (as `_all`)."""
    if _F in codes:
        return _F
    return _P if all(c == _P for c in codes) else _U


def _any_code(codes: Sequence[int]) -> int:
    if _P in codes:
        return _P
    return _F if all(c == _F for c in codes) else _U


def _required(clause: Mapping[str, Any], facts: Mapping[str, Any]) -> Any:
    """`_threshold` without the words."""
    if "value" in clause:
        value = clause["value"]
        number = _number(value) if not isinstance(value, bool | str | list) else None
        return number if number is not None else value
    bands = clause["bands"]
    basis = _number(facts.get(bands["fact"]))
    if basis is None:
        return None
    for bound, threshold in bands["upto"]:
        if bound is None or basis <= _number(bound):  # type: ignore[operator]
            return _number(threshold)
    return None


def _score_status(clause: Mapping[str, Any], facts: Mapping[str, Any]) -> int:
    """`_score` without the words."""

    def points(part: Mapping[str, Any]) -> tuple[Decimal | None, Decimal]:
        if "best_of" in part:
            options = [points(p) for p in part["best_of"]]
            known = [pts for pts, _best in options if pts is not None]
            best = max(b for _p, b in options)
            if known and (len(known) == len(options) or max(known) >= best):
                return max(known), best
            return None, best
        rows = [(_number(lo), _number(pts)) for lo, pts in part["points"]]
        best = max(p for _lo, p in rows if p is not None)
        value = _number(facts.get(part["fact"]))
        if value is None:
            return None, best
        if part.get("direction", "up") == "down":
            return next((p for hi, p in rows if hi is not None and value < hi), Decimal(0)), best
        return next((p for lo, p in rows if lo is not None and value >= lo), Decimal(0)), best

    parts = [points(p) for p in clause["score"]]
    low = sum((p if p is not None else Decimal(0) for p, _b in parts), Decimal(0))
    high = sum((p if p is not None else b for p, b in parts), Decimal(0))
    required = _number(clause["value"])
    at_low = _compare(clause["op"], low, required)
    at_high = _compare(clause["op"], high, required)
    if at_low and at_high:
        return _P
    if not at_low and not at_high:
        return _F
    return _U


def _status_fn(clause: Mapping[str, Any]) -> Any:
    """A function facts → status code for one clause: the same decisions as
    `clause_evaluate`, without building results or words."""
    if "all" in clause or "any" in clause:
        kind = "all" if "all" in clause else "any"
        children = [_status_fn(c) for c in clause[kind]]
        combine = all_code if kind == "all" else _any_code
        return lambda facts: combine([f(facts) for f in children])
    if "score" in clause:
        return lambda facts: _score_status(clause, facts)
    name, op = clause["fact"], clause["op"]
    if "value" in clause:
        required = _required(clause, {})

        def leaf(facts: Mapping[str, Any]) -> int:
            outcome = _compare(op, facts.get(name), required)
            return _U if outcome is None else (_P if outcome else _F)

        return leaf

    def banded(facts: Mapping[str, Any]) -> int:
        outcome = _compare(op, facts.get(name), _required(clause, facts))
        return _U if outcome is None else (_P if outcome else _F)

    return banded


class FactTable:
    """The facts of many enterprises as columns, for evaluating a clause over all of them at
    once. Columns are built on first use and kept: numbers as float64 (NaN when unknown) next
    to the exact values; other facts factorised (each distinct value once)."""

    def __init__(self, rows: Sequence[Mapping[str, Any]]) -> None:
        self.rows = list(rows)
        self.n = len(self.rows)
        self._numbers: dict[str, Any] = {}
        self._factors: dict[str, tuple[Any, list[Any]] | None] = {}

    def values(self, name: str) -> list[Any]:
        return [r.get(name) for r in self.rows]

    def numbers(self, name: str) -> Any:
        """float64 array of the fact as the engine reads numbers (`_number`); NaN when it is
        not a number. Floats are correctly rounded, so they order like the exact values
        except where two of them round to the same float (see `_ties`)."""
        import numpy as np

        found = self._numbers.get(name)
        if found is None:
            out = np.full(self.n, np.nan)
            for i, r in enumerate(self.rows):
                d = _number(r.get(name))
                if d is not None:
                    out[i] = float(d)
            found = self._numbers[name] = out
        return found

    def factors(self, name: str) -> tuple[Any, list[Any]] | None:
        """(code per row, distinct values), or None when a value cannot be hashed."""
        import numpy as np

        if name not in self._factors:
            index: dict[Any, int] = {}
            uniques: list[Any] = []
            codes = np.empty(self.n, dtype=np.int64)
            try:
                for i, r in enumerate(self.rows):
                    v = r.get(name)
                    key = _key(v)
                    k = index.get(key)
                    if k is None:
                        k = index[key] = len(uniques)
                        uniques.append(v)
                    codes[i] = k
                self._factors[name] = (codes, uniques)
            except TypeError:
                self._factors[name] = None
        return self._factors[name]


def _key(value: Any) -> Any:
    """A hashable key under which two values are the same to every comparison: the type is
    part of it (True and 1 compare differently here)."""
    if isinstance(value, list | tuple):
        return (type(value), tuple(_key(v) for v in value))
    if isinstance(value, set | frozenset):
        return (type(value), frozenset(_key(v) for v in value))
    hash(value)
    return (type(value), value)


_NP_OPS = {
    ">=": "greater_equal",
    ">": "greater",
    "<=": "less_equal",
    "<": "less",
}


class CompiledRule:
    """A checked rule compiled once: its status for one enterprise (`status`, `codes`) or for
    every row of a `FactTable` (`table_codes`), with exactly the decisions of `rule_evaluate`
    (tests/registry/test_clauses_fast.py checks this on random facts) and none of its words.
    Ask `rule_evaluate` for the words of what a page shows."""

    def __init__(self, rule: Any) -> None:
        self.clauses: list[Mapping[str, Any]] = list(rule if isinstance(rule, list) else [rule])
        self.ids = [str(c.get("id", "")) for c in self.clauses]
        self._fns = [_status_fn(c) for c in self.clauses]

    # one enterprise

    def codes(self, facts: Mapping[str, Any]) -> list[int]:
        """Each top-level clause's status code."""
        return [f(facts) for f in self._fns]

    def status(self, facts: Mapping[str, Any]) -> str:
        return STATUS_OF[all_code(self.codes(facts))]

    # many enterprises

    def table_codes(self, table: FactTable) -> Any:
        """int8 array (clauses × rows) of status codes."""
        import numpy as np

        out = np.empty((len(self.clauses), table.n), dtype=np.int8)
        for k, clause in enumerate(self.clauses):
            out[k] = _column(clause, table)
        return out


def rule_compile(rule: Any) -> CompiledRule:
    """A checked rule (`clauses_check` found nothing) ready for status-only evaluation."""
    return CompiledRule(rule)


def codes_status(codes: Any) -> Any:
    """Per row, the rule's status code from its clauses' codes (clauses × rows): fail when one
    fails, pass when all pass, else unknown."""
    import numpy as np

    if codes.shape[0] == 0:
        return np.full(codes.shape[1], _P, dtype=np.int8)
    any_fail = (codes == _F).any(axis=0)
    all_pass = (codes == _P).all(axis=0)
    return np.where(any_fail, _F, np.where(all_pass, _P, _U)).astype(np.int8)


def _rows(fn: Any, table: FactTable, rows: Any = None) -> Any:
    """The scalar path for some rows (all when `rows` is None)."""
    import numpy as np

    if rows is None:
        return np.fromiter((fn(r) for r in table.rows), dtype=np.int8, count=table.n)
    return np.fromiter((fn(table.rows[i]) for i in rows), dtype=np.int8, count=len(rows))


def _column(clause: Mapping[str, Any], table: FactTable) -> Any:
    """One clause's status codes over every row of the table."""
    import numpy as np

    if "all" in clause or "any" in clause:
        kind = "all" if "all" in clause else "any"
        parts = np.stack([_column(c, table) for c in clause[kind]])
        if kind == "all":
            return codes_status(parts)
        any_pass = (parts == _P).any(axis=0)
        all_fail = (parts == _F).all(axis=0)
        return np.where(any_pass, _P, np.where(all_fail, _F, _U)).astype(np.int8)
    fn = _status_fn(clause)
    if "score" in clause:
        return _rows(fn, table)
    name, op = clause["fact"], clause["op"]
    if op not in NUMERIC_OPS and "bands" in clause:
        return _rows(fn, table)  # not a checked rule; the scalar path decides as the engine
    if op not in NUMERIC_OPS:
        # few distinct values (booleans, codes, lists of designations): decide each once
        factors = table.factors(name)
        if factors is None:
            return _rows(fn, table)
        codes, uniques = factors
        decided = np.array([fn({name: u}) for u in uniques] or [_U], dtype=np.int8)
        return decided[codes]
    value = table.numbers(name)
    if "value" in clause:
        required = _number(_required(clause, {}))
        if required is None:
            return np.full(table.n, _U, dtype=np.int8)
        threshold = np.full(table.n, float(required))
        unsure = np.zeros(table.n, dtype=bool)
    else:
        bands = clause["bands"]
        rows = [(_number(b) if b is not None else None, _number(t)) for b, t in bands["upto"]]
        if any((b is None and i != len(rows) - 1) for i, (b, _t) in enumerate(rows)) or any(
            t is None for _b, t in rows
        ):
            return _rows(fn, table)
        basis = table.numbers(bands["fact"])
        threshold = np.full(table.n, np.nan)
        unsure = np.zeros(table.n, dtype=bool)
        placed = np.isnan(basis)
        for bound, t in rows:
            if bound is None:
                hit = ~placed
            else:
                fb = float(bound)
                hit = ~placed & (basis <= fb)
                unsure |= basis == fb  # float ties: decided exactly below
            threshold[hit] = float(t)  # type: ignore[arg-type]
            placed |= hit
    with np.errstate(invalid="ignore"):
        passed = getattr(np, _NP_OPS[op])(value, threshold)
    known = ~np.isnan(value) & ~np.isnan(threshold)
    out = np.where(known, np.where(passed, _P, _F), _U).astype(np.int8)
    unsure |= known & (value == threshold)
    ties = np.flatnonzero(unsure)
    if len(ties):
        out[ties] = _rows(fn, table, ties)
    return out
