"""Word documents in the official layout of GB/T 9704-2012 (党政机关公文格式), with python-docx.

What the standard fixes and where it is done here:

* A4 paper; top margin 37 mm, left (binding) margin 28 mm, text block 156 × 225 mm, so the right
  margin is 26 mm and the bottom margin 35 mm (§5.2.1–5.2.2) — `_page_setup`.
* 22 lines of 28 characters a page (§5.2.3): a `w:docGrid` with a line pitch of 225 mm / 22
  (579 twips), also set as the body's exact line spacing, and the character pitch 156 mm / 28 =
  15.79 pt recorded in `w:charSpace`. The grid type is "lines", not "linesAndChars": Word fits
  3号 characters into a 15.79 pt character grid by itself, but LibreOffice gives each a double
  cell (14 characters a line). Condensing 3号 text by a quarter point (15.75 pt a character)
  gives 28 characters a line in Word, WPS and LibreOffice alike — `_page_setup`, `_fit_grid`.
* Body text 3号 (16 pt) 仿宋 (§5.2.4, §7.3.3): the run properties name `FangSong_GB2312` as the
  east-Asian font (the family name government PCs have); the font table gives each family an
  alternate name and the GB2312 charset, so Word or WPS substitutes an installed 仿宋 and
  LibreOffice falls back to any installed CJK font. The PDF writer renders with installed fonts.
* Title 2号 (22 pt) 小标宋 (FZXiaoBiaoSong-B05S), centred (§7.3.2).
* Headings (§7.3.3): 一、 黑体 (SimHei); （一） 楷体 (KaiTi_GB2312); 1. and （1） 仿宋; all 3号,
  first line indented two characters like the body; built on Word's Heading 1–4 styles, so the
  navigation pane and a table of contents work.
* Page numbers (§7.5): 4号 (14 pt) half-width 宋体 digits between em dashes, "— 1 —", odd pages
  right-aligned with one character's indent, even pages left-aligned likewise, with different
  odd and even footers (`w:evenAndOddHeaders`).
* The issuing unit and the date at the end (§7.3.5.2, unsealed documents): the unit two
  characters from the right, the date on the next line starting two characters right of the
  unit's first character; a date longer than that pushes the unit left.
* Tables and figures fit the 156 mm text block; table text is 五号 (10.5 pt) 仿宋 with single
  spacing, header rows repeat on every page.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Length, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from nengji.reports.document import (
    MISSING,
    Annex,
    Block,
    Figure,
    Heading,
    Notice,
    Paragraph,
    Report,
    Table,
)
from nengji.reports.ooxml_order import canonical_order

# --- page geometry (GB/T 9704-2012 §5.2) -------------------------------------------------------
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
TOP_MM = 37
LEFT_MM = 28
BLOCK_WIDTH_MM = 156
BLOCK_HEIGHT_MM = 225
RIGHT_MM = PAGE_WIDTH_MM - LEFT_MM - BLOCK_WIDTH_MM  # 26
BOTTOM_MM = PAGE_HEIGHT_MM - TOP_MM - BLOCK_HEIGHT_MM  # 35
LINES_PER_PAGE = 22
GRID_TYPE = "lines"
CHARS_PER_LINE = 28
# The page number's baseline sits 7 mm below the text block (§7.5): the footer starts about
# one 4号 line above that, measured from the paper's bottom edge.
FOOTER_DISTANCE_MM = BOTTOM_MM - 7 - 5

TWIPS_PER_MM = 1440 / 25.4
LINE_PITCH_TWIPS = int(BLOCK_HEIGHT_MM * TWIPS_PER_MM / LINES_PER_PAGE)  # 579 (28.95 pt)
CHAR_PITCH_PT = BLOCK_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE  # 15.79 pt

# --- type (GB/T 9704-2012 §5.2.4, §7) ----------------------------------------------------------
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
PAGE_NUMBER_PT = 14  # 4号
TABLE_PT = 10.5  # 五号
NOTE_PT = 12  # 小四, for table/figure sources
TABLE_CELL_MARGIN_MM = 1.0

FANGSONG = "FangSong_GB2312"
XIAOBIAOSONG = "FZXiaoBiaoSong-B05S"
HEITI = "SimHei"
KAITI = "KaiTi_GB2312"
SONGTI = "SimSun"
LATIN = "Times New Roman"

# Font-table entries: Chinese alternate names (what Word and WPS look up when the family is not
# installed) and the GB2312 charset (86), so substitution stays within Chinese fonts.
FONT_ALT_NAMES = {
    FANGSONG: "仿宋",
    XIAOBIAOSONG: "方正小标宋简体",
    HEITI: "黑体",
    KAITI: "楷体",
    SONGTI: "宋体",
}

HEADING_FONTS = {1: HEITI, 2: KAITI, 3: FANGSONG, 4: FANGSONG}


def build_docx(report: Report) -> bytes:
    """The report as a .docx file (bytes).

    Paragraph styles are set by id and tables are written as XML in one piece: python-docx
    looks a style up by name by scanning every style (twice) and builds a table cell by cell
    through generic XML helpers, which made a report with ~2,000 table cells take 10–20 s.
    """
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _resolve_style_ids(doc)
    _font_table(doc)
    _footers(doc)
    _core_properties(doc, report)
    _title(doc, report)
    for block in report.blocks:
        _block(doc, block, report)
    _annex_list(doc, report)
    _signature(doc, report)
    for annex in report.annexes:
        _annex(doc, annex, report)
    canonical_order(xml_roots(doc))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


#: paragraph style names → style ids in the document being written (`_resolve_style_ids`)
STYLE_IDS: dict[str, str] = {}
STYLE_NAMES = (
    "Normal",
    "Title",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Heading 4",
    "Table Text",
    "Caption",
    "Source Note",
    "Footer",
    "Table Grid",
)


def _resolve_style_ids(doc: DocxDocument) -> None:
    """Look every style the writer uses up once (the ids are the same in every document built
    from python-docx's template, but asking the document keeps that an observation)."""
    for name in STYLE_NAMES:
        STYLE_IDS[name] = doc.styles[name].style_id


def _para(doc: DocxDocument, text: str = "", style: str | None = None) -> DocxParagraph:
    """`doc.add_paragraph(text, style)` without python-docx's style lookup by name."""
    paragraph = doc.add_paragraph()
    if style is not None:
        paragraph._p.style = STYLE_IDS[style]
    if text:
        paragraph.add_run(text)
    return paragraph


def _block(doc: DocxDocument, block: Block, report: Report) -> None:
    if isinstance(block, Heading):
        _para(doc, block.full, f"Heading {block.level}")
    elif isinstance(block, Paragraph):
        _body_paragraph(doc, block)
    elif isinstance(block, Table):
        _table(doc, block, report)
    elif isinstance(block, Figure):
        _figure(doc, block, report)
    elif isinstance(block, Notice):
        _notice(doc, block)


def _annex_list(doc: DocxDocument, report: Report) -> None:
    """附件说明 (§7.3.4): one blank line under the body, "附件：" two characters in, the items
    numbered and aligned under the first one."""
    if not report.annexes:
        return
    _para(doc)
    head = report.labels["annexes"]
    for i, annex in enumerate(report.annexes):
        paragraph = doc.add_paragraph()
        lead = head if i == 0 else ""
        if i:
            _indent_chars(paragraph._p, left=2 + text_width_chars(head), first=0)
        _run(paragraph, f"{lead}{annex.number}. {annex.title}", east_asia=FANGSONG)
        paragraph.paragraph_format.keep_with_next = True


def _annex(doc: DocxDocument, annex: Annex, report: Report) -> None:
    """An attachment on a new page: "附件N" in 黑体 at the top left, its title centred."""
    label = doc.add_paragraph()
    label.paragraph_format.page_break_before = True
    label.paragraph_format.keep_with_next = True
    _indent_chars(label._p, first=0)
    _run(label, report.annex_label(annex), east_asia=HEITI)
    _para(doc, annex.title, "Title")
    _para(doc)
    for block in annex.blocks:
        _block(doc, block, report)


def xml_roots(doc: DocxDocument) -> list:  # type: ignore[type-arg]
    """The XML trees that carry formatting: body, styles, every header and footer."""
    roots = [doc.element, doc.styles.element]
    for section in doc.sections:
        for part in (section.footer, section.even_page_footer, section.header):
            if not part.is_linked_to_previous:
                roots.append(part._element)
    return roots


def write_docx(report: Report, path: Path) -> Path:
    path.write_bytes(build_docx(report))
    return path


# --- page -------------------------------------------------------------------------------------
def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(TOP_MM)
    section.bottom_margin = Mm(BOTTOM_MM)
    section.left_margin = Mm(LEFT_MM)
    section.right_margin = Mm(RIGHT_MM)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(FOOTER_DISTANCE_MM)
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), GRID_TYPE)
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    # w:charSpace is the change of the character pitch from the default font size, in 1/4096 pt.
    grid.set(qn("w:charSpace"), str(round((CHAR_PITCH_PT - BODY_PT) * 4096)))
    sect_pr.append(grid)


