"""Import of the JRC COIN Tool input workbook (COINr ``import_coin_tool``).

No COIN Tool workbook is available here, so ``make_workbook`` writes one with openpyxl that
follows the layout COINr's reader expects (see nengji.index.cointool): Database rows 7–16 hold
weight, direction, goalposts, the four aggregation codes, name and code of each indicator
(columns E…), units from row 17 (name in B, code in C); the Framework table starts at C4.
The bounds on uploads are checked without openpyxl (they run in the bare venv too).
"""

from __future__ import annotations

import io
import math
import zipfile

import numpy as np
import pytest

from nengji.index import Aggregate, DataError, FrameworkError, Goalposts, Pipeline
from nengji.index.cointool import check_workbook_bytes, import_coin_tool

INDICATORS = [  # code, name, weight, direction, goalposts, pillar
    ("Ind.01", "GDP per capita", 1, 1, (0, 100), "p.01"),
    ("Ind.02", "Unemployment rate", 2, -1, (0, 20), "p.01"),
    ("Ind.03", "Patents", 1, 1, (0, 10), "p.02"),
    ("Ind.04", "R&D spend", 1, 1, (0, 5), "p.02"),
    ("Ind.05", "Broadband", 0.5, 1, (0, 100), "p.02"),
]
UNITS = [
    ("Alpha", "AAA", [50, 5, 4, 2.5, 80]),
    ("Beta", "BBB", [20, 10, "n/a", 1, 40]),
    ("Gamma", "GGG", [90, 2, 9, 4, None]),
    ("Delta", "DDD", [10, 15, 1, 0.5, 10]),
    ("Empty", "EEE", ["n/a", None, "n/a", "n/a", "n/a"]),
]
FRAMEWORK_ROWS = [  # code (C), weight (E), name (H)
    ("Index", 1, "Innovation index"),
    ("si.01", 1, "Sub-index (unused)"),
    ("p.01", 1, "Economy"),
    ("p.02", 2, "Knowledge"),
    ("sp.01", 1, "Sub-pillar (unused)"),
    ("--", None, None),
]


