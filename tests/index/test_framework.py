"""Framework: construction, readers, effective weights and bad input."""

from __future__ import annotations

import pandas as pd
import pytest

from nengji.index import Framework, FrameworkError, read_framework


def tree(**over):
    rows = [
        {"code": "Index"},
        {"code": "D1", "parent": "Index", "weight": 2},
        {"code": "D2", "parent": "Index", "weight": 1},
        {"code": "a", "parent": "D1"},
        {"code": "b", "parent": "D1", "weight": 3},
        {"code": "c", "parent": "D2", "direction": -1},
    ]
    for code, changes in over.items():
        for r in rows:
            if r["code"] == code:
                r.update(changes)
    return rows


def test_levels_computed_and_effective_weights():
    fw = Framework.from_records(tree())
    assert fw.indicators == ["a", "b", "c"]
    assert fw.aggregates == ["D1", "D2", "Index"]
    assert fw["Index"].level == 3
    eff = fw.effective_weights()
    assert eff["a"] == pytest.approx(2 / 3 * 1 / 4)
    assert eff["b"] == pytest.approx(2 / 3 * 3 / 4)
    assert eff["c"] == pytest.approx(1 / 3)
    assert eff[fw.indicators].sum() == pytest.approx(1.0)


def test_from_frame_equals_records():
    a = Framework.from_records(tree())
    b = Framework.from_frame(pd.DataFrame(tree()))
    assert a.to_frame().equals(b.to_frame())


def test_coinr_imeta(asem):
    fw = asem.framework
    assert len(fw.indicators) == 49
    assert fw.groups == ["GDP_group", "GDPpc_group", "Pop_group", "EurAsia_group"]
    assert fw.denominators == ["Area", "Energy", "GDP", "Population"]
    assert fw["Flights"].denominator == "Population"
    assert (fw.direction() == -1).sum() == 14
    assert fw.levels == [1, 2, 3, 4]


def test_read_csv_round_trip(tmp_path):
    fw = Framework.from_records(tree())
    path = tmp_path / "fw.csv"
    fw.to_frame().to_csv(path, index=False)
    assert read_framework(path).to_frame().equals(fw.to_frame())


@pytest.mark.parametrize(
    ("rows", "needle"),
    [
        (tree(a={"parent": "Nope"}), "'Nope'"),
        (tree(Index={"parent": "a"}), "cycle"),
        ([*tree(), {"code": "b", "parent": "D2"}], "duplicate code 'b'"),
        (tree(b={"weight": -1}), "'b'"),
        (tree(a={"weight": 0}, b={"weight": 0}), "'D1'"),
        (tree(c={"direction": 2}), "'c'"),
        (tree(c={"weight": "heavy"}), "'c'"),
    ],
    ids=[
        "unknown-parent",
        "cycle",
        "duplicate",
        "negative-weight",
        "zero-weights",
        "bad-direction",
        "non-numeric-weight",
    ],
)
def test_bad_framework_names_the_code(rows, needle):
    with pytest.raises(FrameworkError, match=needle):
        Framework.from_records(rows)


def test_with_weights_revalidates():
    fw = Framework.from_records(tree())
    assert fw.with_weights({"D1": 1}).effective_weights()["D1"] == pytest.approx(0.5)
    with pytest.raises(FrameworkError, match="'zzz'"):
        fw.with_weights({"zzz": 1})