# --- styles -----------------------------------------------------------------------------------
def set_fonts(rpr_parent, *, east_asia: str, latin: str = LATIN) -> None:  # type: ignore[no-untyped-def]
    """Name the fonts in the run properties of a run or a style (east-Asian and Latin)."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _style_font(style, *, east_asia: str, size: float, latin: str = LATIN, bold: bool = False):  # type: ignore[no-untyped-def]
    _fit_grid(style.element, size)
    style.font.name = latin
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(style.element, east_asia=east_asia, latin=latin)


def _fit_grid(style_element, size: float) -> None:  # type: ignore[no-untyped-def]
    """Condense 3号 characters by a quarter point so each fits one grid cell (15.79 pt).

    Word squeezes characters into the grid by itself; LibreOffice gives a character wider than
    a cell two cells, which would halve the line to 14 characters. At 15.75 pt both agree on 28.
    """
    rpr = style_element.get_or_add_rPr()
    for old in rpr.findall(qn("w:spacing")):
        rpr.remove(old)
    if size == BODY_PT:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(round((CHAR_PITCH_PT - BODY_PT) * 20) - 1))  # -5 twips
        rpr.append(spacing)


def _exact_lines(fmt, points: float = LINE_PITCH_TWIPS / 20) -> None:  # type: ignore[no-untyped-def]
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(points)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _indent_chars(fmt_element, *, first: float = 0, left: float = 0, right: float = 0) -> None:  # type: ignore[no-untyped-def]
    """Indents in characters (w:firstLineChars etc., hundredths) plus twips for other readers."""
    ppr = fmt_element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    char_twips = BODY_PT * 20
    for name, chars in (("firstLine", first), ("left", left), ("right", right)):
        ind.set(qn(f"w:{name}"), str(round(chars * char_twips)))
        ind.set(qn(f"w:{name}Chars"), str(round(chars * 100)))


def _styles(doc: DocxDocument) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    _style_font(normal, east_asia=FANGSONG, size=BODY_PT)
    _exact_lines(normal.paragraph_format)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.widow_control = False
    _indent_chars(normal.element, first=2)
    # Default run properties of the document, for text outside any style (footers, fields).
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rfonts = rpr_default.find(qn("w:rPr")).find(qn("w:rFonts"))
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    rfonts.set(qn("w:ascii"), LATIN)
    rfonts.set(qn("w:hAnsi"), LATIN)
    rfonts.set(qn("w:eastAsia"), FANGSONG)
    # The grid's character pitch is counted from the default size: make it the body size.
    for tag in ("w:sz", "w:szCs"):
        rpr_default.find(qn("w:rPr")).find(qn(tag)).set(qn("w:val"), str(BODY_PT * 2))
    lang = rpr_default.find(qn("w:rPr")).find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault"))
    spacing = spacing.find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")

    title = styles["Title"]
    _style_font(title, east_asia=XIAOBIAOSONG, size=TITLE_PT)
    _exact_lines(title.paragraph_format, 36)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _indent_chars(title.element)
    _no_border(title.element)

    for level, font in HEADING_FONTS.items():
        style = styles[f"Heading {level}"]
        _style_font(style, east_asia=font, size=BODY_PT)
        _exact_lines(style.paragraph_format)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        style.paragraph_format.keep_with_next = True
        _indent_chars(style.element, first=2)

    table_text = styles.add_style("Table Text", 1)  # paragraph style
    table_text.base_style = normal
    _style_font(table_text, east_asia=FANGSONG, size=TABLE_PT)
    fmt = table_text.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = Pt(1)
    fmt.space_after = Pt(1)
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _indent_chars(table_text.element)
    _no_snap(table_text.element)

    caption = styles["Caption"]
    caption.base_style = normal
    _style_font(caption, east_asia=HEITI, size=NOTE_PT + 2)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact_lines(caption.paragraph_format)
    caption.paragraph_format.keep_with_next = True
    _indent_chars(caption.element)

    source = styles.add_style("Source Note", 1)
    source.base_style = normal
    _style_font(source, east_asia=FANGSONG, size=NOTE_PT)
    _exact_lines(source.paragraph_format, 20)
    source.paragraph_format.space_before = Pt(3)
    source.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _indent_chars(source.element)
    _no_snap(source.element)

    footer = styles["Footer"]
    _style_font(footer, east_asia=SONGTI, size=PAGE_NUMBER_PT, latin=SONGTI)
    footer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _indent_chars(footer.element)
    _no_snap(footer.element)


def _no_snap(style_element) -> None:  # type: ignore[no-untyped-def]
    ppr = style_element.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.append(snap)


def _no_border(style_element) -> None:  # type: ignore[no-untyped-def]
    ppr = style_element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _font_table(doc: DocxDocument) -> None:
    from lxml import etree  # type: ignore[import-untyped]  # python-docx's own XML library

    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = etree.fromstring(part.blob)
    for name, alt in FONT_ALT_NAMES.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("altName", alt), ("charset", "86"), ("family", "auto")):
            child = etree.SubElement(font, qn(f"w:{tag}"))
            child.set(qn("w:val"), value)
        pitch = etree.SubElement(font, qn("w:pitch"))
        pitch.set(qn("w:val"), "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _core_properties(doc: DocxDocument, report: Report) -> None:
    """Author = the issuing office, created/modified = generation time (python-docx's template
    would otherwise say 2013), the language, the demo flag as a keyword."""
    import datetime as dt

    from django.utils import timezone

    props = doc.core_properties
    props.title = report.title + (report.subtitle and f" {report.subtitle}")
    props.author = report.issuer
    props.last_modified_by = report.issuer
    props.subject = report.subtitle or f"{report.year}"
    props.keywords = report.labels["demo"] if report.has_demo_data else ""
    props.comments = (
        "Generated by nengji from its database"
        if report.lang == "en"
        else "由 nengji（能级）根据数据库生成"
    )
    props.language = "en-GB" if report.lang == "en" else "zh-CN"
    props.category = report.kind
    props.revision = 1
    when = report.generated_at or timezone.localtime()
    stamp = when.astimezone(dt.UTC).replace(tzinfo=None)
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp


# --- page numbers -----------------------------------------------------------------------------
def _footers(doc: DocxDocument) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)


def _page_number(paragraph: DocxParagraph, *, odd: bool) -> None:
    paragraph.style = "Footer"
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    # one character (of the page-number size) from the text block's edge
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:right" if odd else "w:left"), str(PAGE_NUMBER_PT * 20))
    _run(paragraph, "— ", east_asia=SONGTI, latin=SONGTI)
    _field(paragraph, "PAGE", "1")
    _run(paragraph, " —", east_asia=SONGTI, latin=SONGTI)


def _run(paragraph: DocxParagraph, text: str, *, east_asia: str, latin: str = LATIN):  # type: ignore[no-untyped-def]
    run = paragraph.add_run(text)
    set_fonts(run._r, east_asia=east_asia, latin=latin)
    return run


def _field(paragraph: DocxParagraph, instruction: str, shown: str) -> None:
    def fld(kind: str):  # type: ignore[no-untyped-def]
        run = _run(paragraph, "", east_asia=SONGTI, latin=SONGTI)
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)
        return run

    fld("begin")
    instr_run = _run(paragraph, "", east_asia=SONGTI, latin=SONGTI)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run._r.append(instr)
    fld("separate")
    _run(paragraph, shown, east_asia=SONGTI, latin=SONGTI)
    fld("end")


# --- blocks -----------------------------------------------------------------------------------
def _title(doc: DocxDocument, report: Report) -> None:
    _para(doc, report.title, "Title")
    if report.subtitle:
        _para(doc, report.subtitle, "Title")
    _para(doc)  # GB/T 9704 §7.3.2: a blank line between title and body


def _body_paragraph(doc: DocxDocument, block: Paragraph) -> None:
    paragraph = doc.add_paragraph()
    if block.lead:
        _run(paragraph, block.lead, east_asia=FANGSONG).bold = True
    run = _run(paragraph, block.text, east_asia=KAITI if block.placeholder else FANGSONG)
    if block.placeholder:
        _highlight(run, "yellow")


def _highlight(run, color: str) -> None:  # type: ignore[no-untyped-def]
    mark = OxmlElement("w:highlight")
    mark.set(qn("w:val"), color)
    run._r.get_or_add_rPr().append(mark)


def _notice(doc: DocxDocument, block: Notice) -> None:
    paragraph = doc.add_paragraph()
    _indent_chars(paragraph._p, first=0)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    color = "C00000" if block.tone == "demo" else "7F7F7F"
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "8")
        edge.set(qn("w:space"), "4")
        edge.set(qn("w:color"), color)
        borders.append(edge)
    ppr.append(borders)
    run = _run(paragraph, block.text, east_asia=KAITI)
    if block.tone == "demo":
        run.font.color.rgb = RGBColor(0xC0, 0, 0)


def column_widths_mm(table: Table) -> list[float]:
    """Relative column widths scaled to the 156 mm text block."""
    total = sum(c.width for c in table.columns)
    return [BLOCK_WIDTH_MM * c.width / total for c in table.columns]


#: tables of up to this many rows are kept on one page
SHORT_TABLE_ROWS = 15


def _table(doc: DocxDocument, block: Table, report: Report) -> None:
    _para(doc, block.caption, "Caption")
    doc.element.body._insert_tbl(parse_xml(table_xml(block)))
    labels = report.labels
    lines = ([f"{labels['source']}{block.source}"] if block.source else []) + [
        f"{labels['note']}{note}" for note in block.notes
    ]
    for line in lines:
        _para(doc, line, "Source Note")
    if not lines:
        _para(doc, "", "Source Note")


def table_xml(block: Table) -> str:
    """The `w:tbl` of a table, written as one string and parsed once.

    Every row is `cantSplit` (never broken across pages); the header row repeats on each page
    (`tblHeader`); keepNext on a row's paragraphs keeps it with the next row: the header with
    the first rows (never orphaned at a page foot), a short table whole. Cells are 五号 仿宋
    (header 黑体), centred vertically; numbers right-aligned, statuses and dashes centred.
    Children are written in the schema's order (ECMA-376 §17.4).
    """
    widths = [Mm(mm).twips for mm in column_widths_mm(block)]
    keep_whole = block.keep_whole or len(block.rows) <= SHORT_TABLE_ROWS
    size = "" if block.font_pt == TABLE_PT else f'<w:sz w:val="{round(block.font_pt * 2)}"/>'
    style = STYLE_IDS["Table Text"]
    margin = round(TABLE_CELL_MARGIN_MM * TWIPS_PER_MM)
    out = [
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        f'<w:tblStyle w:val="{STYLE_IDS["Table Grid"]}"/>'
        f'<w:tblW w:w="{round(sum(column_widths_mm(block)) * TWIPS_PER_MM)}" w:type="dxa"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        # narrow cell margins (1 mm each side) so a year or a five-digit number fits
        f'<w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/>'
        f'<w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    n_rows = 1 + len(block.rows)

    def row(r: int, cells: list[tuple[str, str]], font: str) -> None:
        keep = "<w:keepNext/>" if r < n_rows - 1 and (keep_whole or r < 2) else ""
        out.append(
            "<w:tr><w:trPr>" + ("<w:tblHeader/>" if r == 0 else "") + "<w:cantSplit/></w:trPr>"
        )
        run_pr = (
            f'<w:rPr><w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:cs="{LATIN}" '
            f'w:eastAsia="{font}"/>{size}</w:rPr>'
        )
        for width, (text, align) in zip(widths, cells, strict=True):
            jc = f'<w:jc w:val="{align}"/>' if align else ""
            out.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/>'
                f'</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/>{keep}{jc}</w:pPr>'
                f"<w:r>{run_pr}{run_text_xml(text)}</w:r></w:p></w:tc>"
            )
        out.append("</w:tr>")

    row(0, [(c.header, "center") for c in block.columns], HEITI)
    for r in range(len(block.rows)):
        cells = []
        for col, column in enumerate(block.columns):
            text = block.cell_text(r, col)
            if column.kind == "status" or text == MISSING:
                align = "center"
            elif column.kind in ("number", "percent"):
                align = "right"
            else:
                align = ""
            cells.append((text, align))
        row(r + 1, cells, FANGSONG)
    out.append("</w:tbl>")
    return "".join(out)


#: characters XML 1.0 does not allow (python-docx refuses them too)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def run_text_xml(text: str) -> str:
    """A run's text: `w:t` (whitespace kept), line breaks as `w:br`, tabs as `w:tab`, as
    python-docx writes them; characters XML cannot carry are dropped."""
    parts = []
    for i, line in enumerate(_XML_INVALID.sub("", text).split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return "".join(parts)


def _figure(doc: DocxDocument, block: Figure, report: Report) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _indent_chars(paragraph._p)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.paragraph_format.keep_with_next = True
    width: Length = Mm(BLOCK_WIDTH_MM - 2)
    height: Length = Emu(int(width * block.height_ratio))
    max_height = Mm(BLOCK_HEIGHT_MM * 0.6)
    if height > max_height:
        width, height = Emu(int(max_height / block.height_ratio)), max_height
    paragraph.add_run().add_picture(io.BytesIO(block.png), width=width, height=height)
    _para(doc, block.caption, "Caption")
    if block.source:
        _para(doc, f"{report.labels['source']}{block.source}", "Source Note")


# --- signature --------------------------------------------------------------------------------
def text_width_chars(text: str) -> float:
    """Width in body characters: ASCII (digits, Latin) is half-width."""
    return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text)


def signature_indents(issuer: str, date_text: str) -> tuple[float, float]:
    """Right indents (in characters) of the unit line and the date line (§7.3.5.2).

    The unit sits two characters from the right; the date starts two characters right of the
    unit's first character; when that would push the date closer than two characters to the
    right edge, the date keeps two characters and the unit moves left.
    """
    unit_w, date_w = text_width_chars(issuer), text_width_chars(date_text)
    start = min(CHARS_PER_LINE - 2 - unit_w, CHARS_PER_LINE - 2 - 2 - date_w)
    return CHARS_PER_LINE - start - unit_w, CHARS_PER_LINE - start - 2 - date_w


def _signature(doc: DocxDocument, report: Report) -> None:
    unit_right, date_right = signature_indents(report.issuer, report.date_zh)
    _para(doc)
    _para(doc)
    for text, right in ((report.issuer, unit_right), (report.date_zh, date_right)):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _indent_chars(paragraph._p, right=right)
        paragraph.paragraph_format.keep_with_next = True
        _run(paragraph, text, east_asia=FANGSONG)


__all__ = ["build_docx", "column_widths_mm", "signature_indents", "write_docx"]
