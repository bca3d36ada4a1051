"""User text is written into spreadsheets as text (issue 15, findings 7 and 8)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from nengji.core.exports import cell_text, cell_value


@pytest.mark.parametrize(
    "hostile",
    ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx"],
)
def test_formula_starts_become_text(hostile):
    safe = cell_text(hostile)
    assert safe.startswith("'")
    wb = openpyxl.Workbook()
    wb.active["A1"] = safe
    buf = io.BytesIO()
    wb.save(buf)
    cell = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active["A1"]
    assert cell.data_type == "s"  # a string, not a formula


def test_xml_illegal_characters_are_dropped_and_the_workbook_saves():
    wb = openpyxl.Workbook()
    wb.active["A1"] = cell_text("进展\x01说明\x0b（Word 粘贴）")
    wb.save(io.BytesIO())
    assert wb.active["A1"].value == "进展说明（Word 粘贴）"


def test_numbers_and_plain_text_are_unchanged():
    assert cell_value(-3) == -3 and cell_value(1.5) == 1.5 and cell_value("杨浦") == "杨浦"
