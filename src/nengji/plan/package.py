"""Read and validate a plan package (``data/plans/<code>/``) without a database.

A plan package is a folder of human-edited files (see ``docs/plan-package.md``):

``plan.yaml``
    metadata of the plan document and the names of the other files;
``source.txt``
    the full text of the plan (UTF-8); every element and figure quotes a span of it;
``sections.yaml``
    the structure: chapters, parts, goals, areas, tasks, measures, terms …;
``indicators.yaml``
    the quantitative facts the plan states, with baselines and stated targets;
``departments.csv``
    the catalogue of district bodies and functional zones.

``read_package(path)`` returns a ``PlanPackage`` of frozen dataclasses, or raises
``PackageInvalid`` carrying *every* error found, each with file, line, field and
message.  Plain Python + PyYAML (safe loading only); no Django.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nengji.plan.package_index import (
    INDEX_OPTIONAL,
    INDEX_REQUIRED,
    IndexFiles,
    IndexSpec,
    read_index,
    relative_file,
)
from nengji.plan.quotes import display_text, locate, locate_loose

__all__ = [
    "DEPARTMENT_COLUMNS",
    "DEPARTMENT_KINDS",
    "INDICATOR_KINDS",
    "PARENT_KINDS",
    "PROGRESS_METHODS",
    "QUALIFIERS",
    "SECTION_KINDS",
    "Baseline",
    "Department",
    "District",
    "IndexSpec",
    "Indicator",
    "PackageError",
    "PackageInvalid",
    "PlanMeta",
    "PlanPackage",
    "Section",
    "Span",
    "StatedTarget",
    "read_package",
]

# --------------------------------------------------------------------------------------
# vocabulary

#: kind of a section element -> kinds its parent may have (None: a top-level element)
PARENT_KINDS: dict[str, frozenset[str | None]] = {
    "notice": frozenset({None}),
    "preamble": frozenset({None}),
    "chapter": frozenset({None}),
    "annex": frozenset({None}),
    "part": frozenset({"chapter"}),
    "paragraph": frozenset({"part", "chapter"}),
    "problem": frozenset({"part", "chapter"}),
    "guideline": frozenset({"chapter", "part"}),
    "principle": frozenset({"part", "chapter"}),
    "goal": frozenset({"chapter"}),
    "goal_item": frozenset({"goal"}),
    "area": frozenset({"chapter"}),
    "task": frozenset({"area"}),
    "measure": frozenset({"task"}),
    "safeguard": frozenset({"chapter"}),
    "term": frozenset({"annex"}),
}
SECTION_KINDS = frozenset(PARENT_KINDS)
LEADS = frozenset({"bold", "clause"})
INDICATOR_KINDS = frozenset({"stock", "flow", "rate", "share", "index", "count"})
#: how progress is judged: compound growth, change per year, or not by a trend
PROGRESS_METHODS = frozenset({"cagr", "linear", "none"})
#: the method an indicator of a kind gets when its entry names none
DEFAULT_PROGRESS = {"rate": "linear", "share": "linear"}
DISTRICT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
QUALIFIERS = frozenset({"exact", "lower_bound", "approx"})
DEPARTMENT_COLUMNS = ("code", "name_zh", "name_en", "kind", "template")
DEPARTMENT_KINDS = frozenset({"district_body", "functional_zone", "other"})

SECTION_CODE = re.compile(r"^[A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*$")
UPPER_SNAKE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
PLAN_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

PLAN_FILE = "plan.yaml"
DEFAULT_FILES = {
    "sections": "sections.yaml",
    "indicators": "indicators.yaml",
    "departments": "departments.csv",
}

# --------------------------------------------------------------------------------------
# dataclasses


@dataclass(frozen=True)
class Span:
    """``source_text[start:end] == quote`` (offsets are ``str`` indices)."""

    start: int
    end: int
    quote: str
    file: str = ""
    line: int | None = None


@dataclass(frozen=True)
class District:
    """The district whose plan it is (an organisation of kind region once loaded)."""

    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class PlanMeta:
    code: str
    title_zh: str
    title_en: str
    issuer_zh: str
    issuer_en: str
    doc_number: str
    adopted_on: dt.date
    adopted_at_zh: str
    issued_on: dt.date
    period_start: int
    period_end: int
    vision_year: int | None
    source: str
    files: dict[str, str]
    title_span: Span
    doc_number_span: Span
    adoption_span: Span
    district: District
    index_files: IndexFiles | None = None
    issued_span: Span | None = None
    file: str = PLAN_FILE
    line: int | None = None


@dataclass(frozen=True)
class Section:
    code: str
    kind: str
    parent: str | None
    order: int
    number: str
    title_zh: str
    title_en: str
    title: Span | None
    text: Span | None
    lead: str | None = None  # measures: "bold" (default) or "clause"; None for other kinds
    file: str = DEFAULT_FILES["sections"]
    line: int | None = None


@dataclass(frozen=True)
class Baseline:
    year: int
    as_of: dt.date | None
    period_start: int | None
    value: float
    value_text: str
    qualifier: str
    basis_zh: str | None
    quote: Span
    file: str = DEFAULT_FILES["indicators"]
    line: int | None = None


@dataclass(frozen=True)
class StatedTarget:
    year: int
    value_min: float
    value_max: float
    value_text: str | None
    quote: Span
    file: str = DEFAULT_FILES["indicators"]
    line: int | None = None


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str
    unit_zh: str
    unit_en: str
    direction: int
    kind: str
    progress: str
    section: str
    share_of: str | None
    note_zh: str | None
    note_en: str | None
    baseline: Baseline | None  # None only when a stated_target is given
    stated_target: StatedTarget | None
    file: str = DEFAULT_FILES["indicators"]
    line: int | None = None


@dataclass(frozen=True)
class Department:
    code: str
    name_zh: str
    name_en: str
    kind: str
    template: bool
    file: str = DEFAULT_FILES["departments"]
    line: int | None = None


@dataclass(frozen=True)
class PlanPackage:
    root: Path
    meta: PlanMeta
    source_text: str
    sections: tuple[Section, ...]
    indicators: tuple[Indicator, ...]
    departments: tuple[Department, ...]
    index: IndexSpec | None = None

    def section(self, code: str) -> Section:
        for s in self.sections:
            if s.code == code:
                return s
        raise KeyError(code)

    def children(self, code: str | None) -> list[Section]:
        """Elements whose parent is ``code`` (None: top level), in ``order``."""
        return sorted((s for s in self.sections if s.parent == code), key=lambda s: s.order)

    def of_kind(self, kind: str) -> list[Section]:
        return [s for s in self.sections if s.kind == kind]

    def display(self, span: Span) -> str:
        """The span's quote as clean paragraphs (page-break line breaks joined)."""
        return display_text(span.quote, self.source_text, span.start)

    def indicator(self, code: str) -> Indicator:
        for i in self.indicators:
            if i.code == code:
                return i
        raise KeyError(code)


