"""Chain-linking and rebasing an aggregated index (annual overlap), issue 17's "neither has".

The hand-computed case: units A and B, 2020–2022; framework 1 is ``x, y → I`` (equal weights),
framework 2 (from 2022) adds ``z`` with weight 2. Arithmetic means of the raw values:

======  =====================  ===========================================
unit    D1 (2020, 2021)        D2 (2021 overlap, 2022)
======  =====================  ===========================================
A       15, 17                 (12 + 22 + 2·30)/4 = 23.5, (15 + 25 + 80)/4 = 30
B       22.5, 25               (20 + 30 + 2·10)/4 = 17.5, (25 + 30 + 40)/4 = 23.75
======  =====================  ===========================================

ratio: C(A, 2022) = 17 · 30 / 23.5; C(B, 2022) = 25 · 23.75 / 17.5.
difference: C(A, 2022) = 17 + 30 − 23.5 = 23.5; C(B, 2022) = 25 + 23.75 − 17.5 = 31.25.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nengji.index import (
    Aggregate,
    DataError,
    Framework,
    Goalposts,
    MinMax,
    Pipeline,
    SpecError,
    build_data,
)
from nengji.index.chain import Segment, chain_link, rebase
from nengji.index.coinr import example_purse_pipeline

F1 = Framework.from_records(
    [{"code": "I"}, {"code": "x", "parent": "I"}, {"code": "y", "parent": "I"}]
)
F2 = Framework.from_records(
    [
        {"code": "I"},
        {"code": "x", "parent": "I"},
        {"code": "y", "parent": "I"},
        {"code": "z", "parent": "I", "weight": 2},
    ]
)
ROWS = [
    ("A", 2020, 10, 20, np.nan),
    ("A", 2021, 12, 22, 30),
    ("A", 2022, 15, 25, 40),
    ("B", 2020, 20, 25, np.nan),
    ("B", 2021, 20, 30, 10),
    ("B", 2022, 25, 30, 20),
]


def hand_data():
    frame = pd.DataFrame(ROWS, columns=["uCode", "Time", "x", "y", "z"])
    return build_data(frame, F2)


def mean_only() -> Pipeline:
    return Pipeline([("aggregate", Aggregate(method="arithmetic"))])


def two_segments():
    return [Segment(2020, mean_only(), F1), Segment(2022, mean_only(), F2)]


def test_ratio_chain_matches_hand_computation():
    res = chain_link(hand_data(), two_segments())
    got = res.scores["I"]
    assert got[("A", 2020)] == 15 and got[("A", 2021)] == 17
    assert got[("A", 2022)] == pytest.approx(17 * 30 / 23.5, rel=1e-14)
    assert got[("B", 2022)] == pytest.approx(25 * 23.75 / 17.5, rel=1e-14)
    # the unlinked series (what each year's own method says) and the link table
    assert res.direct["I"][("A", 2022)] == 30
    row = res.links.set_index("uCode").loc["A"]
    assert (row["overlap"], row["old"], row["new"]) == (2021, 17.0, 23.5)
    assert row["factor"] == pytest.approx(17 / 23.5, rel=1e-14)


def test_difference_chain_matches_hand_computation():
    res = chain_link(hand_data(), two_segments(), link="difference")
    got = res.scores["I"]
    assert got[("A", 2022)] == pytest.approx(23.5, abs=1e-12)
    assert got[("B", 2022)] == pytest.approx(31.25, abs=1e-12)
    assert res.links.set_index("uCode").loc["B", "shift"] == pytest.approx(7.5)


def test_rebase_to_a_reference_year():
    res = chain_link(hand_data(), two_segments())
    based = res.rebase(2020)["I"]
    assert based[("A", 2020)] == 100
    assert based[("A", 2021)] == pytest.approx(100 * 17 / 15)
    assert based[("A", 2022)] == pytest.approx(100 * (17 * 30 / 23.5) / 15)
    diff = chain_link(hand_data(), two_segments(), link="difference").rebase(2021, to=0)["I"]
    assert diff[("B", 2022)] == pytest.approx(31.25 - 25)


def test_one_segment_is_the_direct_index():
    data = hand_data()
    res = chain_link(data, [Segment(2020, mean_only(), F1)])
    direct = mean_only().run(data.with_values(data.values[["x", "y"]]).with_framework(F1))
    pd.testing.assert_series_equal(res.scores["I"], direct.scores["I"], check_names=False)


@pytest.mark.parametrize("link", ["ratio", "difference"])
def test_unchanged_framework_gives_the_direct_index_per_period_minmax(link):
    """Per-period min-max does not depend on the other periods: every link factor is 1."""
    data = hand_data()
    data = data.with_values(data.values[["x", "y"]]).with_framework(F1)

    def pipe():
        return Pipeline([("normalise", MinMax(lower=1, upper=100)), ("aggregate", Aggregate())])

    res = chain_link(
        data, [Segment(2020, pipe()), Segment(2021, pipe()), Segment(2022, pipe())], link=link
    )
    direct = pipe().run(data).scores
    np.testing.assert_allclose(res.scores["I"], direct["I"].reindex(res.scores.index), rtol=1e-13)
    key = "factor" if link == "ratio" else "shift"
    np.testing.assert_allclose(res.links[key], 1.0 if link == "ratio" else 0.0, atol=1e-13)


def test_unchanged_framework_gives_the_direct_index_coinr_purse(asem_panel):
    """COINr's purse pipeline (pooled min-max) fitted on the whole panel in every segment."""
    years = sorted(asem_panel.periods())
    segs = [Segment(y, example_purse_pipeline()) for y in years[::2]]
    res = chain_link(asem_panel, segs, fit_on="panel")
    direct = example_purse_pipeline().run(asem_panel).scores
    for code in res.scores.columns:
        np.testing.assert_allclose(
            res.scores[code].to_numpy(),
            direct[code].reindex(res.scores.index).to_numpy(),
            rtol=1e-12,
        )