def make_workbook(*, edit=None, old_tool=False, framework=True) -> bytes:
    """A COIN Tool input workbook in the documented layout (optionally edited first)."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    db = book.active
    db.title = "Database"
    db["B16"], db["C16"] = "Unit name", "Unit code"
    for j, (code, name, weight, direction, (lo, hi), pillar) in enumerate(INDICATORS):
        col = 5 + j
        for row, value in (
            (7, weight), (8, direction), (9, lo), (10, hi), (11, "Index"), (12, "si.01"),
            (13, pillar), (14, "sp.01"), (15, name), (16, code),
        ):  # fmt: skip
            db.cell(row=row, column=col, value=value)
    for i, (name, code, values) in enumerate(UNITS):
        row = 17 + i
        db.cell(row=row, column=2, value=name)
        db.cell(row=row, column=3, value=code)
        for j, v in enumerate(values):
            db.cell(row=row, column=5 + j, value=v)
    if framework:
        fw = book.create_sheet("Framework")
        top = 5 if old_tool else 4
        fw.cell(row=top, column=3, value="Dimension/indicator")
        fw.cell(row=top, column=5, value="Weight")
        fw.cell(row=top, column=8, value="Name")
        for i, (code, weight, name) in enumerate(FRAMEWORK_ROWS):
            fw.cell(row=top + 1 + i, column=3, value=code)
            fw.cell(row=top + 1 + i, column=5, value=weight)
            fw.cell(row=top + 1 + i, column=8, value=name)
    if edit is not None:
        edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_framework_data_and_goalposts_are_read():
    res = import_coin_tool(make_workbook())
    fw = res.framework
    assert fw.indicators == [c for c, *_ in INDICATORS]
    assert fw["Ind.02"].parent == "p.01" and fw["Ind.05"].parent == "p.02"
    assert fw["p.01"].parent == "Index" and fw["Index"].parent is None
    assert (fw["p.01"].level, fw["Index"].level) == (2, 3)  # unused levels are left out
    assert "sp.01" not in fw and "si.01" not in fw
    assert fw["Ind.02"].direction == -1 and fw["Ind.05"].weight == 0.5
    assert fw["p.02"].weight == 2 and fw["p.02"].name_en == "Knowledge"
    assert fw["Ind.04"].name_en == "R&D spend"
    values = res.data.values
    assert list(values.index) == ["AAA", "BBB", "GGG", "DDD"]
    assert values.loc["AAA"].tolist() == [50, 5, 4, 2.5, 80]
    assert math.isnan(values.loc["BBB", "Ind.03"]) and math.isnan(values.loc["GGG", "Ind.05"])
    assert res.data.meta["uName"].tolist() == ["Alpha", "Beta", "Gamma", "Delta"]
    assert res.goalposts.loc["Ind.02"].tolist() == [0, 20]
    assert any("'EEE'" in n and "dropped" in n for n in res.notes)


def test_the_imported_index_by_hand():
    """Goalposts from the workbook, arithmetic means. AAA: Ind.01 50/100 = 0.5, Ind.02 (dir −1)
    (20 − 5)/20 = 0.75, Ind.03 0.4, Ind.04 0.5, Ind.05 0.8; p.01 = (0.5 + 2·0.75)/3 = 2/3,
    p.02 = (0.4 + 0.5 + 0.5·0.8)/2.5 = 0.52; Index = (2/3 + 2·0.52)/3."""
    res = import_coin_tool(make_workbook())
    posts = Goalposts(
        lower=res.goalposts["lower"].to_dict(), upper=res.goalposts["upper"].to_dict()
    )
    scores = Pipeline([("normalise", posts), ("aggregate", Aggregate())]).run(res.data).scores
    assert scores.loc["AAA", "p.01"] == pytest.approx(2 / 3)
    assert scores.loc["AAA", "p.02"] == pytest.approx(0.52)
    assert scores.loc["AAA", "Index"] == pytest.approx((2 / 3 + 2 * 0.52) / 3)


def test_old_tool_reads_the_framework_one_row_lower(tmp_path):
    path = tmp_path / "old.xlsm"
    path.write_bytes(make_workbook(old_tool=True))
    res = import_coin_tool(path, old_tool=True)
    assert res.framework["p.02"].weight == 2
    with pytest.raises(DataError, match=r"Framework!E5: the weight of 'Dimension/indicator'"):
        import_coin_tool(path)  # the header row is then read as a framework row: refused


def test_rows_beyond_the_layout_are_never_read():
    def far(book):
        book["Database"].cell(row=5000, column=3, value="ZZZ")
        book["Database"].cell(row=5000, column=5, value="not a number")

    res = import_coin_tool(make_workbook(edit=far))
    assert "ZZZ" not in res.data.values.index


@pytest.mark.parametrize(
    ("cell", "value", "error", "message"),
    [
        ("F18", "lots", DataError, r"Database!F18: the value of 'Ind\.02' for 'BBB'"),
        ("F8", 2, DataError, r"Database!F8: the direction of 'Ind\.02' must be 1 or -1"),
        ("J17", 3.0, DataError, r"Database!J17 has a value but its column has no indicator code"),
        ("E22", 1.0, DataError, r"Database!E22 has a value but row 22 has no unit code"),
        (
            "H13",
            "p.01",
            FrameworkError,
            r"pillar 'p\.01' is filed under both 'si\.01' and 'si\.02'",
        ),
        ("E13", "", DataError, r"Database!E13: the pillar code of the indicator is empty"),
    ],
)
def test_bad_cells_are_refused_by_address(cell, value, error, message):
    def bad(book):
        book["Database"][cell] = value
        if cell == "H13":  # Ind.04 moves to p.01 but its sub-index differs: a real clash
            book["Database"]["H12"] = "si.02"

    with pytest.raises(error, match=message):
        import_coin_tool(make_workbook(edit=bad))


def test_a_workbook_without_the_framework_sheet_is_refused():
    with pytest.raises(DataError, match="no sheet 'Framework'"):
        import_coin_tool(make_workbook(framework=False))


# --- bounds before parsing (no openpyxl needed) -------------------------------------------------


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"x" * 2048)
    with pytest.raises(DataError, match="2048 bytes, more than the 1024 allowed"):
        import_coin_tool(path, max_bytes=1024)


def test_not_a_zip_is_refused():
    with pytest.raises(DataError, match="not an Excel workbook"):
        import_coin_tool(b"ID;P\nC;Y1;X1;K1\nE\n")  # a SYLK file, not xlsx


def test_a_zip_bomb_is_refused_from_its_directory():
    bomb = zip_bytes({"xl/worksheets/sheet1.xml": b"\0" * (9 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(DataError, match="times its packed size"):
        check_workbook_bytes(bomb)
    with pytest.raises(DataError, match=r"unpacks to 5000 bytes, more than the 1000 allowed"):
        check_workbook_bytes(zip_bytes({"a": b"\0" * 5000}), max_unpacked=1000)


def test_too_many_parts_are_refused():
    many = zip_bytes({f"x/{i}.xml": b"<a/>" for i in range(12)})
    with pytest.raises(DataError, match="12 parts, more than the 10 allowed"):
        check_workbook_bytes(many, max_entries=10)
    check_workbook_bytes(many)  # within the default bounds


def test_the_layout_limits_are_the_documented_ones():
    from nengji.index import cointool

    assert (cointool.FIRST_IND_COL, cointool.LAST_IND_COL) == (5, 103)  # E … CY
    assert (cointool.FIRST_UNIT_ROW, cointool.LAST_UNIT_ROW) == (17, 315)
    assert cointool._col(103) == "CY" and cointool._col(5) == "E"
    assert np.isnan(cointool._number("n/a", "x", "y"))