# --------------------------------------------------------------------------------------
# errors


@dataclass(frozen=True)
class PackageError:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class PackageInvalid(Exception):  # noqa: N818  the name the loader and CLI use
    """The package has errors; ``errors`` lists all of them."""

    def __init__(self, errors: list[PackageError]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s) in plan package:\n" + "\n".join(map(str, errors)))


# --------------------------------------------------------------------------------------
# YAML with line numbers

LINE = "__line__"  # line (1-based) of a mapping
KEY_LINES = "__key_lines__"  # key -> line (1-based) of that key


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records the line of every mapping and of each of its keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[int, str]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        key_lines: dict[Any, int] = {}
        for key_node, _value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key in key_lines:
                self.duplicate_keys.append((key_node.start_mark.line + 1, str(key)))
            key_lines[key] = key_node.start_mark.line + 1
        mapping = super().construct_mapping(node, deep=True)
        mapping[LINE] = node.start_mark.line + 1
        mapping[KEY_LINES] = key_lines
        return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _LineLoader.construct_mapping,
)


def _load_yaml(text: str, file: str, errors: list[PackageError]) -> Any:
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        errors.append(PackageError(file, line, "", f"YAML syntax error: {problem}"))
        return None
    except yaml.YAMLError as exc:
        errors.append(PackageError(file, None, "", f"YAML error: {exc}"))
        return None
    finally:
        loader.dispose()
    for line, key in loader.duplicate_keys:
        errors.append(PackageError(file, line, key, "duplicate key in mapping"))
    return data


# --------------------------------------------------------------------------------------
# field checking