def test_fixed_goalposts_window_fit_is_the_direct_index():
    data = hand_data().with_framework(F1)
    data = data.with_values(data.values[["x", "y"]])

    def pipe():
        posts = Goalposts(lower=0, upper=50, scale=100)
        return Pipeline([("normalise", posts), ("aggregate", Aggregate())])

    res = chain_link(data, [Segment(2020, pipe()), Segment(2022, pipe())])
    direct = pipe().run(data).scores["I"].reindex(res.scores.index)
    np.testing.assert_allclose(res.scores["I"], direct, rtol=1e-13)


def test_a_zero_link_value_is_refused_naming_unit_year_and_code():
    rows = [list(r) for r in ROWS]
    rows[1][2:] = [0, 0, 0]  # A in 2021: the new method scores 0 in the overlap year
    data = build_data(pd.DataFrame(rows, columns=["uCode", "Time", "x", "y", "z"]), F2)
    with pytest.raises(DataError, match=r"'I' of unit 'A' is 0.0 in 2021.*difference"):
        chain_link(data, two_segments())
    assert chain_link(data, two_segments(), link="difference").scores.notna().all().all()


def test_a_unit_without_a_link_value_has_no_chained_value_after_it():
    rows = [list(r) for r in ROWS]
    rows[4][2:] = [np.nan, np.nan, np.nan]  # B has no data in the overlap year 2021
    data = build_data(pd.DataFrame(rows, columns=["uCode", "Time", "x", "y", "z"]), F2)
    res = chain_link(data, two_segments())
    assert ("B", 2022) not in res.scores.index or np.isnan(res.scores["I"][("B", 2022)])
    assert np.isnan(res.links.set_index("uCode").loc["B", "factor"])
    assert res.scores["I"][("A", 2022)] == pytest.approx(17 * 30 / 23.5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"link": "geometric"}, "link must be one of"),
        ({"fit_on": "all"}, "fit_on must be one of"),
        ({"segments": []}, "at least one segment"),
        ({"segments": [Segment(2020, mean_only(), F1), Segment(2030, mean_only(), F2)]}, "2030"),
        (
            {"segments": [Segment(2020, mean_only(), F1), Segment(2020, mean_only(), F2)]},
            "no earlier",
        ),
        ({"codes": ["D9"]}, "does not compute 'D9'"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    args = {"segments": two_segments(), **kwargs}
    with pytest.raises(SpecError, match=message):
        chain_link(hand_data(), **args)


def test_one_period_data_and_unknown_indicators_are_refused():
    one = build_data(pd.DataFrame({"uCode": ["A", "B"], "x": [1.0, 2], "y": [1.0, 2]}), F1)
    with pytest.raises(DataError, match="needs a panel"):
        chain_link(one, [Segment(None, mean_only())])
    data = hand_data().with_values(hand_data().values[["x", "y"]])
    with pytest.raises(DataError, match="'z'"):
        chain_link(data, two_segments())


def test_rebase_refuses_a_zero_reference_and_unknown_period():
    idx = pd.MultiIndex.from_tuples([("A", 1), ("A", 2)], names=["u", "t"])
    frame = pd.DataFrame({"I": [0.0, 1.0]}, index=idx)
    with pytest.raises(DataError, match="positive reference"):
        rebase(frame, 1)
    with pytest.raises(DataError, match="not a period"):
        rebase(frame, 3)
    assert rebase(frame, 1, how="difference", to=10)["I"].tolist() == [10.0, 11.0]


def test_the_spec_records_every_segment():
    res = chain_link(hand_data(), two_segments())
    assert res.spec["link"] == "ratio"
    assert [s["start"] for s in res.spec["segments"]] == [2020, 2022]
    assert res.spec["segments"][1]["indicators"] == ["x", "y", "z"]
    assert res.spec["segments"][0]["pipeline"] == {"steps": [mean_only().to_spec()["steps"][0]]}
