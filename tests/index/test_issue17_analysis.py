# ruff: noqa: N806  matrices keep their mathematical capitals
"""Issue 17: Kendall correlation, correlation flags within groups, indicator–denominator
correlations, leave-one-out (COINr ``remove_elements``), panel trends (``get_trends``), ranks
within groups, unit summaries and per-unit data availability (``get_data_avail``).

Expected values are computed here directly: scipy's ``kendalltau`` (tau-b, R's ``cor`` method),
loops over pairs, and COINr's R formulas written in numpy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from nengji.index import Aggregate, DataError, MinMax, Pipeline, SpecError, rank_scores
from nengji.index.analysis import (
    correlation_flags,
    correlation_matrix,
    correlation_pvalues,
    data_availability,
    denominator_correlations,
    remove_elements,
    trend_cagr,
    trends,
)
from nengji.index.coinr import example_coin_pipeline


@pytest.fixture(scope="module")
def results_a(asem):
    return Pipeline([("normalise", MinMax()), ("aggregate", Aggregate())]).run(asem)


def pairwise(x, y):
    ok = ~np.isnan(x) & ~np.isnan(y)
    return x[ok], y[ok]


def test_kendall_is_r_tau_b_on_pairwise_complete_units(asem):
    codes = asem.indicators[:12]
    got = correlation_matrix(asem.values, codes, method="kendall")
    X = asem.values[codes].to_numpy()
    for i in range(len(codes)):
        for j in range(len(codes)):
            x, y = pairwise(X[:, i], X[:, j])
            exp = stats.kendalltau(x, y, variant="b").statistic
            assert got.iat[i, j] == pytest.approx(exp, abs=1e-12)
    assert np.isnan(X).any()  # pairwise deletion is exercised


def test_kendall_p_values_normal_approximation(asem):
    codes = ["LPI", "Flights", "ConSpeed"]
    p = correlation_pvalues(asem.values, codes, method="kendall")
    r = correlation_matrix(asem.values, codes, method="kendall")
    x, _ = pairwise(asem.values["LPI"].to_numpy(), asem.values["ConSpeed"].to_numpy())
    n = len(x)
    z = 3 * r.at["LPI", "ConSpeed"] * np.sqrt(n * (n - 1)) / np.sqrt(2 * (2 * n + 5))
    assert p.at["LPI", "ConSpeed"] == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-12)


@pytest.mark.parametrize(("kind", "threshold"), [("high", 0.85), ("low", -0.3)])
def test_correlation_flags_within_pillars(results_a, kind, threshold):
    """COINr get_corr_flags(grouplev = 2): pairs in the same pillar beyond the threshold."""
    fw = results_a.framework
    got = correlation_flags(results_a, threshold=threshold, kind=kind, stage="normalised")
    frame = results_a.stages["normalised"]
    exp = []
    inds = fw.indicators
    for i, a in enumerate(inds):
        for b in inds[i + 1 :]:
            if fw[a].parent != fw[b].parent:
                continue
            r = np.corrcoef(*pairwise(frame[a].to_numpy(), frame[b].to_numpy()))[0, 1]
            if (r > threshold) if kind == "high" else (r < threshold):
                exp.append((fw[a].parent, a, b, r))
    assert len(exp) > 0
    assert list(zip(got["group"], got["code_1"], got["code_2"], strict=True)) == [
        e[:3] for e in exp
    ]
    np.testing.assert_allclose(got["r"], [e[3] for e in exp], atol=1e-12)


def test_correlation_flags_bad_input(results_a):
    with pytest.raises(SpecError, match=r"kind must be 'high' or 'low'"):
        correlation_flags(results_a, kind="mid")
    with pytest.raises(SpecError, match=r"threshold must lie in"):
        correlation_flags(results_a, threshold=2)


def test_denominator_correlations(asem):
    """COINr get_denom_corr(cor_thresh = 0.6): |r| of raw indicators with each denominator."""
    got = denominator_correlations(asem, threshold=0.6)
    exp = []
    for code in sorted(asem.indicators):
        for den in asem.denominators.columns:
            x, y = pairwise(asem.values[code].to_numpy(), asem.denominators[den].to_numpy())
            r = np.corrcoef(x, y)[0, 1]
            if abs(r) > 0.6:
                exp.append((code, den, r))
    assert len(exp) > 3
    assert list(zip(got["code"], got["denominator"], strict=True)) == [e[:2] for e in exp]
    np.testing.assert_allclose(got["r"], [e[2] for e in exp], atol=1e-12)


def test_remove_elements_pillars(asem):
    """COINr remove_elements(Level = 2): each pillar's weight set to 0, the coin regenerated."""
    res = example_coin_pipeline().run(asem)
    got = remove_elements(res, 2)
    fw = res.framework
    nominal = res.scores["Index"]
    for pillar in fw.codes_at(2):
        alt = (
            example_coin_pipeline()
            .set_params(aggregate__weights={pillar: 0.0})
            .run(asem)
            .scores["Index"]
        )
        np.testing.assert_allclose(got.scores[pillar], alt, atol=1e-12)
        ranks = rank_scores(pd.DataFrame({"n": nominal, "a": alt}))
        change = ranks["n"] - ranks["a"]
        assert got.mean_abs_rank_change[pillar] == pytest.approx(change.abs().mean())
    assert (got.mean_abs_rank_change > 0).all()
    np.testing.assert_allclose(got.scores["nominal"], nominal)