class _Checker:
    """Collects errors for one file and reads typed fields from loaded mappings."""

    def __init__(self, file: str, errors: list[PackageError], source: str | None):
        self.file = file
        self.errors = errors
        self.source = source  # None: source unreadable, span contents not checked

    def error(self, line: int | None, fld: str, message: str) -> None:
        self.errors.append(PackageError(self.file, line, fld, message))

    @staticmethod
    def line_of(m: dict[str, Any], key: str | None = None) -> int | None:
        if key is not None:
            line = m.get(KEY_LINES, {}).get(key)
            if line is not None:
                return int(line)
        found = m.get(LINE)
        return int(found) if found is not None else None

    def keys(
        self, m: dict[str, Any], prefix: str, required: Iterable[str], optional: Iterable[str] = ()
    ) -> None:
        required = set(required)
        known = required | set(optional)
        present = {k for k in m if k not in (LINE, KEY_LINES)}
        for k in sorted(required - present):
            self.error(self.line_of(m), f"{prefix}{k}", "missing field")
        for k in sorted(present - known, key=str):
            self.error(self.line_of(m, k), f"{prefix}{k}", "unknown field")

    def get(
        self,
        m: dict[str, Any],
        key: str,
        prefix: str,
        typ: str,
        *,
        nullable: bool = False,
        default: Any = None,
    ) -> Any:
        """Value of ``m[key]`` checked against ``typ``; on error record it and return None."""
        if key not in m:
            return default
        value = m[key]
        line = self.line_of(m, key)
        name = f"{prefix}{key}"
        if value is None:
            if nullable:
                return None
            self.error(line, name, "must not be empty (null)")
            return None
        if typ == "str":
            if isinstance(value, str):
                return value
            if isinstance(value, int | float) and not isinstance(value, bool):
                return str(value)
            self.error(line, name, f"expected text, got {_show(value)}")
        elif typ == "int":
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            self.error(line, name, f"expected an integer, got {_show(value)}")
        elif typ == "number":
            if isinstance(value, int | float) and not isinstance(value, bool):
                if math.isfinite(value):
                    return value
                self.error(line, name, f"not a finite number: {_show(value)}")
                return None
            self.error(line, name, f"not a number: {_show(value)}")
        elif typ == "date":
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return value
            self.error(line, name, f"expected a date YYYY-MM-DD, got {_show(value)}")
        elif typ == "mapping":
            if isinstance(value, dict):
                return value
            self.error(line, name, f"expected a mapping, got {_show(value)}")
        elif typ == "list":
            if isinstance(value, list):
                return value
            self.error(line, name, f"expected a list, got {_show(value)}")
        else:  # pragma: no cover - programming error
            raise ValueError(typ)
        return None

    def span(
        self, m: dict[str, Any], key: str, prefix: str, *, nullable: bool = False
    ) -> Span | None:
        """Read a span ``{start, end, quote}`` and check it against the source text."""
        raw = self.get(m, key, prefix, "mapping", nullable=nullable)
        if raw is None:
            return None
        name = f"{prefix}{key}"
        self.keys(raw, f"{name}.", ("start", "end", "quote"))
        start = self.get(raw, "start", f"{name}.", "int")
        end = self.get(raw, "end", f"{name}.", "int")
        quote = raw.get("quote")
        line = self.line_of(raw)
        if quote is not None and not isinstance(quote, str):
            self.error(self.line_of(raw, "quote"), f"{name}.quote", "expected text")
            return None
        if start is None or end is None or quote is None:
            return None
        if not quote:
            self.error(line, name, "empty quote")
            return None
        if self.source is not None:
            size = len(self.source)
            if not 0 <= start <= end <= size:
                self.error(
                    line, name, f"span {start}:{end} out of range (source has {size} characters)"
                )
                return None
            if self.source[start:end] != quote:
                self.error(line, name, self._mismatch(start, end, quote))
                return None
        return Span(start, end, quote, self.file, line)

    def _mismatch(self, start: int, end: int, quote: str) -> str:
        assert self.source is not None
        message = f"quote does not match source[{start}:{end}]"
        exact = locate(self.source, quote)
        if exact:
            return f"{message} (found at {_places(exact)})"
        loose = locate_loose(self.source, quote)
        if loose:
            return f"{message} (found, with different line breaks/spaces, at {_places(loose)})"
        actual = self.source[start:end]
        return f"{message} (not found in source; source[{start}:{end}] is {_show(actual)})"


def _places(found: list[tuple[int, int]]) -> str:
    shown = ", ".join(f"{s}–{e}" for s, e in found[:5])
    return shown + (f" and {len(found) - 5} more" if len(found) > 5 else "")


