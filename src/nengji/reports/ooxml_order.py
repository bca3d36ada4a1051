"""Put the children of property elements in the order the OOXML schema prescribes.

python-docx inserts what it knows in schema order, but the layout code adds elements python-docx
has no API for (w:snapToGrid, w:spacing in run properties, w:pBdr, w:tblCellMar…). Word refuses a
document whose property children are out of order ("unreadable content"), while LibreOffice
accepts it, so a document can look fine in tests and still fail in the office. `canonical_order`
sorts pPr, rPr, tblPr and sectPr children by ECMA-376 Part 1 (§17.3.1.26, §17.3.2.28, §17.4.60,
§17.6.17);
unknown children keep their place after the known ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from docx.oxml.ns import qn

PPR = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]
RPR = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]
TBLPR = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
]
# header and footer references come first, in any order among themselves
SECTPR = [
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
]
ORDERS = {qn("w:pPr"): PPR, qn("w:rPr"): RPR, qn("w:tblPr"): TBLPR, qn("w:sectPr"): SECTPR}
SAME_RANK = {qn("w:headerReference"): qn("w:footerReference")}


def _ranks(order: list[str]) -> dict[str, int]:
    rank = {qn(f"w:{name}"): i for i, name in enumerate(order)}
    for tag, same_as in SAME_RANK.items():
        if same_as in rank:
            rank[tag] = rank[same_as]
    return rank


#: element tag → (rank of each known child tag, rank of an unknown child), computed once
RANKS = {tag: (_ranks(order), len(order)) for tag, order in ORDERS.items()}


def _sort(element, rank: dict[str, int], unknown: int) -> None:  # type: ignore[no-untyped-def]
    children = list(element)
    ranks = [rank.get(c.tag, unknown) for c in children]
    if all(a <= b for a, b in pairwise(ranks)):
        return  # already in order (nearly always: one pass over the ranks, no reordering)
    keyed = sorted(zip(ranks, range(len(children)), children, strict=True))
    for child in children:
        element.remove(child)
    for _, _, child in keyed:
        element.append(child)


def canonical_order(roots: Iterable) -> None:  # type: ignore[type-arg]
    """Sort the property children under each root element (document, styles, footers)."""
    for root in roots:
        for element in root.iter(*RANKS):
            rank, unknown = RANKS[element.tag]
            _sort(element, rank, unknown)


def out_of_order(roots: Iterable) -> list[str]:  # type: ignore[type-arg]
    """Property elements whose children are not in schema order (for tests)."""
    bad = []
    for root in roots:
        for tag, order in ORDERS.items():
            rank = _ranks(order)
            for element in root.iter(tag):
                ranks = [rank.get(c.tag, len(order)) for c in element]
                if ranks != sorted(ranks):
                    bad.append(f"{element.tag}: {[c.tag.split('}')[1] for c in element]}")
    return bad
