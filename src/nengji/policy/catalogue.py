"""Read and validate a policy catalogue (``<plan package>/policy/catalogue.yaml``); no database
(Django set up: the fact catalogue and the clause checks are the registry's).

The catalogue is the plan's “1+6+4” policy system as data: its groups (with the plan sentence
that names the system), the policy documents (文号, issuer, level, dates, text) and their items,
each item with its eligibility clauses (`nengji.policy.rules`), its amount rule and its
application window. Format: docs/plan-package.md, section “policy/”.

`catalogue_read(path)` returns a `Catalogue` or raises `PackageInvalid` with *every* error,
each naming the file, line, and the item/clause/field at fault, like `plan validate` does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from nengji.plan.package import KEY_LINES, LINE, PackageError, PackageInvalid, Span
from nengji.policy.rules import (
    AmountRule,
    RuleError,
    amount_rule_read,
    clause_problems,
    to_decimal,
)

FOLDER = "policy"
CATALOGUE_FILE = "catalogue.yaml"
MAX_BYTES = 5 * 1024 * 1024  # a catalogue is text; anything larger is refused before parsing

TIERS = ("catalogue", "main", "supporting")  # the 1, the 6 and the 4
LEVELS = ("national", "city", "district")
DOC_STATUSES = ("in_force", "expired", "draft")
ITEM_KINDS = ("subsidy", "reward", "interest_subsidy", "rent_relief", "tax_benefit", "other")


@dataclass(frozen=True)
class Group:
    code: str
    tier: str
    order: int
    name_zh: str
    name_en: str
    is_demo: bool
    line: int | None


@dataclass(frozen=True)
class Document:
    code: str
    title_zh: str
    title_en: str
    doc_number: str
    issuer_zh: str
    level: str
    issued_on: dt.date | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    status: str
    group: str | None
    url: str
    text: str
    is_demo: bool
    line: int | None


@dataclass(frozen=True)
class Clause:
    """One eligibility clause: its data (the registry's clause format) and where it comes
    from (the article of its document, and the sentence it encodes when the text is at hand)."""

    code: str
    label: str
    label_en: str
    article: str
    quote: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Item:
    code: str
    document: str
    group: str
    title_zh: str
    title_en: str
    kind: str
    article: str
    max_amount: Decimal | None
    amount: AmountRule
    opens: dt.date | None
    closes: dt.date | None
    period: str
    auto_grant: bool
    clauses: tuple[Clause, ...]
    is_demo: bool
    line: int | None


@dataclass(frozen=True)
class Programme:
    """A financing instrument the plan names: a risk-compensation pool or a policy product."""

    code: str
    kind: str  # pool | product
    name_zh: str
    name_en: str
    source: Span | None
    parameters: dict[str, Decimal | str]
    institutions: tuple[str, ...]
    is_demo: bool


@dataclass(frozen=True)
class Catalogue:
    file: str
    system_span: Span | None
    groups: tuple[Group, ...]
    documents: tuple[Document, ...]
    items: tuple[Item, ...]
    programmes: tuple[Programme, ...] = ()

    def summary(self) -> str:
        tiers = {t: sum(1 for g in self.groups if g.tier == t) for t in TIERS}
        return (
            f"{tiers['catalogue']}+{tiers['main']}+{tiers['supporting']} groups, "
            f"{len(self.documents)} documents, {len(self.items)} items, "
            f"{sum(len(i.clauses) for i in self.items)} clauses"
        )


class _Loader(yaml.SafeLoader):
    """Safe YAML that records the line of every mapping and of each key (errors name lines)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys: dict[Any, int] = {}
        for key_node, _value in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key in keys:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            keys[key] = key_node.start_mark.line + 1
        mapping = super().construct_mapping(node, deep=True)
        mapping[LINE] = node.start_mark.line + 1
        mapping[KEY_LINES] = keys
        return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)


