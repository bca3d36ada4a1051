"""Data readers and bad input: every error names the code, row or column at fault."""

from __future__ import annotations

import pytest
from toy import FRAMEWORK, toy_frame

from nengji.index import DataError, build_data, read_data, read_table

from conftest import coinr_file


def test_asem_shapes(asem, asem_panel):
    assert asem.values.shape == (51, 49) and not asem.is_panel
    assert asem.unit_col == "uCode"
    assert int(asem.values.isna().sum().sum()) == 63
    assert int(asem.denominators["Energy"].isna().sum()) == 1
    assert asem_panel.is_panel and asem_panel.values.shape == (255, 49)
    assert asem_panel.time_col == "Time"


def test_unknown_indicator_code():
    frame = toy_frame().assign(zz=1.0)
    with pytest.raises(DataError, match="'zz'"):
        build_data(frame, FRAMEWORK)


def test_missing_indicator_column():
    with pytest.raises(DataError, match="'e'"):
        build_data(toy_frame().drop(columns="e"), FRAMEWORK)


def test_non_numeric_cell_names_row_and_column():
    frame = toy_frame()
    frame["c"] = frame["c"].astype(object)
    frame.loc[5, "c"] = "n/a"
    with pytest.raises(DataError, match=r"'n/a'.*column 'c'.*code='U6', year=2013"):
        build_data(frame, FRAMEWORK)


def test_duplicate_unit():
    frame = toy_frame(panel=False)
    frame.loc[1, "code"] = "U1"
    with pytest.raises(DataError, match="'U1'"):
        build_data(frame, FRAMEWORK)


def test_coinr_idata_non_numeric(tmp_path):
    frame = read_table(coinr_file("input_ASEM_iData.csv"))
    frame["LPI"] = frame["LPI"].astype(object)
    frame.loc[2, "LPI"] = "x"
    path = tmp_path / "iData.csv"
    frame.to_csv(path, index=False)
    from nengji.index import read_framework

    with pytest.raises(DataError, match=r"'LPI'.*uCode="):
        read_data(path, read_framework(coinr_file("input_ASEM_iMeta.csv")))


def test_coinr_other_and_x_columns_are_kept_aside():
    frame = read_table(coinr_file("input_ASEM_iData.csv")).assign(x_note="n", Extra=1.0)
    meta = read_table(coinr_file("input_ASEM_iMeta.csv"))
    extra = meta.iloc[[-1]].copy()
    extra["iCode"], extra["Type"] = "Extra", "Other"
    from nengji.index import Framework

    fw = Framework.from_coinr(__import__("pandas").concat([meta, extra]))
    data = build_data(frame, fw)
    assert {"x_note", "Extra"} <= set(data.meta.columns)
    assert data.values.shape == (51, 49)


def test_group_columns_by_name_in_nengji_format():
    frame = toy_frame(panel=False).rename(columns={"region": "region_group"})
    data = build_data(frame, FRAMEWORK)
    assert "region_group" in data.groups.columns


def test_missing_unit_code_or_period_names_the_row():
    frame = toy_frame()
    frame.loc[4, "code"] = None
    with pytest.raises(DataError, match="row 5 has no code"):
        build_data(frame, FRAMEWORK)
    frame = toy_frame()
    frame["year"] = frame["year"].astype(float)
    frame.loc[2, "year"] = None
    with pytest.raises(DataError, match=r"row 3 \(code='U3'\) has no year"):
        build_data(frame, FRAMEWORK)