def _show(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------------------
# plan.yaml


def _read_meta(data: Any, ck: _Checker) -> dict[str, Any] | None:
    """Check plan.yaml's set of fields (values are read by ``_meta_from``)."""
    if not isinstance(data, dict):
        ck.error(1, "", "plan.yaml must be a mapping of fields")
        return None
    ck.keys(
        data,
        "",
        (
            "code",
            "title_zh",
            "title_en",
            "issuer_zh",
            "issuer_en",
            "doc_number",
            "adopted_on",
            "adopted_at_zh",
            "issued_on",
            "period",
            "district",
            "source",
            "spans",
        ),
        ("vision_year", "files", "format", "index"),
    )
    return data


def _meta_from(data: dict[str, Any], ck: _Checker) -> PlanMeta | None:
    g = ck.get
    code = g(data, "code", "", "str")
    if code is not None and not PLAN_CODE.match(code):
        ck.error(ck.line_of(data, "code"), "code", "use lower-case letters, digits and '-'")
    texts = {
        k: g(data, k, "", "str")
        for k in ("title_zh", "title_en", "issuer_zh", "issuer_en", "doc_number", "adopted_at_zh")
    }
    adopted_on = g(data, "adopted_on", "", "date")
    issued_on = g(data, "issued_on", "", "date")
    vision_year = g(data, "vision_year", "", "int", nullable=True)
    source = g(data, "source", "", "str")
    if source is not None and not _plain_name(source):
        ck.error(ck.line_of(data, "source"), "source", "must be a file name in the package folder")
        source = None
    period = g(data, "period", "", "mapping")
    period_start = period_end = None
    if period is not None:
        ck.keys(period, "period.", ("start", "end"))
        period_start = g(period, "start", "period.", "int")
        period_end = g(period, "end", "period.", "int")
        if period_start is not None and period_end is not None and period_start > period_end:
            ck.error(ck.line_of(period), "period", "start is after end")
    files = dict(DEFAULT_FILES)
    raw_files = g(data, "files", "", "mapping", nullable=True)
    if raw_files is not None:
        ck.keys(raw_files, "files.", (), DEFAULT_FILES)
        for k in DEFAULT_FILES:
            v = g(raw_files, k, "files.", "str")
            if v is not None and not _plain_name(v):
                ck.error(raw_files.get(KEY_LINES, {}).get(k), f"files.{k}", "must be a file name")
            elif v is not None:
                files[k] = v
    district = _district_from(data, ck)
    index_files = _index_files_from(data, ck)
    spans: dict[str, Span | None] = {}
    raw_spans = g(data, "spans", "", "mapping")
    if raw_spans is not None:
        ck.keys(raw_spans, "spans.", ("title", "doc_number", "adoption"), ("issued",))
        for k in ("title", "doc_number", "adoption", "issued"):
            spans[k] = ck.span(raw_spans, k, "spans.", nullable=(k == "issued"))
        ds = spans.get("doc_number")
        if ds is not None and texts["doc_number"] and texts["doc_number"] not in ds.quote:
            ck.error(ds.line, "spans.doc_number", "quote does not contain doc_number")
    values = [
        code,
        adopted_on,
        issued_on,
        source,
        period_start,
        period_end,
        district,
        *texts.values(),
    ]
    if any(v is None for v in values) or any(
        spans.get(k) is None for k in ("title", "doc_number", "adoption")
    ):
        return None
    assert period_start is not None and period_end is not None and district is not None
    title_span, doc_span, adoption_span = spans["title"], spans["doc_number"], spans["adoption"]
    assert title_span is not None and doc_span is not None and adoption_span is not None
    return PlanMeta(
        code=code,
        title_zh=texts["title_zh"],
        title_en=texts["title_en"],
        issuer_zh=texts["issuer_zh"],
        issuer_en=texts["issuer_en"],
        doc_number=texts["doc_number"],
        adopted_on=adopted_on,
        adopted_at_zh=texts["adopted_at_zh"],
        issued_on=issued_on,
        period_start=period_start,
        period_end=period_end,
        vision_year=vision_year,
        source=source,
        files=files,
        district=district,
        index_files=index_files,
        title_span=title_span,
        doc_number_span=doc_span,
        adoption_span=adoption_span,
        issued_span=spans.get("issued"),
        file=ck.file,
        line=ck.line_of(data),
    )


def _district_from(data: dict[str, Any], ck: _Checker) -> District | None:
    raw = ck.get(data, "district", "", "mapping")
    if raw is None:
        return None
    ck.keys(raw, "district.", ("code", "name_zh", "name_en"))
    code = ck.get(raw, "code", "district.", "str")
    name_zh = ck.get(raw, "name_zh", "district.", "str")
    name_en = ck.get(raw, "name_en", "district.", "str")
    if code is not None and not DISTRICT_CODE.match(code):
        ck.error(
            ck.line_of(raw, "code"),
            "district.code",
            "use letters, digits, '.', '_' or '-' (e.g. an administrative division code)",
        )
        return None
    if None in (code, name_zh, name_en):
        return None
    return District(code=code, name_zh=name_zh, name_en=name_en)


def _index_files_from(data: dict[str, Any], ck: _Checker) -> IndexFiles | None:
    raw = ck.get(data, "index", "", "mapping", nullable=True)
    if raw is None:
        return None
    ck.keys(raw, "index.", INDEX_REQUIRED, INDEX_OPTIONAL)
    names = {k: ck.get(raw, k, "index.", "str") for k in INDEX_REQUIRED}
    for k, v in names.items():
        if v is not None and not relative_file(v):
            ck.error(ck.line_of(raw, k), f"index.{k}", "must be a path inside the package folder")
            names[k] = None
    unit = ck.get(raw, "unit", "index.", "str", nullable=True)
    official = ck.get(raw, "official_indicator", "index.", "str", nullable=True)
    if names["framework"] is None or names["pipeline"] is None:
        return None
    return IndexFiles(
        framework=names["framework"],
        pipeline=names["pipeline"],
        unit=unit,
        official_indicator=official,
        line=ck.line_of(data, "index"),
    )


# --------------------------------------------------------------------------------------
# sections.yaml

SECTION_REQUIRED = (
    "code",
    "kind",
    "parent",
    "order",
    "number",
    "title_zh",
    "title_en",
    "title",
    "text",
)


def _read_sections(data: Any, ck: _Checker) -> list[Section]:
    if data is None:
        return []
    if not isinstance(data, list):
        ck.error(1, "", "sections file must be a list of elements")
        return []
    sections: list[Section] = []
    first_line: dict[str, int | None] = {}
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            ck.error(None, f"[{i}]", f"expected a mapping, got {_show(item)}")
            continue
        code = item.get("code")
        prefix = f"{code}." if isinstance(code, str) and code else f"[{i}]."
        line = ck.line_of(item)
        ck.keys(item, prefix, SECTION_REQUIRED, ("lead",))
        code = ck.get(item, "code", prefix, "str")
        if code is not None:
            if not SECTION_CODE.match(code):
                ck.error(line, f"{code}.code", "invalid code (letters/digits, parts joined by '.')")
            if code in first_line:
                ck.error(
                    ck.line_of(item, "code"),
                    f"{code}.code",
                    f"duplicate code (first defined at line {first_line[code]})",
                )
                continue
            first_line[code] = line
        kind = ck.get(item, "kind", prefix, "str")
        if kind is not None and kind not in SECTION_KINDS:
            ck.error(
                ck.line_of(item, "kind"),
                f"{prefix}kind",
                f"unknown kind {kind!r} (one of: {', '.join(sorted(SECTION_KINDS))})",
            )
            kind = None
        parent = ck.get(item, "parent", prefix, "str", nullable=True)
        order = ck.get(item, "order", prefix, "int")
        number = ck.get(item, "number", prefix, "str", nullable=True, default="")
        title_zh = ck.get(item, "title_zh", prefix, "str")
        title_en = ck.get(item, "title_en", prefix, "str")
        title = ck.span(item, "title", prefix, nullable=True)
        text = ck.span(item, "text", prefix, nullable=True)
        lead = ck.get(item, "lead", prefix, "str", nullable=True)
        if lead is not None and lead not in LEADS:
            ck.error(ck.line_of(item, "lead"), f"{prefix}lead", "lead must be 'bold' or 'clause'")
        if kind == "measure":
            lead = lead or "bold"
            if title is not None and text is not None and title.start != text.start:
                ck.error(line, f"{prefix}title", "a measure's lead must start its text span")
        elif lead is not None:
            ck.error(ck.line_of(item, "lead"), f"{prefix}lead", "lead is only for measures")
        if None in (code, kind, order, title_zh, title_en):
            continue
        sections.append(
            Section(
                code=code,
                kind=kind,
                parent=parent,
                order=order,
                number=number or "",
                title_zh=title_zh,
                title_en=title_en,
                title=title,
                text=text,
                lead=lead,
                file=ck.file,
                line=line,
            )
        )
    _check_tree(sections, ck, declared=set(first_line))
    return sections


def _check_tree(sections: list[Section], ck: _Checker, declared: set[str]) -> None:
    """Parents exist, have an allowed kind, form no cycle; ``order`` unique among siblings.

    ``declared`` holds every code in the file, including elements dropped for other
    errors, so that their children are not also reported as orphans.
    """
    by_code = {s.code: s for s in sections}
    for s in sections:
        if s.parent is None:
            if None not in PARENT_KINDS[s.kind]:
                ck.error(s.line, f"{s.code}.parent", f"a {s.kind} needs a parent")
            continue
        parent = by_code.get(s.parent)
        if parent is None:
            if s.parent not in declared:
                ck.error(s.line, f"{s.code}.parent", f"unknown parent {s.parent!r}")
            continue
        allowed = PARENT_KINDS[s.kind]
        if parent.kind not in allowed:
            wanted = " or ".join(sorted(k or "none (top level)" for k in allowed))
            ck.error(
                s.line,
                f"{s.code}.parent",
                f"a {s.kind} cannot sit under a {parent.kind} ({s.parent}); its parent must be a "
                f"{wanted}",
            )
    # cycles
    reported: set[str] = set()
    for s in sections:
        seen: list[str] = []
        node: Section | None = s
        while node is not None and node.parent is not None:
            if node.code in seen:
                cycle = seen[seen.index(node.code) :]
                if not reported & set(cycle):
                    ck.error(s.line, f"{s.code}.parent", "parent cycle: " + " → ".join(cycle))
                    reported.update(cycle)
                break
            seen.append(node.code)
            node = by_code.get(node.parent)
    # order unique among siblings
    seen_order: dict[tuple[str | None, int], str] = {}
    for s in sections:
        key = (s.parent, s.order)
        if key in seen_order:
            ck.error(s.line, f"{s.code}.order", f"same order {s.order} as {seen_order[key]}")
        else:
            seen_order[key] = s.code


# --------------------------------------------------------------------------------------
# indicators.yaml

INDICATOR_REQUIRED = (
    "code",
    "name_zh",
    "name_en",
    "unit_zh",
    "unit_en",
    "direction",
    "kind",
    "section",
    "baseline",
)
INDICATOR_OPTIONAL = ("share_of", "note_zh", "note_en", "stated_target", "progress")
BASELINE_REQUIRED = (
    "year",
    "as_of",
    "period_start",
    "value",
    "value_text",
    "qualifier",
    "quote",
)
TARGET_REQUIRED = ("year", "value_min", "value_max", "quote")


def _read_indicators(data: Any, ck: _Checker, sections: dict[str, Section]) -> list[Indicator]:
    if data is None:
        return []
    if not isinstance(data, list):
        ck.error(1, "", "indicators file must be a list of indicators")
        return []
    out: list[Indicator] = []
    first_line: dict[str, int | None] = {}
    share_refs: list[tuple[str, str, int | None]] = []
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            ck.error(None, f"[{i}]", f"expected a mapping, got {_show(item)}")
            continue
        raw_code = item.get("code")
        prefix = f"{raw_code}." if isinstance(raw_code, str) and raw_code else f"[{i}]."
        line = ck.line_of(item)
        ck.keys(item, prefix, INDICATOR_REQUIRED, INDICATOR_OPTIONAL)
        code = ck.get(item, "code", prefix, "str")
        if code is not None:
            if not UPPER_SNAKE.match(code):
                ck.error(ck.line_of(item, "code"), f"{prefix}code", "use UPPER_SNAKE_CASE")
            if code in first_line:
                ck.error(
                    ck.line_of(item, "code"),
                    f"{prefix}code",
                    f"duplicate code (first defined at line {first_line[code]})",
                )
                continue
            first_line[code] = line
        texts = {
            k: ck.get(item, k, prefix, "str") for k in ("name_zh", "name_en", "unit_zh", "unit_en")
        }
        notes = {k: ck.get(item, k, prefix, "str", nullable=True) for k in ("note_zh", "note_en")}
        direction = ck.get(item, "direction", prefix, "int")
        if direction is not None and direction not in (1, -1):
            ck.error(ck.line_of(item, "direction"), f"{prefix}direction", "must be 1 or -1")
            direction = None
        kind = ck.get(item, "kind", prefix, "str")
        if kind is not None and kind not in INDICATOR_KINDS:
            ck.error(
                ck.line_of(item, "kind"),
                f"{prefix}kind",
                f"unknown kind {kind!r} (one of: {', '.join(sorted(INDICATOR_KINDS))})",
            )
            kind = None
        progress = ck.get(item, "progress", prefix, "str")
        if progress is not None and progress not in PROGRESS_METHODS:
            ck.error(
                ck.line_of(item, "progress"),
                f"{prefix}progress",
                f"unknown method {progress!r} (one of: {', '.join(sorted(PROGRESS_METHODS))})",
            )
            progress = None
        elif progress is None and "progress" not in item:
            progress = DEFAULT_PROGRESS.get(kind or "", "cagr")
        section = ck.get(item, "section", prefix, "str")
        section_el = sections.get(section) if section is not None else None
        if section is not None and section_el is None and sections:
            ck.error(
                ck.line_of(item, "section"), f"{prefix}section", f"unknown section {section!r}"
            )
        share_of = ck.get(item, "share_of", prefix, "str", nullable=True)
        if share_of is not None and code is not None:
            share_refs.append((code, share_of, ck.line_of(item, "share_of")))
        baseline = _read_baseline(item, ck, prefix)
        target = _read_target(item, ck, prefix)
        if "baseline" in item and item["baseline"] is None and target is None:
            ck.error(
                ck.line_of(item, "baseline"),
                f"{prefix}baseline",
                "an indicator needs a baseline (null only with a stated_target)",
            )
        for span_owner, span in (("baseline.quote", baseline), ("stated_target.quote", target)):
            if span is not None and section_el is not None:
                _check_within(ck, section_el, span.quote, f"{prefix}{span_owner}")
        if None in (code, direction, kind, progress, section, *texts.values()):
            continue
        if item.get("baseline") is not None and baseline is None:
            continue
        out.append(
            Indicator(
                code=code,
                name_zh=texts["name_zh"],
                name_en=texts["name_en"],
                unit_zh=texts["unit_zh"],
                unit_en=texts["unit_en"],
                direction=direction,
                kind=kind,
                progress=progress,
                section=section,
                share_of=share_of,
                note_zh=notes["note_zh"],
                note_en=notes["note_en"],
                baseline=baseline,
                stated_target=target,
                file=ck.file,
                line=line,
            )
        )
    for code, ref, line in share_refs:
        if ref == code:
            ck.error(line, f"{code}.share_of", "an indicator cannot be a share of itself")
        elif ref not in first_line:
            ck.error(line, f"{code}.share_of", f"unknown indicator {ref!r}")
    return out


def _check_within(ck: _Checker, section: Section, span: Span, name: str) -> None:
    holders = [s for s in (section.text, section.title) if s is not None]
    if not any(h.start <= span.start and span.end <= h.end for h in holders):
        ck.error(span.line, name, f"quote lies outside the text of section {section.code}")


def _read_baseline(item: dict[str, Any], ck: _Checker, prefix: str) -> Baseline | None:
    raw = ck.get(item, "baseline", prefix, "mapping", nullable=True)
    if raw is None:
        return None
    p = f"{prefix}baseline."
    ck.keys(raw, p, BASELINE_REQUIRED, ("basis_zh",))
    year = ck.get(raw, "year", p, "int")
    as_of = ck.get(raw, "as_of", p, "date", nullable=True)
    period_start = ck.get(raw, "period_start", p, "int", nullable=True)
    value = ck.get(raw, "value", p, "number")
    value_text = ck.get(raw, "value_text", p, "str")
    qualifier = ck.get(raw, "qualifier", p, "str")
    basis = ck.get(raw, "basis_zh", p, "str", nullable=True)
    quote = ck.span(raw, "quote", p)
    if qualifier is not None and qualifier not in QUALIFIERS:
        ck.error(
            ck.line_of(raw, "qualifier"),
            f"{p}qualifier",
            f"unknown qualifier {qualifier!r} (one of: {', '.join(sorted(QUALIFIERS))})",
        )
        qualifier = None
    if year is not None and as_of is not None and as_of.year != year:
        ck.error(ck.line_of(raw, "as_of"), f"{p}as_of", f"as_of is not in year {year}")
    if year is not None and period_start is not None and period_start > year:
        ck.error(ck.line_of(raw, "period_start"), f"{p}period_start", "period_start after year")
    if value_text is not None and quote is not None and value_text not in quote.quote:
        ck.error(
            ck.line_of(raw, "value_text"),
            f"{p}value_text",
            f"{value_text!r} does not occur in the quote",
        )
    if None in (year, value, value_text, qualifier, quote):
        return None
    assert quote is not None
    return Baseline(
        year=year,
        as_of=as_of,
        period_start=period_start,
        value=value,
        value_text=value_text,
        qualifier=qualifier,
        basis_zh=basis,
        quote=quote,
        file=ck.file,
        line=ck.line_of(raw),
    )


def _read_target(item: dict[str, Any], ck: _Checker, prefix: str) -> StatedTarget | None:
    raw = ck.get(item, "stated_target", prefix, "mapping", nullable=True)
    if raw is None:
        return None
    p = f"{prefix}stated_target."
    ck.keys(raw, p, TARGET_REQUIRED, ("value_text",))
    year = ck.get(raw, "year", p, "int")
    vmin = ck.get(raw, "value_min", p, "number")
    vmax = ck.get(raw, "value_max", p, "number")
    value_text = ck.get(raw, "value_text", p, "str", nullable=True)
    quote = ck.span(raw, "quote", p)
    if vmin is not None and vmax is not None and vmin > vmax:
        ck.error(ck.line_of(raw, "value_min"), f"{p}value_min", "value_min exceeds value_max")
    if value_text is not None and quote is not None and value_text not in quote.quote:
        ck.error(
            ck.line_of(raw, "value_text"), f"{p}value_text", "value_text does not occur in quote"
        )
    if None in (year, vmin, vmax, quote):
        return None
    assert quote is not None
    return StatedTarget(
        year=year,
        value_min=vmin,
        value_max=vmax,
        value_text=value_text,
        quote=quote,
        file=ck.file,
        line=ck.line_of(raw),
    )


# --------------------------------------------------------------------------------------
# departments.csv


def _read_departments(text: str, file: str, errors: list[PackageError]) -> list[Department]:
    def error(line: int | None, fld: str, message: str) -> None:
        errors.append(PackageError(file, line, fld, message))

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        error(1, "", "empty file: expected header " + ",".join(DEPARTMENT_COLUMNS))
        return []
    except csv.Error as exc:
        error(1, "", f"CSV error: {exc}")
        return []
    header = [h.strip() for h in header]
    if tuple(header) != DEPARTMENT_COLUMNS:
        error(1, "", f"header must be {','.join(DEPARTMENT_COLUMNS)} (got {','.join(header)})")
        return []
    out: list[Department] = []
    first_line: dict[str, int] = {}
    row_no = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            error(reader.line_num, "", f"CSV error: {exc}")
            break
        line = reader.line_num
        if not row or all(not c.strip() for c in row):
            continue
        row_no += 1
        where = f"row {row_no}"
        if len(row) != len(DEPARTMENT_COLUMNS):
            error(
                line,
                "",
                f"{where}: expected {len(DEPARTMENT_COLUMNS)} columns "
                f"({','.join(DEPARTMENT_COLUMNS)}), got {len(row)}",
            )
            continue
        values = dict(zip(DEPARTMENT_COLUMNS, (c.strip() for c in row), strict=True))
        ok = True
        for col in DEPARTMENT_COLUMNS:
            if not values[col]:
                error(line, col, f"{where}: empty")
                ok = False
        code = values["code"]
        if code and not UPPER_SNAKE.match(code):
            error(line, "code", f"{where}: code {code!r} must be UPPER_SNAKE_CASE ASCII")
            ok = False
        if code in first_line:
            error(
                line, "code", f"{where}: duplicate code {code!r} (first at line {first_line[code]})"
            )
            ok = False
        elif code:
            first_line[code] = line
        kind = values["kind"]
        if kind and kind not in DEPARTMENT_KINDS:
            error(
                line, "kind", f"{where}: kind must be one of {', '.join(sorted(DEPARTMENT_KINDS))}"
            )
            ok = False
        template_text = values["template"].lower()
        if template_text and template_text not in ("true", "false"):
            error(line, "template", f"{where}: expected true or false, got {values['template']!r}")
            ok = False
        if ok:
            out.append(
                Department(
                    code=code,
                    name_zh=values["name_zh"],
                    name_en=values["name_en"],
                    kind=kind,
                    template=template_text == "true",
                    file=file,
                    line=line,
                )
            )
    return out


# --------------------------------------------------------------------------------------
# the package


def _read_text(path: Path, name: str, errors: list[PackageError]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        errors.append(PackageError(name, None, "", "file not found"))
    except UnicodeDecodeError as exc:
        errors.append(PackageError(name, None, "", f"not UTF-8 text: {exc}"))
    except OSError as exc:
        errors.append(PackageError(name, None, "", f"cannot read: {exc}"))
    return None


def _plain_name(name: object) -> bool:
    """A file name inside the package folder (no directories, no '..')."""
    return isinstance(name, str) and bool(re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", name))


_BROKEN = object()  # a file that could not be read or parsed (its error is recorded)


def _load_file(root: Path, name: str, errors: list[PackageError]) -> Any:
    """Parsed YAML of ``root/name``; ``_BROKEN`` if unreadable/unparsable; error if empty."""
    text = _read_text(root / name, name, errors)
    if text is None:
        return _BROKEN
    before = len(errors)
    data = _load_yaml(text, name, errors)
    if data is None:
        if len(errors) == before:
            errors.append(PackageError(name, 1, "", "empty file"))
        return _BROKEN
    return data


def read_package(path: Path | str) -> PlanPackage:
    """Read and validate the plan package at ``path`` (its folder, or its ``plan.yaml``).

    Raises ``PackageInvalid`` with every error found.
    """
    path = Path(path)
    root = path.parent if path.is_file() else path
    errors: list[PackageError] = []

    plan_data = _load_file(root, PLAN_FILE, errors)
    if plan_data is not _BROKEN:
        plan_data = _read_meta(plan_data, _Checker(PLAN_FILE, errors, None))
    else:
        plan_data = None

    files = dict(DEFAULT_FILES)
    source_name = "source.txt"
    if plan_data is not None:
        raw_files = plan_data.get("files")
        if isinstance(raw_files, dict):
            files.update({k: v for k, v in raw_files.items() if k in files and _plain_name(v)})
        if _plain_name(plan_data.get("source")):
            source_name = plan_data["source"]
    source = _read_text(root / source_name, source_name, errors)

    meta = None
    if plan_data is not None:
        meta = _meta_from(plan_data, _Checker(PLAN_FILE, errors, source))

    sections: list[Section] = []
    data = _load_file(root, files["sections"], errors)
    if data is not _BROKEN:
        sections = _read_sections(data, _Checker(files["sections"], errors, source))

    indicators: list[Indicator] = []
    data = _load_file(root, files["indicators"], errors)
    if data is not _BROKEN:
        by_code = {s.code: s for s in sections}
        indicators = _read_indicators(data, _Checker(files["indicators"], errors, source), by_code)

    departments: list[Department] = []
    text = _read_text(root / files["departments"], files["departments"], errors)
    if text is not None:
        departments = _read_departments(text, files["departments"], errors)

    index = None
    if meta is not None and meta.index_files is not None and not errors:
        index = read_index(
            root,
            meta.index_files,
            district_code=meta.district.code,
            indicator_codes={i.code for i in indicators},
            error=lambda file, line, fld, message: errors.append(
                PackageError(file, line, fld, message)
            ),
        )

    if errors or meta is None or source is None:
        if not errors:  # pragma: no cover - defensive
            errors.append(PackageError(PLAN_FILE, None, "", "plan metadata incomplete"))
        order = {name: i for i, name in enumerate([PLAN_FILE, source_name, *files.values()])}
        errors.sort(key=lambda e: (order.get(e.file, 99), e.line or 0))
        raise PackageInvalid(errors)
    return PlanPackage(
        root=root,
        meta=meta,
        source_text=source,
        sections=tuple(sections),
        indicators=tuple(indicators),
        departments=tuple(departments),
        index=index,
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m nengji.plan.package PATH``: validate a package, print errors, exit 1 if any."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m nengji.plan.package PATH", file=sys.stderr)
        return 2
    try:
        pkg = read_package(Path(args[0]))
    except PackageInvalid as exc:
        for err in exc.errors:
            print(err, file=sys.stderr)
        print(f"{len(exc.errors)} error(s)", file=sys.stderr)
        return 1
    print(
        f"{pkg.meta.code}: ok — {len(pkg.sections)} sections, {len(pkg.indicators)} indicators, "
        f"{len(pkg.departments)} departments"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
