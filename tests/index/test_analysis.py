"""Analysis: statistics, correlations, Cronbach's alpha, PCA, what-if, strengths and weaknesses.

The COINr rules are checked against independent formulas: R's pairwise-complete correlation
(each pair on the units where both are present), ``get_cronbach``'s covariance formula, and
``prcomp`` (eigenvectors of the correlation matrix of the complete rows).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from nengji.index import Aggregate, DataError, MinMax, Pipeline, SpecError, kurt, skew
from nengji.index.analysis import (
    compare,
    correlation_matrix,
    cronbach,
    cronbach_by_group,
    indicator_stats,
    level_correlations,
    parent_correlations,
    pca,
    skew_kurt,
    strengths_weaknesses,
)


def asem_pipeline() -> Pipeline:
    return Pipeline([("normalise", MinMax(lower=0, upper=100)), ("aggregate", Aggregate())])


@pytest.fixture(scope="module")
def asem_results(asem):
    return asem_pipeline().run(asem)


def gappy(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(30, 1))
    frame = pd.DataFrame(base + rng.normal(scale=0.8, size=(30, 4)), columns=list("abcd"))
    frame.iloc[[1, 5, 9], 0] = np.nan
    frame.iloc[[2, 5, 20], 2] = np.nan
    frame.iloc[[7], 3] = np.nan
    return frame


class TestStatistics:
    def test_skew_kurt_equal_core_scalar_forms(self, asem):
        x = asem.values.to_numpy(dtype=float)
        s, k = skew_kurt(x)
        for j in range(x.shape[1]):
            col = x[:, j][~np.isnan(x[:, j])]
            assert s[j] == pytest.approx(skew(col), rel=1e-12, abs=1e-12)
            assert k[j] == pytest.approx(kurt(col), rel=1e-12, abs=1e-12)

    def test_skew_kurt_equal_excel_forms(self):
        x = np.array([1.0, 2.0, 3.0, 10.0, 4.0, 4.0])
        s, k = skew_kurt(x)
        assert s[0] == pytest.approx(stats.skew(x, bias=False), rel=1e-12)
        assert k[0] == pytest.approx(stats.kurtosis(x, bias=False), rel=1e-12)

    def test_hand_checked_table(self):
        frame = pd.DataFrame(
            {"a": [0.0, 0.0, 0.0, 1.0, np.nan], "b": [1.0, 2.0, 3.0, 4.0, 100.0]},
            index=pd.Index(list("VWXYZ"), name="uCode"),
        )
        st = indicator_stats(frame)
        assert st.loc["a", "n"] == 4 and st.loc["a", "n_missing"] == 1
        assert st.loc["a", "availability"] == 0.8
        assert st.loc["a", "share_zero"] == 0.75 and bool(st.loc["a", "many_zeros"])
        assert st.loc["a", "share_unique"] == 0.5
        assert st.loc["b", "median"] == 3.0 and st.loc["b", "max"] == 100.0
        assert st.loc["b", "sd"] == pytest.approx(np.std([1, 2, 3, 4, 100], ddof=1))
        assert bool(st.loc["b", "outliers"])  # skew 2.23, kurtosis 4.99
        assert not bool(st.loc["a", "low_availability"])
        assert bool(indicator_stats(frame, min_availability=0.9).loc["a", "low_availability"])

    def test_on_results_uses_indicators_of_a_stage(self, asem_results):
        st = indicator_stats(asem_results, stage="raw")
        assert list(st.index) == asem_results.framework.indicators
        assert st["n_missing"].sum() == 63  # SEMANTICS: 63 NAs in indicators


class TestCorrelations:
    @pytest.mark.parametrize("method", ["pearson", "spearman"])
    def test_pairwise_complete_like_r(self, method):
        frame = gappy()
        got = correlation_matrix(frame, method=method)
        for i in frame.columns:
            for j in frame.columns:
                ok = frame[i].notna() & frame[j].notna()
                x, y = frame.loc[ok, i], frame.loc[ok, j]
                if method == "pearson":
                    expected = np.corrcoef(x, y)[0, 1]
                else:  # R ranks each pair's complete cases afresh
                    expected = np.corrcoef(stats.rankdata(x), stats.rankdata(y))[0, 1]
                assert got.at[i, j] == pytest.approx(expected, abs=1e-14)

    def test_bad_method(self):
        with pytest.raises(SpecError, match="pearson"):
            correlation_matrix(gappy(), method="tau")

    def test_levels_and_within(self, asem_results):
        fw = asem_results.framework
        c = level_correlations(asem_results, 1, 2)
        assert c.shape == (49, 8)
        w = level_correlations(asem_results, 1, within=2)
        for r in w.index:
            for col in w.columns:
                same = fw[r].parent == fw[col].parent
                assert np.isnan(w.at[r, col]) != same

    def test_parent_and_index(self, asem_results):
        pc = parent_correlations(asem_results)
        frame = asem_results.stages["aggregated"]
        row = pc.loc["LPI"]
        ok = frame[["LPI", row["parent"]]].dropna()
        assert row["r_parent"] == pytest.approx(np.corrcoef(ok.T.to_numpy())[0, 1], abs=1e-14)
        assert pc.loc["Conn", "parent"] == "Index"
        assert pc.loc["Conn", "r_parent"] == pc.loc["Conn", "r_index"]
        assert "Index" not in pc.index


class TestCronbach:
    def test_hand_example(self):
        frame = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 3, 3, 5], "c": [1.0, 1, 2, 3]})
        # classical alpha = k/(k-1)·(1 - Σ var / var(total)) on complete data
        k = 3
        classical = k / (k - 1) * (1 - frame.var().sum() / frame.sum(axis=1).var())
        assert cronbach(frame) == pytest.approx(classical, abs=1e-14)
        assert cronbach(frame) == pytest.approx(0.9642857142857142, abs=1e-15)

    def test_coinr_formula_with_gaps(self):
        frame = gappy(1)
        k = frame.shape[1]
        cov = np.empty((k, k))
        for i in range(k):  # R cov(use = "pairwise.complete.obs"), one pair at a time
            for j in range(k):
                ok = frame.iloc[:, i].notna() & frame.iloc[:, j].notna()
                cov[i, j] = np.cov(frame.iloc[:, i][ok], frame.iloc[:, j][ok])[0, 1]
        off = (cov.sum() - np.trace(cov)) / (k * (k - 1))
        assert cronbach(frame) == pytest.approx(k**2 * off / cov.sum(), abs=1e-13)

    def test_by_group(self, asem_results):
        alphas = cronbach_by_group(asem_results, level=2, stage="normalised")
        assert list(alphas.index) == asem_results.framework.codes_at(2)
        kids = asem_results.framework.children("Physical")
        assert alphas["Physical"] == cronbach(asem_results.stages["normalised"], kids)

    def test_needs_two_columns(self):
        with pytest.raises(DataError, match="at least 2"):
            cronbach(pd.DataFrame({"a": [1.0, 2.0]}))


class TestPCA:
    def test_matches_prcomp_up_to_sign(self):
        frame = gappy(2)
        res = pca(frame, list("abcd"))
        complete = frame.dropna()
        assert res.n_used == len(complete)
        corr = np.corrcoef(complete.to_numpy().T)
        evals, evecs = np.linalg.eigh(corr)
        order = np.argsort(evals)[::-1]
        np.testing.assert_allclose(res.variance.to_numpy(), evals[order], atol=1e-12)
        for j, col in enumerate(res.loadings.columns):
            v = evecs[:, order[j]]
            assert (
                min(
                    np.abs(res.loadings[col].to_numpy() - v).max(),
                    np.abs(res.loadings[col].to_numpy() + v).max(),
                )
                < 1e-10
            )
        assert res.explained.sum() == pytest.approx(1.0)
        assert res.loadings["PC1"].sum() >= 0

    def test_by_group(self, asem_results):
        groups = pca(asem_results, level=1, by_group=True, stage="normalised")
        fw = asem_results.framework
        assert set(groups) == set(fw.codes_at(2))
        assert list(groups["Physical"].loadings.index) == fw.children("Physical")

    def test_too_few_rows(self):
        frame = pd.DataFrame({"a": [1.0, np.nan], "b": [np.nan, 2.0]})
        with pytest.raises(DataError, match="complete rows"):
            pca(frame, ["a", "b"])


class TestWhatIf:
    def test_identical_runs_do_not_move(self, asem, asem_results):
        out = compare(asem_results, asem_pipeline().run(asem))
        assert set(out["code"]) == set(asem_results.framework.aggregates)
        assert (out["rank_change"].fillna(0) == 0).all()
        assert (out["score_change"].fillna(0) == 0).all()

    def test_method_change(self, asem, asem_results):
        geo = asem_pipeline().set_params(normalise__lower=1, aggregate__method="geometric")
        out = compare(asem_results, geo.run(asem), ["Index"])
        assert len(out) == 51 and out.columns[0] == "uCode"
        assert (out["abs_rank_change"] == out["rank_change"].abs()).all()
        assert out["rank_change"].sum() == 0  # no ties: ranks are a permutation
        with pytest.raises(DataError, match="'Nope'"):
            compare(asem_results, asem_results, ["Nope"])


class TestStrengthsWeaknesses:
    def test_hand_example(self, asem_results):
        sw = strengths_weaknesses(asem_results, "DEU", n_top=3, n_bottom=3)
        ranks = asem_results.indicator_ranks("normalised").loc["DEU"].dropna()
        assert list(sw.strengths["rank"]) == sorted(sw.strengths["rank"])
        assert sw.strengths["rank"].max() <= ranks.sort_values().iloc[3]
        assert sw.weaknesses["rank"].iloc[0] == ranks.max()
        assert set(sw.strengths.columns) >= {"code", "group", "rank", "value"}
        assert sw.strengths["group"].isin(asem_results.framework.codes_at(2)).all()

    def test_raw_stage_respects_direction(self, asem_results):
        fw = asem_results.framework
        neg = next(c for c in fw.indicators if fw[c].direction == -1)
        raw = asem_results.stages["raw"][neg]
        best_unit = raw.idxmin()  # lowest value of a "lower is better" indicator
        sw = strengths_weaknesses(asem_results, best_unit, stage="raw", n_top=49, drop_worst=False)
        assert sw.strengths.set_index("code").at[neg, "rank"] == 1

    def test_unknown_unit(self, asem_results):
        with pytest.raises(DataError, match="'XXX'"):
            strengths_weaknesses(asem_results, "XXX")


def test_analyse_command(tmp_path):
    """``nengji index analyse`` writes stats, correlations and cronbach by default."""
    pytest.importorskip("click")
    pytest.importorskip("yaml")
    from click.testing import CliRunner

    from nengji.cli.index_uncertainty import analyse

    from conftest import coinr_file

    p = tmp_path / "P.yaml"
    p.write_text(
        "steps:\n  - {step: normalise, method: minmax}\n  - {step: aggregate}\n", encoding="utf-8"
    )
    args = [
        "--framework", str(coinr_file("input_ASEM_iMeta.csv")),
        "--data", str(coinr_file("input_ASEM_iData.csv")),
        "--pipeline", str(p), "--out-dir", str(tmp_path / "out"),
    ]  # fmt: skip
    res = CliRunner().invoke(analyse, args)
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "correlations.csv",
        "cronbach.csv",
        "stats.csv",
    ]
    stats_table = pd.read_csv(tmp_path / "out" / "stats.csv", index_col=0)
    assert len(stats_table) == 49 and "kurtosis" in stats_table.columns
    alpha = pd.read_csv(tmp_path / "out" / "cronbach.csv", index_col=0)["alpha"]
    assert {"Physical", "Conn", "Index"} <= set(alpha.index)
    corr = pd.read_csv(tmp_path / "out" / "correlations.csv", index_col=0)
    assert corr.shape == (49, 49)


def test_docs_example_runs(monkeypatch, capsys):
    """The Python block of docs/index/analysis.md, run as written next to COINr's tables."""
    import re
    from pathlib import Path

    from conftest import coinr_file

    doc = Path(__file__).resolve().parents[2] / "docs" / "index" / "analysis.md"
    code = re.findall(r"```python\n(.*?)```", doc.read_text(encoding="utf-8"), flags=re.S)[0]
    monkeypatch.chdir(coinr_file("input_ASEM_iData.csv").parent)
    exec(compile(code, str(doc), "exec"), {})  # noqa: S102  running our own docs is the test
    assert "abs_rank_change" in capsys.readouterr().out


