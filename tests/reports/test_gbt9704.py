"""The Word document: page, grid, fonts, headings, footers, tables, figures (GB/T 9704-2012)."""

from __future__ import annotations

import io
from decimal import Decimal

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from nengji.reports import gbt9704
from nengji.reports.document import Column, Table
from tests.reports.sample import sample_report


@pytest.fixture(scope="module")
def document():
    return docx.Document(io.BytesIO(gbt9704.build_docx(sample_report())))


def east_asia(element) -> str:
    fonts = element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


class TestPage:
    def test_a4_with_the_standard_margins(self, document) -> None:
        s = document.sections[0]
        assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
        assert round(s.top_margin.mm, 1) == 37.0
        assert round(s.left_margin.mm, 1) == 28.0
        assert round(Mm(0).mm + (s.page_width - s.left_margin - s.right_margin) / Mm(1), 1) == 156
        assert round((s.page_height - s.top_margin - s.bottom_margin) / Mm(1), 1) == 225

    def test_22_lines_of_28_characters(self, document) -> None:
        grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
        pitch = int(grid.get(qn("w:linePitch")))
        assert int(225 / 25.4 * 1440 / pitch) == 22
        normal = document.styles["Normal"]
        assert normal.paragraph_format.line_spacing == Pt(pitch / 20)
        # characters condensed to fit 28 a line: 28 × (16 pt + spacing) ≤ 156 mm
        spacing = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
        assert 28 * (16 + spacing) <= Mm(156).pt < 29 * (16 + spacing)
        char_space = int(grid.get(qn("w:charSpace")))
        assert round(Mm(156).pt / (16 + char_space / 4096)) == 28


class TestFont:
    def test_body_is_3hao_fangsong(self, document) -> None:
        normal = document.styles["Normal"]
        assert normal.font.size == Pt(16)
        assert east_asia(normal.element) == "FangSong_GB2312"

    def test_title_is_2hao_xiaobiaosong(self, document) -> None:
        title = document.styles["Title"]
        assert title.font.size == Pt(22)
        assert east_asia(title.element) == "FZXiaoBiaoSong-B05S"
        assert document.paragraphs[0].style.name == "Title"
        assert document.paragraphs[0].text == "杨浦区提升科技创新能级“十四五”规划"

    @pytest.mark.parametrize(
        ("level", "font"),
        [(1, "SimHei"), (2, "KaiTi_GB2312"), (3, "FangSong_GB2312"), (4, "FangSong_GB2312")],
    )
    def test_heading_fonts(self, document, level: int, font: str) -> None:
        style = document.styles[f"Heading {level}"]
        assert east_asia(style.element) == font
        assert style.font.size == Pt(16)
        assert not style.font.bold

    def test_headings_use_the_heading_styles(self, document) -> None:
        found = {
            p.style.name: p.text for p in document.paragraphs if p.style.name.startswith("Heading")
        }
        assert found["Heading 1"].startswith(("一、", "二、"))
        assert found["Heading 2"].startswith("（")
        assert document.paragraphs[2].text or True

    def test_font_table_names_fallbacks(self, document) -> None:
        part = next(
            r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable")
        )
        xml = part.blob.decode("utf-8")
        for name, alt in gbt9704.FONT_ALT_NAMES.items():
            assert f'w:name="{name}"' in xml
            assert f'w:val="{alt}"' in xml


class TestFooter:
    def test_odd_and_even_page_numbers(self, document) -> None:
        assert document.settings.odd_and_even_pages_header_footer
        section = document.sections[0]
        odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
        for paragraph, align in ((odd, "right"), (even, "left")):
            xml = paragraph._p.xml
            assert "PAGE" in xml
            assert paragraph.text == "— 1 —"
            jc = paragraph._p.pPr.find(qn("w:jc")).get(qn("w:val"))
            assert jc == align
            run = paragraph.runs[0]
            assert run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "SimSun"
        assert document.styles["Footer"].font.size == Pt(14)


