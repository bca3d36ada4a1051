"""Quotes from a plan's source text: clean display text and finding offsets.

A plan package quotes its source text verbatim, including the line breaks that
page breaks of the original document left in the middle of a paragraph (the
Yangpu seed has ``科技\\n\\n创新能级`` where one page ended and the next began).
``display_text`` removes those breaks so a quote reads as clean paragraphs;
``locate`` finds where a quote occurs so an editor can write correct offsets.

Plain Python: no Django, no third-party imports.
"""

from __future__ import annotations

import itertools
import re

__all__ = ["display_text", "is_paragraph_end", "locate", "locate_loose"]

# A line ending in one of these characters ends its paragraph.
PARAGRAPH_END = frozenset("。！？；：!?;:")

# A page-cut paragraph fragment fills (at least) one printed line of prose, so it
# is long and has punctuation inside; a heading, title or signature line
# (``（一）创新要素加速汇聚``, ``1. 持续深化区校融合发展``, ``上海市杨浦区人民政府``) is
# short or has no clause punctuation.
MIN_FRAGMENT_CHARS = 20
MAX_HEADING_CHARS = 60
CLAUSE_PUNCTUATION = frozenset("，。；：、,;:")

_BREAK = re.compile(r"[ \t]*\n[ \t\n]*")


def is_paragraph_end(line: str) -> bool:
    """True when a line (without its newline) ends its paragraph.

    That is when it ends in 。！？；：, or is shorter than ``MIN_FRAGMENT_CHARS``,
    or is a heading-like line: at most ``MAX_HEADING_CHARS`` long with no clause
    punctuation (，。；：、) inside.  Otherwise the line is the first part of a
    paragraph that a page break cut, and the paragraph goes on on the next line.
    """
    stripped = line.strip()
    if not stripped or stripped[-1] in PARAGRAPH_END:
        return True
    if len(stripped) < MIN_FRAGMENT_CHARS:
        return True
    return len(stripped) <= MAX_HEADING_CHARS and not CLAUSE_PUNCTUATION & set(stripped)


_NUMBERED_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．]\s)"
)


def display_text(quote: str, source: str | None = None, start: int | None = None) -> str:
    """Return ``quote`` with page-break line breaks inside paragraphs removed.

    A run of line breaks is removed (the two halves joined directly, as Chinese
    text has no spaces between words) when the line before it does not end a
    paragraph (see ``is_paragraph_end``).  Every other run of line breaks becomes
    one blank line (``\\n\\n``), so the result is clean paragraphs separated by
    blank lines.

    A quote may start in the middle of a line, so its first line alone cannot
    tell how long the printed line was.  Pass ``source`` and ``start`` (the
    span's offset) to judge the first line as a whole; without them the first
    line ends its paragraph only if it ends in 。！？；： or is a numbered heading.
    """
    segments = _BREAK.split(quote)
    out = [segments[0]]
    for i, (previous, segment) in enumerate(itertools.pairwise(segments)):
        ends = _first_line_ends(previous, source, start) if i == 0 else is_paragraph_end(previous)
        out.append("\n\n" if ends else "")
        out.append(segment)
    return "".join(out).strip("\n")


def _first_line_ends(line: str, source: str | None, start: int | None) -> bool:
    if source is not None and start is not None:
        line_start = source.rfind("\n", 0, start) + 1
        return is_paragraph_end(source[line_start:start] + line)
    stripped = line.strip()
    if not stripped or stripped[-1] in PARAGRAPH_END:
        return True
    return bool(_NUMBERED_HEADING.match(stripped)) and not CLAUSE_PUNCTUATION & set(stripped)


def locate(source: str, quote: str) -> list[tuple[int, int]]:
    """Every ``(start, end)`` with ``source[start:end] == quote``, in order (overlaps included)."""
    if not quote:
        return []
    found: list[tuple[int, int]] = []
    start = source.find(quote)
    while start != -1:
        found.append((start, start + len(quote)))
        start = source.find(quote, start + 1)
    return found


def locate_loose(source: str, quote: str) -> list[tuple[int, int]]:
    """Like ``locate`` but ignoring whitespace differences (line breaks, spaces).

    ``quote`` may be the clean display text of a passage; the offsets returned
    are those of the verbatim passage in ``source`` (whose slice is then the
    quote to write into the package).
    """
    chars = [c for c in quote if not c.isspace()]
    if not chars:
        return []
    pattern = re.compile(r"\s*".join(re.escape(c) for c in chars))
    return [(m.start(), m.end()) for m in pattern.finditer(source)]