def test_properties_with_hypothesis():
    """skew_kurt equals the scalar forms on any column; alpha ignores column order."""
    hypothesis = pytest.importorskip("hypothesis")
    st = pytest.importorskip("hypothesis.strategies")
    # integer-valued data keep every sum exact, so both forms see the same deviations
    floats = st.integers(-1000, 1000).map(float)

    @hypothesis.settings(max_examples=60, deadline=None)
    @hypothesis.given(st.lists(floats, min_size=4, max_size=30), st.integers(0, 3))
    def check(values, n_nan):
        x = np.array(values + [np.nan] * n_nan)
        s, k = skew_kurt(x)
        clean = x[~np.isnan(x)]
        for got, want in ((s[0], skew(clean)), (k[0], kurt(clean))):
            if np.isnan(want):
                assert np.isnan(got)
            else:
                assert got == pytest.approx(want, rel=1e-9, abs=1e-9)

    check()

    @hypothesis.settings(max_examples=30, deadline=None)
    @hypothesis.given(st.integers(0, 10_000))
    def check_alpha(seed):
        frame = gappy(seed)
        assert cronbach(frame) == pytest.approx(cronbach(frame[["d", "b", "a", "c"]]), abs=1e-12)

    check_alpha()


def test_what_if_leaves_the_pipeline_alone(asem):
    from nengji.index.analysis import what_if

    pipe = asem_pipeline()
    out = what_if(pipe, asem, ["Index"], aggregate__method="geometric", normalise__lower=1)
    assert pipe.named_steps["aggregate"].method == "arithmetic"
    assert out["abs_rank_change"].max() > 0
    assert set(out["code"]) == {"Index"}


def test_pvalues_match_r_cor_test_and_blank_insignificant():
    from nengji.index.analysis import correlation_pvalues

    frame = gappy(3)
    frame["noise"] = np.random.default_rng(9).normal(size=len(frame))
    p = correlation_pvalues(frame)
    for i in frame.columns:
        for j in frame.columns:
            ok = frame[i].notna() & frame[j].notna()
            want = 0.0 if i == j else stats.pearsonr(frame.loc[ok, i], frame.loc[ok, j]).pvalue
            assert p.at[i, j] == pytest.approx(want, rel=1e-9, abs=1e-15)
    blanked = correlation_matrix(frame, pval=0.05)
    assert (blanked.isna() == (p > 0.05)).all().all()
