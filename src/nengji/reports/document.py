"""The report as a plain data structure: what every writer (docx, PDF, xlsx) renders.

Content modules (`nengji.reports.content.*`) build a `Report` from selectors; the writers never
query the database. So the Word file, the PDF and the workbook of one generation show the same
figures by construction.

Headings carry their 公文 level (1 一、, 2 （一）, 3 1., 4 （1）) and are numbered here, once, by
`Report.numbered()`, so all writers print the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

Value = Decimal | int | float | str | None

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (enough for headings, 1–99)."""
    if not 0 < n < 100:
        raise ValueError(f"heading number out of range: {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


def heading_prefix(level: int, n: int) -> str:
    if level == 1:
        return f"{cn_number(n)}、"
    if level == 2:
        return f"（{cn_number(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"heading level must be 1–4, got {level}")


@dataclass
class Heading:
    level: int
    text: str
    number: str = ""

    @property
    def full(self) -> str:
        return f"{self.number}{self.text}"


@dataclass
class Paragraph:
    """A body paragraph. `placeholder` marks text only people can write (the office edits it)."""

    text: str
    placeholder: bool = False
    lead: str = ""  # an optional bold-ish lead sentence (1. 的段首句), rendered before `text`


@dataclass
class Column:
    title: str
    unit: str = ""
    kind: Literal["text", "number", "percent", "status", "date"] = "text"
    decimals: int | None = None
    width: float = 1.0  # relative width in the 156 mm text block

    @property
    def header(self) -> str:
        if not self.unit:
            return self.title
        if self.title.isascii():  # an English report
            return f"{self.title} ({self.unit})"
        return f"{self.title}（{self.unit}）"


MISSING = "—"


def format_value(value: Value, column: Column) -> str:
    """The text a reader sees in a cell. Missing values print as a dash, never as 0."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if column.kind == "percent":
        return f"{float(value):.{1 if column.decimals is None else column.decimals}f}%"
    if column.kind in ("number", "percent"):
        if column.decimals is not None:
            return f"{Decimal(str(value)):,.{column.decimals}f}"
        return plain_number(value)
    return str(value)


def plain_number(value: Decimal | int | float) -> str:
    """A number as the plan prints it: no trailing zeros; thousands separators from a million."""
    d = Decimal(str(value)).normalize()
    if d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    text = f"{d:f}"
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    if len(whole) > 6:  # 2,345,678; up to 999999 as printed in the plan (18000, 100.5)
        whole = f"{int(whole):,}"
    return sign + whole + ("." + frac if frac else "")


@dataclass
class Table:
    key: str  # stable id; also the workbook's sheet name (≤ 31 characters)
    title: str
    columns: list[Column]
    rows: Sequence[Sequence[Any]]  # Values (numbers, text, None), per column
    source: str = ""
    notes: list[str] = field(default_factory=list)
    number: int = 0
    font_pt: float = 10.5  # 五号; wide tables use 小五 (9 pt)
    label: str = "表"
    keep_whole: bool = False  # a short table: never broken across pages

    @property
    def caption(self) -> str:
        if not self.number:
            return self.title
        sep = "　" if self.label == "表" else ". "
        return f"{self.label}{self.number}{sep}{self.title}"

    def cell_text(self, row: int, col: int) -> str:
        return format_value(self.rows[row][col], self.columns[col])


@dataclass
class Figure:
    key: str
    title: str
    png: bytes
    alt: str = ""
    source: str = ""
    number: int = 0
    height_ratio: float = 0.55  # height / width, for layout in the text block
    label: str = "图"

    @property
    def caption(self) -> str:
        if not self.number:
            return self.title
        sep = "　" if self.label == "图" else ". "
        return f"{self.label}{self.number}{sep}{self.title}"


@dataclass
class Notice:
    """A boxed remark near the top (演示数据, 数据缺失)."""

    text: str
    tone: Literal["demo", "missing", "info"] = "info"


Block = Heading | Paragraph | Table | Figure | Notice


@dataclass
class Annex:
    """An attachment (附件) printed after the signature, each on a new page: long tables and the
    arithmetic behind the ratings live here, so the body reads as text."""

    title: str
    blocks: list[Block]
    number: int = 0

    @property
    def label(self) -> str:
        return f"附件{self.number}" if self.number else "附件"


#: labels the writers print, by the report's language
LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "source": "数据来源：",
        "note": "注：",
        "table": "表",
        "figure": "图",
        "annex": "附件",
        "annexes": "附件：",
        "demo": "演示数据",
        "sep": "　",
    },
    "en": {
        "source": "Source: ",
        "note": "Note: ",
        "table": "Table ",
        "figure": "Figure ",
        "annex": "Annex ",
        "annexes": "Annexes: ",
        "demo": "Demo data",
        "sep": ". ",
    },
}


@dataclass
class Report:
    kind: Literal["annual", "midterm"]
    year: int
    title: str
    blocks: list[Block]
    issuer: str
    date: dt.date
    subtitle: str = ""
    has_demo_data: bool = False
    missing: list[str] = field(default_factory=list)
    generated_at: dt.datetime | None = None
    annexes: list[Annex] = field(default_factory=list)
    lang: Literal["zh", "en"] = "zh"
    #: tables for analysts, written only into the workbook (every column, every value)
    data_tables: list[Table] = field(default_factory=list)

    @property
    def labels(self) -> dict[str, str]:
        return LABELS[self.lang]

    def all_blocks(self) -> list[Block]:
        return [*self.blocks, *[b for a in self.annexes for b in a.blocks]]

    def numbered(self) -> Report:
        """Number headings per level (resetting deeper levels; English headings 1, 1.1, …),
        tables and figures in order through the body and the annexes, and the annexes."""
        counters = [0, 0, 0, 0, 0]
        tables = figures = 0
        for block in self.blocks:
            if isinstance(block, Heading):
                counters[block.level] += 1
                for deeper in range(block.level + 1, 5):
                    counters[deeper] = 0
                if self.lang == "en":
                    block.number = ".".join(str(n) for n in counters[1 : block.level + 1]) + " "
                else:
                    block.number = heading_prefix(block.level, counters[block.level])
        for n, annex in enumerate(self.annexes, start=1):
            annex.number = n
        for block in self.all_blocks():
            if isinstance(block, Table):
                tables += 1
                block.number = tables
                block.label = self.labels["table"]
            elif isinstance(block, Figure):
                figures += 1
                block.number = figures
                block.label = self.labels["figure"]
        return self

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.all_blocks() if isinstance(b, Table)]

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.all_blocks() if isinstance(b, Figure)]

    def annex_label(self, annex: Annex) -> str:
        return f"{self.labels['annex']}{annex.number}"

    @property
    def date_zh(self) -> str:
        """成文日期 in Arabic numerals, as GB/T 9704-2012 §7.3.5.3 prescribes: 2026年11月28日;
        in an English report the English date (28 November 2026)."""
        if self.lang == "en":
            return f"{self.date.day} {self.date:%B} {self.date.year}"
        return f"{self.date.year}年{self.date.month}月{self.date.day}日"