class TestBlock:
    def test_table_fits_the_text_block(self, document) -> None:
        table = document.tables[0]
        width = int(table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")))
        assert width <= Mm(156).twips + 1
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert [c.text for c in table.rows[0].cells] == ["指标", "基期值", "单位", "评价"]
        assert table.rows[2].cells[1].text == "—"

    def test_figure_fits_the_text_block(self, document) -> None:
        shapes = document.inline_shapes
        assert len(shapes) == 1
        assert shapes[0].width <= Mm(156)
        assert shapes[0].height <= Mm(225)

    def test_placeholder_is_highlighted(self, document) -> None:
        p = next(p for p in document.paragraphs if p.text.startswith("【待区科委填写"))
        assert p.runs[0]._r.rPr.find(qn("w:highlight")) is not None

    def test_issuer_and_date_at_the_end(self, document) -> None:
        texts = [p.text for p in document.paragraphs if p.text]
        assert texts[-2:] == ["上海市杨浦区科学技术委员会", "2024年3月28日"]
        last = document.paragraphs[-1]
        assert last._p.pPr.find(qn("w:jc")).get(qn("w:val")) == "right"


class TestTableXml:
    """Tables are written as one XML string (python-docx cell by cell took 10–20 s a report):
    text must arrive as text, whatever it holds, and the cells keep their formatting."""

    def hostile_table(self) -> Table:
        return Table(
            "t",
            "表",
            [Column("名称", width=3), Column("数值", kind="number"), Column("评价", kind="status")],
            [
                ["<w:p>&amp; \"引号\" 'x'", Decimal("1234.5"), "滞后"],
                ["第一行\n第二行\t制表\x01\x0b", None, None],
                ["  前后空格  ", 7, "符合预期"],
            ],
            font_pt=9,
        )

    def test_text_arrives_as_text(self) -> None:
        report = sample_report()
        report.blocks.append(self.hostile_table())
        doc = docx.Document(io.BytesIO(gbt9704.build_docx(report.numbered())))
        table = doc.tables[-1]
        assert table.rows[1].cells[0].text == "<w:p>&amp; \"引号\" 'x'"
        assert table.rows[2].cells[0].text == "第一行\n第二行\t制表"  # control characters dropped
        assert table.rows[3].cells[0].text == "  前后空格  "
        assert [c.text for c in table.rows[1].cells[1:]] == ["1234.5", "滞后"]

    def test_rows_alignment_fonts_and_keeping(self) -> None:
        doc = docx.Document(io.BytesIO(gbt9704.build_docx(sample_report())))
        table = doc.tables[0]
        for row in table.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
            for cell in row.cells:
                assert cell.paragraphs[0].style.name == "Table Text"
        header = table.rows[0]
        assert {east_asia(c.paragraphs[0].runs[0]._r) for c in header.cells} == {"SimHei"}
        assert east_asia(table.rows[1].cells[0].paragraphs[0].runs[0]._r) == "FangSong_GB2312"
        aligned = [c.paragraphs[0].alignment for c in table.rows[1].cells]
        assert aligned == [None, WD_ALIGN_PARAGRAPH.RIGHT, None, WD_ALIGN_PARAGRAPH.CENTER]
        # the missing value (—) is centred; a short table is kept whole (keepNext but the last)
        assert table.rows[2].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
        keep = [row.cells[0].paragraphs[0].paragraph_format.keep_with_next for row in table.rows]
        assert keep == [True, True, None]

    def test_no_property_element_twice(self) -> None:
        doc = docx.Document(io.BytesIO(gbt9704.build_docx(sample_report())))
        tbl_pr = doc.tables[0]._tbl.tblPr
        tags = [c.tag for c in tbl_pr]
        assert len(tags) == len(set(tags))

    def test_small_print_tables_set_the_size(self) -> None:
        xml = gbt9704.table_xml(self.hostile_table())
        assert xml.count('<w:sz w:val="18"/>') == 4 * 3


class TestSignature:
    def test_date_starts_two_characters_right_of_the_unit(self) -> None:
        unit, date = "上海市杨浦区科学技术委员会", "2024年3月28日"
        unit_right, date_right = gbt9704.signature_indents(unit, date)
        unit_start = 28 - unit_right - gbt9704.text_width_chars(unit)
        date_start = 28 - date_right - gbt9704.text_width_chars(date)
        assert date_start - unit_start == 2
        assert unit_right == 2

    def test_a_long_date_moves_the_unit_left(self) -> None:
        unit_right, date_right = gbt9704.signature_indents("区科委", "2024年12月28日")
        assert date_right == 2
        assert unit_right > 2


class TestSchemaOrder:
    """Word rejects property children out of schema order; LibreOffice would not notice."""

    def test_every_property_element_is_in_schema_order(self, document) -> None:
        from nengji.reports.ooxml_order import out_of_order

        assert out_of_order(gbt9704.xml_roots(document)) == []

    def test_the_check_finds_disorder(self) -> None:
        from docx.oxml import OxmlElement

        from nengji.reports.ooxml_order import canonical_order, out_of_order

        ppr = OxmlElement("w:pPr")
        for tag in ("w:jc", "w:ind", "w:snapToGrid"):
            ppr.append(OxmlElement(tag))
        assert out_of_order([ppr])
        canonical_order([ppr])
        assert [c.tag.split("}")[1] for c in ppr] == ["snapToGrid", "ind", "jc"]