def test_remove_elements_errors(results_a):
    with pytest.raises(SpecError, match=r"level must be one of"):
        remove_elements(results_a, 4)
    with pytest.raises(SpecError, match=r"target 'LPI' is not an aggregate"):
        remove_elements(results_a, 1, target="LPI")


def coinr_cagr(y, x):
    ok = ~np.isnan(y)
    y, x = y[ok], x[ok]
    if len(y) < 2:
        return np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        return 0.0 if y[-1] == y[0] else (y[-1] / y[0]) ** (1 / (x[-1] - x[0])) - 1


def test_trends_cagr_on_the_panel(asem_panel):
    got = trends(asem_panel, method="cagr").set_index(["uCode", "code"])
    vals = asem_panel.values
    checked = 0
    for (unit, code), row in got.iterrows():
        series = vals.xs(unit, level=0)[code].sort_index()
        exp = coinr_cagr(series.to_numpy(dtype=float), series.index.to_numpy(dtype=float))
        if np.isnan(exp):
            assert np.isnan(row["trend"])
        else:
            assert row["trend"] == pytest.approx(exp, rel=1e-12)
            checked += 1
        assert row["availability"] == pytest.approx(series.notna().mean())
    assert checked > 2000


def test_trends_with_interpolation_latest_and_directions(asem_panel):
    vals = asem_panel.values.copy()
    vals.loc[("AUT", 2020), "LPI"] = np.nan
    data = asem_panel.with_values(vals)
    got = trends(data, ["LPI", "CO2"], interpolate=True, use_latest=3, directions=True)
    got = got.set_index(["uCode", "code"])["trend"]
    lpi = vals.xs("AUT", level=0)["LPI"].sort_index()
    y = lpi.to_numpy(dtype=float)[-3:].copy()
    y[0] = (lpi[2019] + lpi[2021]) / 2  # 2020 interpolated, then the window 2020–2022
    exp = coinr_cagr(y, np.array([2020.0, 2021, 2022]))
    assert got[("AUT", "LPI")] == pytest.approx(exp, rel=1e-12)
    co2 = vals.xs("AUT", level=0)["CO2"].sort_index().to_numpy(dtype=float)[-3:]
    assert got[("AUT", "CO2")] == pytest.approx(-coinr_cagr(co2, np.arange(3.0)), rel=1e-12)
    pct = trends(data, ["LPI"], method="percent").set_index("uCode")["trend"]
    t = np.array([2018.0, 2019, 2021, 2022])
    yy = lpi.dropna().to_numpy(dtype=float)
    slope, icpt = np.polyfit(t, yy, 1)
    assert pct["AUT"] == pytest.approx(slope / (icpt + slope * 2018) * 100, rel=1e-9)


def test_trends_errors(asem, asem_panel):
    with pytest.raises(DataError, match=r"trends need a panel"):
        trends(asem)
    with pytest.raises(SpecError, match=r"unknown trend method 'slope'"):
        trends(asem_panel, method="slope")
    assert trend_cagr(np.array([0.0, 0.0]), np.array([1.0, 2.0])) == 0.0