class _Reader:
    def __init__(self, file: str, source: str | None) -> None:
        self.file = file
        self.source = source
        self.errors: list[PackageError] = []

    def error(self, m: Any, key: str | None, field: str, message: str) -> None:
        line = None
        if isinstance(m, dict):
            line = (m.get(KEY_LINES, {}).get(key) if key else None) or m.get(LINE)
        self.errors.append(PackageError(self.file, line, field, message))

    def keys(
        self, m: dict[str, Any], where: str, required: Iterable[str], optional: Iterable[str]
    ) -> None:
        required = set(required)
        present = {k for k in m if k not in (LINE, KEY_LINES)}
        for k in sorted(required - present):
            self.error(m, None, f"{where}.{k}", "missing field")
        for k in sorted(present - required - set(optional), key=str):
            self.error(m, k, f"{where}.{k}", "unknown field")

    def text(self, m: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = m.get(key)
        if value is None:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.error(m, key, f"{where}.{key}", f"expected a text, got {value!r}")
            return ""
        return value

    def choice(self, m: dict[str, Any], key: str, where: str, allowed: Iterable[str]) -> str:
        value = m.get(key)
        allowed = tuple(allowed)
        if value not in allowed:
            self.error(
                m, key, f"{where}.{key}", f"expected one of {', '.join(allowed)}, got {value!r}"
            )
            return allowed[0]
        return str(value)

    def date(self, m: dict[str, Any], key: str, where: str) -> dt.date | None:
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        self.error(m, key, f"{where}.{key}", f"expected a date YYYY-MM-DD, got {value!r}")
        return None

    def flag(self, m: dict[str, Any], key: str, where: str) -> bool:
        value = m.get(key, False)
        if not isinstance(value, bool):
            self.error(m, key, f"{where}.{key}", f"expected true or false, got {value!r}")
            return False
        return value

    def span(self, m: dict[str, Any], key: str, where: str) -> Span | None:
        raw = m.get(key)
        if raw is None:
            return None
        if not isinstance(raw, dict) or not {"start", "end", "quote"} <= set(raw):
            self.error(m, key, f"{where}.{key}", "expected a span {start, end, quote}")
            return None
        start, end, quote = raw["start"], raw["end"], raw["quote"]
        if not (isinstance(start, int) and isinstance(end, int) and isinstance(quote, str)):
            self.error(raw, None, f"{where}.{key}", "start and end are integers, quote a text")
            return None
        if self.source is not None and self.source[start:end] != quote:
            found = self.source.find(quote)
            hint = f" (found at {found}–{found + len(quote)})" if found >= 0 else " (not in source)"
            self.error(
                raw, None, f"{where}.{key}", f"quote does not match source[{start}:{end}]{hint}"
            )
            return None
        return Span(start, end, quote, self.file, raw.get(LINE))

    def items(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.error(data, key, key, "expected a list")
            return []
        out = []
        for i, entry in enumerate(value):
            if isinstance(entry, dict):
                out.append(entry)
            else:
                self.errors.append(
                    PackageError(self.file, None, f"{key}[{i}]", "expected a mapping")
                )
        return out


def _groups(r: _Reader, data: dict[str, Any]) -> tuple[Span | None, list[Group]]:
    structure = data.get("structure")
    if not isinstance(structure, dict):
        r.error(data, "structure", "structure", "expected a mapping {source, groups}")
        return None, []
    r.keys(structure, "structure", ("groups",), ("source",))
    span = r.span(structure, "source", "structure")
    groups: list[Group] = []
    for i, g in enumerate(r.items(structure, "groups")):
        where = f"groups[{g.get('code', i)}]"
        r.keys(g, where, ("code", "tier", "name_zh"), ("name_en", "demo"))
        groups.append(
            Group(
                code=r.text(g, "code", where),
                tier=r.choice(g, "tier", where, TIERS),
                order=i + 1,
                name_zh=r.text(g, "name_zh", where),
                name_en=r.text(g, "name_en", where, required=False),
                is_demo=r.flag(g, "demo", where),
                line=g.get(LINE),
            )
        )
    _unique(r, structure, "groups", [g.code for g in groups])
    counts = {t: sum(1 for g in groups if g.tier == t) for t in TIERS}
    if groups and counts["catalogue"] < 1:
        r.error(structure, "groups", "structure.groups", "no group of tier `catalogue` (the “1”)")
    return span, groups


def _documents(r: _Reader, data: dict[str, Any], groups: set[str]) -> list[Document]:
    docs: list[Document] = []
    for i, d in enumerate(r.items(data, "documents")):
        where = f"documents[{d.get('code', i)}]"
        r.keys(
            d,
            where,
            ("code", "title_zh", "issuer_zh", "level", "status"),
            (
                "title_en",
                "doc_number",
                "issued_on",
                "valid_from",
                "valid_until",
                "group",
                "url",
                "text",
                "demo",
            ),
        )
        group = d.get("group")
        if group is not None and group not in groups:
            r.error(d, "group", f"{where}.group", f"unknown group {group!r}")
        valid_from, valid_until = r.date(d, "valid_from", where), r.date(d, "valid_until", where)
        if valid_from and valid_until and valid_until < valid_from:
            r.error(d, "valid_until", f"{where}.valid_until", "ends before it starts")
        docs.append(
            Document(
                code=r.text(d, "code", where),
                title_zh=r.text(d, "title_zh", where),
                title_en=r.text(d, "title_en", where, required=False),
                doc_number=r.text(d, "doc_number", where, required=False),
                issuer_zh=r.text(d, "issuer_zh", where),
                level=r.choice(d, "level", where, LEVELS),
                issued_on=r.date(d, "issued_on", where),
                valid_from=valid_from,
                valid_until=valid_until,
                status=r.choice(d, "status", where, DOC_STATUSES),
                group=str(group) if group is not None else None,
                url=r.text(d, "url", where, required=False),
                text=r.text(d, "text", where, required=False),
                is_demo=r.flag(d, "demo", where),
                line=d.get(LINE),
            )
        )
    _unique(r, data, "documents", [d.code for d in docs])
    return docs


def _clean(value: Any) -> Any:
    """A clause as data (without the reader's line markers), ready to store and evaluate."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k not in (LINE, KEY_LINES)}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _clauses(r: _Reader, item: dict[str, Any], where: str, doc: Document | None) -> list[Clause]:
    clauses: list[Clause] = []
    raw = item.get("clauses")
    if not isinstance(raw, list) or not raw:
        r.error(item, "clauses", f"{where}.clauses", "expected a non-empty list of clauses")
        return []
    for i, c in enumerate(raw):
        at = f"{where}.clauses[{c.get('id', i) if isinstance(c, dict) else i}]"
        if not isinstance(c, dict):
            r.error(item, "clauses", at, "expected a clause {id, fact, op, value, label, source}")
            continue
        r.keys(
            c,
            at,
            ("id", "label", "source"),
            ("fact", "op", "value", "bands", "all", "any", "score", "label_en", "quote", "note"),
        )
        for path, message in clause_problems(_clean(c)):
            key = path.split(".", 1)[0].split("[", 1)[0]
            r.error(c, key if key in c else None, f"{at}.{path}", message)
        quote = r.text(c, "quote", at, required=False)
        if quote and doc is not None and doc.text and quote not in doc.text:
            r.error(c, "quote", f"{at}.quote", f"not found in the text of {doc.code}")
        clauses.append(
            Clause(
                code=str(c.get("id", i)),
                label=r.text(c, "label", at),
                label_en=r.text(c, "label_en", at, required=False),
                article=r.text(c, "source", at),
                quote=quote,
                data=_clean(c),
            )
        )
    _unique(r, item, f"{where}.clauses", [c.code for c in clauses])
    return clauses


def _items(
    r: _Reader, data: dict[str, Any], docs: dict[str, Document], groups: set[str]
) -> list[Item]:
    items: list[Item] = []
    for i, m in enumerate(r.items(data, "items")):
        where = f"items[{m.get('code', i)}]"
        r.keys(
            m,
            where,
            ("code", "document", "group", "title_zh", "kind", "amount", "clauses"),
            ("title_en", "article", "max_amount", "window", "period", "auto_grant", "demo"),
        )
        doc = docs.get(str(m.get("document")))
        if doc is None:
            r.error(m, "document", f"{where}.document", f"unknown document {m.get('document')!r}")
        if m.get("group") not in groups:
            r.error(m, "group", f"{where}.group", f"unknown group {m.get('group')!r}")
        max_amount = None
        if m.get("max_amount") is not None:
            try:
                max_amount = to_decimal(m["max_amount"], field=f"{where}.max_amount")
                if max_amount <= 0:
                    raise RuleError(f"{where}.max_amount", "must be positive")
            except RuleError as exc:
                r.error(m, "max_amount", exc.field, exc.message)
                max_amount = None
        try:
            amount = amount_rule_read(
                m.get("amount"), max_amount=max_amount, where=f"{where}.amount"
            )
        except RuleError as exc:
            r.error(m, "amount", exc.field, exc.message)
            amount = AmountRule("none")
        opens = closes = None
        window = m.get("window")
        if window is not None:
            if isinstance(window, dict):
                r.keys(window, f"{where}.window", ("opens", "closes"), ())
                opens = r.date(window, "opens", f"{where}.window")
                closes = r.date(window, "closes", f"{where}.window")
                if opens and closes and closes < opens:
                    r.error(window, "closes", f"{where}.window.closes", "closes before it opens")
            else:
                r.error(m, "window", f"{where}.window", "expected {opens, closes}")
        period = m.get("period", "")
        if not isinstance(period, str | int) or isinstance(period, bool):
            r.error(m, "period", f"{where}.period", f"expected a text such as 2025, got {period!r}")
            period = ""
        items.append(
            Item(
                code=r.text(m, "code", where),
                document=str(m.get("document")),
                group=str(m.get("group")),
                title_zh=r.text(m, "title_zh", where),
                title_en=r.text(m, "title_en", where, required=False),
                kind=r.choice(m, "kind", where, ITEM_KINDS),
                article=r.text(m, "article", where, required=False),
                max_amount=max_amount,
                amount=amount,
                opens=opens,
                closes=closes,
                period=str(period),
                auto_grant=r.flag(m, "auto_grant", where),
                clauses=tuple(_clauses(r, m, where, doc)),
                is_demo=r.flag(m, "demo", where),
                line=m.get(LINE),
            )
        )
    _unique(r, data, "items", [i.code for i in items])
    return items


#: parameters a pool must state (numbers), see `nengji.policy.models.RiskPool`
POOL_PARAMETERS = (
    "ratio",
    "first_loan_bonus",
    "cap_per_enterprise",
    "cap_per_bank",
    "max_loan",
    "max_term_months",
)


def _programmes(r: _Reader, data: dict[str, Any]) -> list[Programme]:
    out: list[Programme] = []
    for i, p in enumerate(r.items(data, "programmes")):
        where = f"programmes[{p.get('code', i)}]"
        r.keys(
            p,
            where,
            ("code", "kind", "name_zh", "parameters"),
            ("name_en", "source", "institutions", "demo"),
        )
        kind = r.choice(p, "kind", where, ("pool", "product"))
        raw = p.get("parameters")
        params: dict[str, Decimal | str] = {}
        if not isinstance(raw, dict):
            r.error(p, "parameters", f"{where}.parameters", "expected a mapping")
            raw = {}
        for key, value in raw.items():
            if key in (LINE, KEY_LINES):
                continue
            if isinstance(value, str):
                params[str(key)] = value
                continue
            try:
                params[str(key)] = to_decimal(value, field=f"{where}.parameters.{key}")
            except RuleError as exc:
                r.error(raw, key, exc.field, exc.message)
        if kind == "pool":
            for key in POOL_PARAMETERS:
                if not isinstance(params.get(key), Decimal):
                    r.error(raw or p, None, f"{where}.parameters.{key}", "missing number")
            ratio = params.get("ratio")
            bonus = params.get("first_loan_bonus")
            if (
                isinstance(ratio, Decimal)
                and isinstance(bonus, Decimal)
                and not (Decimal(0) < ratio and ratio + bonus <= 1)
            ):
                r.error(raw, "ratio", f"{where}.parameters.ratio", "ratio (+ bonus) lies in (0, 1]")
        institutions = p.get("institutions", [])
        if not isinstance(institutions, list) or not all(isinstance(x, str) for x in institutions):
            r.error(p, "institutions", f"{where}.institutions", "expected a list of names")
            institutions = []
        out.append(
            Programme(
                code=r.text(p, "code", where),
                kind=kind,
                name_zh=r.text(p, "name_zh", where),
                name_en=r.text(p, "name_en", where, required=False),
                source=r.span(p, "source", where),
                parameters=params,
                institutions=tuple(institutions),
                is_demo=r.flag(p, "demo", where),
            )
        )
    _unique(r, data, "programmes", [p.code for p in out])
    return out


def _unique(r: _Reader, m: dict[str, Any], where: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            r.error(m, None, f"{where}[{code}]", "duplicate code")
        seen.add(code)


def catalogue_path(path: Path | str) -> Path:
    """The catalogue file of a path: the file itself, a `policy/` folder or a plan package."""
    path = Path(path)
    if path.is_dir():
        inner = path / FOLDER / CATALOGUE_FILE
        return inner if inner.is_file() else path / CATALOGUE_FILE
    return path


def catalogue_read(path: Path | str, *, source: str | None = None) -> Catalogue:
    """The catalogue at `path` (see `catalogue_path`), or `PackageInvalid` with every error.

    ``source`` is the plan's text the structure's span quotes; by default the package's
    `source.txt` beside the `policy/` folder, when there is one."""
    file = catalogue_path(path)
    name = f"{FOLDER}/{file.name}" if file.parent.name == FOLDER else file.name
    if source is None:
        plan_source = file.parent.parent / "source.txt"
        if file.parent.name == FOLDER and plan_source.is_file():
            source = plan_source.read_text(encoding="utf-8")
    r = _Reader(name, source)
    if not file.is_file():
        raise PackageInvalid([PackageError(name, None, "", "file not found")])
    if file.stat().st_size > MAX_BYTES:
        raise PackageInvalid([PackageError(name, None, "", f"larger than {MAX_BYTES} bytes")])
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506  safe loader subclass
    except UnicodeDecodeError:
        raise PackageInvalid([PackageError(name, None, "", "not UTF-8 text")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise PackageInvalid([PackageError(name, line, "", f"YAML error: {exc}")]) from None
    if not isinstance(data, dict):
        raise PackageInvalid([PackageError(name, 1, "", "expected a mapping of sections")])
    r.keys(data, "catalogue", ("structure", "documents", "items"), ("format", "programmes"))
    if data.get("format", 1) != 1:
        r.error(data, "format", "format", "only format 1 is known")
    span, groups = _groups(r, data)
    group_codes = {g.code for g in groups}
    documents = _documents(r, data, group_codes)
    items = _items(r, data, {d.code: d for d in documents}, group_codes)
    programmes = _programmes(r, data)
    if r.errors:
        raise PackageInvalid(r.errors)
    return Catalogue(name, span, tuple(groups), tuple(documents), tuple(items), tuple(programmes))


def catalogue_check(package: Any) -> list[PackageError]:
    """The plan package part check (`nengji.plan.parts`): no catalogue is fine, a bad one is not."""
    file = Path(package.root) / FOLDER / CATALOGUE_FILE
    if not file.is_file():
        return []
    try:
        catalogue_read(file, source=package.source_text)
    except PackageInvalid as exc:
        return list(exc.errors)
    return []
