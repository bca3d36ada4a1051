"""PDF of a report: the same `Report` as HTML in the GB/T 9704 layout, typeset by WeasyPrint.

Why WeasyPrint and not a .docx → PDF conversion: no office suite on the server, and WeasyPrint
lays out CSS paged media (odd/even page-number boxes, repeated table headers) with Pango, which
finds installed CJK fonts through fontconfig. The font lists name the official families first
(FangSong_GB2312, SimHei, KaiTi_GB2312, FZXiaoBiaoSong-B05S, SimSun), so a server that has them
uses them, then common CJK families, then Debian's Noto CJK, which is always installed here.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from nengji.reports.document import Figure, Heading, Notice, Paragraph, Report, Table
from nengji.reports.gbt9704 import (
    BLOCK_HEIGHT_MM,
    BODY_PT,
    BOTTOM_MM,
    CHARS_PER_LINE,
    LEFT_MM,
    LINE_PITCH_TWIPS,
    PAGE_NUMBER_PT,
    RIGHT_MM,
    TABLE_PT,
    TITLE_PT,
    TOP_MM,
    column_widths_mm,
    signature_indents,
)

SERIF_FALLBACK = '"Noto Serif CJK SC", "Source Han Serif SC", serif'
SANS_FALLBACK = '"Noto Sans CJK SC", "Source Han Sans SC", sans-serif'
FONTS = {
    "fangsong": f'"FangSong_GB2312", "FangSong", "仿宋", "STFangsong", {SERIF_FALLBACK}',
    "kaiti": f'"KaiTi_GB2312", "KaiTi", "楷体", "STKaiti", "AR PL UKai CN", {SERIF_FALLBACK}',
    "heiti": f'"SimHei", "黑体", "STHeiti", {SANS_FALLBACK}',
    "xiaobiaosong": f'"FZXiaoBiaoSong-B05S", "方正小标宋简体", "STZhongsong", {SERIF_FALLBACK}',
    "songti": f'"SimSun", "宋体", "STSong", {SERIF_FALLBACK}',
}
LINE_PT = LINE_PITCH_TWIPS / 20


def _css() -> str:
    return f"""