def test_ranks_within_groups(asem):
    res = example_coin_pipeline().run(asem)
    got = res.ranks_within("EurAsia_group")
    groups = res.data.groups["EurAsia_group"].reindex(res.scores.index)
    for label in groups.dropna().unique():
        sub = res.scores[groups == label]
        pd.testing.assert_frame_equal(got[groups == label], rank_scores(sub))
    with pytest.raises(DataError, match=r"group column 'Continent' not found"):
        res.ranks_within("Continent")


def test_unit_summary(asem):
    res = example_coin_pipeline().run(asem)
    got = res.unit_summary("DEU")
    assert list(got.index[:3]) == ["Index", "Conn", "Sust"]
    ranks = rank_scores(res.stages["aggregated"][list(got.index)])
    np.testing.assert_array_equal(got["rank"], ranks.loc["DEU"].to_numpy())
    np.testing.assert_allclose(got["score"], res.stages["aggregated"].loc["DEU", got.index])
    with pytest.raises(DataError, match=r"no row for unit 'XXX'"):
        res.unit_summary("XXX")


def test_data_availability_table(asem):
    got = data_availability(asem)
    X = asem.matrix()
    np.testing.assert_allclose(got["availability"], 1 - np.isnan(X).sum(axis=1) / 49)
    fw = asem.framework
    kids = fw.children("Physical")
    exp = 1 - asem.values[kids].isna().mean(axis=1)
    np.testing.assert_allclose(got["Physical"], exp)
    assert (got["Index"] == got["availability"]).all()


def test_ua_weight_noise_from_a_pool_of_weight_sets(asem):
    """COINr: get_noisy_weights(Nrep = m) is one discrete input; each run picks one set."""
    from nengji.index.uncertainty import run_uncertainty

    pipe = Pipeline([("normalise", MinMax()), ("aggregate", Aggregate())])
    spec = {"inputs": [{"name": "w", "param": "weights", "noise": 0.25, "levels": [2], "pool": 7}]}
    res = run_uncertainty(asem, pipe, spec, n_runs=60, seed=3, keep_scores=True)
    assert set(res.design["w"]) <= set(range(7)) and res.design["w"].nunique() > 3
    scores = res.score_frame()
    distinct = {tuple(np.round(row, 12)) for row in scores.to_numpy()}
    assert len(distinct) == res.design["w"].nunique()  # same pick, same scores
    fresh = run_uncertainty(asem, pipe, {"inputs": [{**spec["inputs"][0], "pool": None}]},
                            n_runs=60, seed=3, keep_scores=True)  # fmt: skip
    assert len({tuple(np.round(r, 12)) for r in fresh.score_frame().to_numpy()}) == 60
    with pytest.raises(SpecError, match=r"pool must be a whole number >= 1"):
        run_uncertainty(asem, pipe, {"inputs": [{**spec["inputs"][0], "pool": 0}]}, n_runs=2)


def test_every_stage_to_one_xlsx(asem, tmp_path):
    """COINr export_to_excel: one sheet per data set; formula-looking text is defused."""
    openpyxl = pytest.importorskip("openpyxl")
    res = example_coin_pipeline().run(asem)
    res.stages["raw"] = res.stages["raw"].rename(index={"AUT": '=HYPERLINK("x")'})
    path = res.to_excel(tmp_path / "coin.xlsx")
    book = openpyxl.load_workbook(path)
    sheets = {"raw", "denominated", "imputed", "screened", "treated", "normalised",
              "aggregated", "scores", "ranks", "framework", "report_treat"}  # fmt: skip
    assert sheets <= set(book.sheetnames)
    ws = book["scores"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["uCode", "Index"]
    got = {row[0].value: row[1].value for row in ws.iter_rows(min_row=2)}
    for unit, value in res.scores["Index"].items():
        assert got[unit] == pytest.approx(value, rel=1e-15)
    raw_codes = [row[0].value for row in book["raw"].iter_rows(min_row=2)]
    assert '\'=HYPERLINK("x")' in raw_codes  # text, not a formula
    assert all(c.data_type != "f" for row in book["raw"].iter_rows() for c in row)