@page {{
  size: A4;
  margin: {TOP_MM}mm {RIGHT_MM}mm {BOTTOM_MM}mm {LEFT_MM}mm;
}}
@page :right {{
  @bottom-right {{
    content: "— " counter(page) " —";
    font-family: {FONTS["songti"]}; font-size: {PAGE_NUMBER_PT}pt;
    vertical-align: top; padding-top: 3mm; margin-right: 1em;
  }}
}}
@page :left {{
  @bottom-left {{
    content: "— " counter(page) " —";
    font-family: {FONTS["songti"]}; font-size: {PAGE_NUMBER_PT}pt;
    vertical-align: top; padding-top: 3mm; margin-left: 1em;
  }}
}}
html {{ font-family: {FONTS["fangsong"]}; font-size: {BODY_PT}pt; color: #000; }}
body {{ margin: 0; line-height: {LINE_PT}pt; }}
p, h1, h2, h3, h4, h5 {{ margin: 0; font-weight: normal; font-size: 1em; }}
p.body, h2, h3, h4, h5 {{
  text-indent: 2em; text-align: justify; letter-spacing: -0.25pt;
  orphans: 1; widows: 1;
}}
h1.title {{
  font-family: {FONTS["xiaobiaosong"]}; font-size: {TITLE_PT}pt; font-weight: bold;
  line-height: 36pt; text-align: center;
}}
h1.title + .blank {{ height: {LINE_PT}pt; }}
h2 {{ font-family: {FONTS["heiti"]}; page-break-after: avoid; }}
h3 {{ font-family: {FONTS["kaiti"]}; page-break-after: avoid; }}
h4, h5 {{ font-family: {FONTS["fangsong"]}; page-break-after: avoid; }}
.lead {{ font-weight: bold; }}
.placeholder {{ font-family: {FONTS["kaiti"]}; background: #fff2a8; }}
.notice {{
  border: 1px solid #7f7f7f; padding: 2mm 3mm; margin: 1mm 0 2mm 0;
  font-family: {FONTS["kaiti"]}; line-height: 1.6;
}}
.notice.demo {{ border-color: #c00000; color: #c00000; }}
.caption {{
  font-family: {FONTS["heiti"]}; font-size: 14pt; text-align: center;
  margin-top: 3mm; page-break-after: avoid;
}}
figure {{ margin: 2mm 0 0 0; page-break-inside: avoid; }}
figure img {{ display: block; margin: 0 auto; }}
table.data {{
  width: 156mm; border-collapse: collapse; table-layout: fixed;
  font-size: {TABLE_PT}pt; line-height: 1.35; margin-top: 1mm;
}}
table.data th, table.data td {{
  border: 0.75pt solid #000; padding: 0.6mm 1mm; vertical-align: middle;
}}
table.data th {{ font-family: {FONTS["heiti"]}; font-weight: normal; text-align: center; }}
table.data td.num {{ text-align: right; white-space: nowrap; }}
table.data td.status, table.data td.missing {{ text-align: center; }}
table.data tr {{ page-break-inside: avoid; }}
table.data.whole {{ page-break-inside: avoid; }}
table.data thead {{ display: table-header-group; }}
.annex-list p {{ text-indent: 2em; }}
.annex-list p.more {{ padding-left: 5em; text-indent: 0; }}
.annex {{ page-break-before: always; }}
.annex .label {{ font-family: {FONTS["heiti"]}; }}
.source {{ font-size: 12pt; line-height: 1.5; margin: 1mm 0 2mm 0; }}
.signature {{ margin-top: {LINE_PT * 2}pt; page-break-inside: avoid; }}
.signature p {{ text-align: right; }}
.watermark {{
  position: fixed; top: {BLOCK_HEIGHT_MM / 2 - 20}mm; left: 0; width: 156mm;
  text-align: center; font-family: {FONTS["heiti"]}; font-size: 60pt;
  color: rgba(192, 0, 0, 0.10); transform: rotate(-30deg); z-index: -1;
}}
"""


def report_html(report: Report) -> str:
    """The report as one self-contained HTML page (images inlined)."""
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if report.lang == "en" else "zh-CN"}"><head><meta charset="utf-8">',
        f"<title>{escape(report.title)} {escape(report.subtitle)}</title>",
        f"<style>{_css()}</style></head><body>",
    ]
    if report.has_demo_data:
        parts.append(f'<div class="watermark">{report.labels["demo"]}</div>')
    parts.append(f'<h1 class="title">{escape(report.title)}</h1>')
    if report.subtitle:
        parts.append(f'<h1 class="title">{escape(report.subtitle)}</h1>')
    parts.append('<div class="blank"></div>')
    for block in report.blocks:
        parts.append(_block(block, report))
    if report.annexes:
        head = report.labels["annexes"]
        items = [
            f'<p class="{"more" if i else "first"}">{escape(head if not i else "")}'
            f"{a.number}. {escape(a.title)}</p>"
            for i, a in enumerate(report.annexes)
        ]
        parts.append(f'<div class="annex-list"><p>&nbsp;</p>{"".join(items)}</div>')
    parts.append(_signature(report))
    for annex in report.annexes:
        parts.append(
            f'<div class="annex"><p class="label">{escape(report.annex_label(annex))}</p>'
            f'<h1 class="title">{escape(annex.title)}</h1><div class="blank"></div>'
        )
        parts.extend(_block(b, report) for b in annex.blocks)
        parts.append("</div>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _block(block: Heading | Paragraph | Table | Figure | Notice, report: Report) -> str:
    if isinstance(block, Heading):
        tag = f"h{block.level + 1}"
        return f"<{tag}>{escape(block.full)}</{tag}>"
    if isinstance(block, Paragraph):
        lead = f'<span class="lead">{escape(block.lead)}</span>' if block.lead else ""
        text = escape(block.text)
        if block.placeholder:
            text = f'<span class="placeholder">{text}</span>'
        return f'<p class="body">{lead}{text}</p>'
    if isinstance(block, Notice):
        return f'<div class="notice {block.tone}">{escape(block.text)}</div>'
    if isinstance(block, Table):
        return _table(block, report)
    return _figure(block, report)


def _table(table: Table, report: Report) -> str:
    widths = column_widths_mm(table)
    cols = "".join(f'<col style="width:{w:.1f}mm">' for w in widths)
    head = "".join(f"<th>{escape(c.header)}</th>" for c in table.columns)
    rows = []
    for r in range(len(table.rows)):
        cells = []
        for c, column in enumerate(table.columns):
            text = table.cell_text(r, c)
            if text == "—":
                cls = "missing"
            elif column.kind in ("number", "percent"):
                cls = "num"
            elif column.kind == "status":
                cls = "status"
            else:
                cls = "text"
            cells.append(f'<td class="{cls}">{escape(text)}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    labels = report.labels
    notes = ([f"{labels['source']}{table.source}"] if table.source else []) + [
        f"{labels['note']}{n}" for n in table.notes
    ]
    whole = " whole" if table.keep_whole or len(table.rows) <= 15 else ""
    foot = "".join(f'<p class="source">{escape(n)}</p>' for n in notes)
    return (
        f'<p class="caption">{escape(table.caption)}</p>'
        f'<table class="data{whole}" style="font-size:{table.font_pt}pt">'
        f"<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{foot}"
    )


def _figure(figure: Figure, report: Report) -> str:
    data = base64.b64encode(figure.png).decode("ascii")
    width = 154.0
    height = min(width * figure.height_ratio, BLOCK_HEIGHT_MM * 0.6)
    width = height / figure.height_ratio
    label = report.labels["source"]
    source = f'<p class="source">{label}{escape(figure.source)}</p>' if figure.source else ""
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{escape(figure.alt)}" '
        f'style="width:{width:.1f}mm;height:{height:.1f}mm">'
        f'<p class="caption">{escape(figure.caption)}</p>{source}</figure>'
    )


def _signature(report: Report) -> str:
    unit_right, date_right = signature_indents(report.issuer, report.date_zh)
    return (
        '<div class="signature">'
        f'<p style="padding-right:{unit_right:.2f}em">{escape(report.issuer)}</p>'
        f'<p style="padding-right:{date_right:.2f}em">{escape(report.date_zh)}</p>'
        "</div>"
    )


def build_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    document = HTML(string=report_html(report)).render()
    return (
        document.write_pdf(
            pdf_identifier=None,
            custom_metadata=False,
        )
        or b""
    )


def write_pdf(report: Report, path: Path) -> Path:
    path.write_bytes(build_pdf(report))
    return path


__all__ = ["CHARS_PER_LINE", "build_pdf", "report_html", "write_pdf"]
