"""Monte Carlo uncertainty analysis: sampling, vectorised = naive, reproducibility, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nengji.index import (
    Aggregate,
    DataError,
    MeanImputer,
    MinMax,
    Pipeline,
    SpecError,
    Winsorise,
    ZScore,
    rank_scores,
)
from nengji.index._montecarlo import Engine
from nengji.index.coinr import example_coin_pipeline
from nengji.index.uncertainty import parse_inputs, rank_rows, run_uncertainty

ISSUE_INPUTS = {
    "inputs": [
        {"name": "winmax", "param": "treat.max_points", "values": [1, 2, 3, 4, 5]},
        {
            "name": "normalisation",
            "param": "normalise",
            "values": [
                {"method": "minmax", "lower": 1, "upper": 100},
                {"method": "zscore", "mean": 10, "sd": 2},
            ],
        },
        {"name": "weights", "param": "weights", "noise": 0.25, "levels": [2, 3]},
        {"name": "aggregation", "param": "aggregate.method", "values": ["arithmetic", "geometric"]},
    ]
}
WEIGHTS_ONLY = {"inputs": [{"name": "w", "param": "weights", "noise": 0.25, "levels": [2, 3]}]}


def simple_pipeline() -> Pipeline:
    return Pipeline(
        [
            ("treat", Winsorise()),
            ("normalise", MinMax(lower=0, upper=100)),
            ("aggregate", Aggregate()),
        ]
    )


class TestParseInputs:
    def test_issue_shape(self):
        inputs = parse_inputs(ISSUE_INPUTS)
        assert [i.name for i in inputs] == ["winmax", "normalisation", "weights", "aggregation"]
        assert inputs[0].n_values == 5
        assert inputs[2].noise == 0.25 and inputs[2].levels == (2, 3)

    def test_list_form(self):
        assert len(parse_inputs(ISSUE_INPUTS["inputs"])) == 4

    @pytest.mark.parametrize(
        ("item", "message"),
        [
            ({"name": "x", "param": "aggregate.method", "values": []}, "'values' is empty"),
            ({"name": "x", "param": "weights", "noise": 1.0, "levels": [2]}, "noise must be"),
            ({"name": "x", "param": "weights", "noise": -0.1, "levels": [2]}, "noise must be"),
            ({"name": "x", "param": "weights", "noise": "big", "levels": [2]}, "noise must be"),
            ({"name": "x", "param": "weights", "noise": 0.2}, "'levels'"),
            ({"name": "x", "param": "weights", "noise": 0.2, "levels": []}, "'levels'"),
            ({"name": "x", "param": "treat.max_points", "noise": 0.2, "levels": [1]}, "'weights'"),
            ({"name": "x", "values": [1]}, "needs a 'param'"),
            ({"name": "x", "param": "treat.max_points"}, "either 'values' or 'noise'"),
            (
                {"name": "x", "param": "weights", "values": [{}], "noise": 0.1, "levels": [2]},
                "either 'values' or 'noise'",
            ),
            ({"name": "x", "param": "aggregate.method", "values": "arithmetic"}, "must be a list"),
            ({"name": "x", "param": "aggregate.method", "value": [1]}, "unknown key 'value'"),
        ],
    )
    def test_bad_input_names_the_input(self, item, message):
        with pytest.raises(SpecError, match=message):
            parse_inputs({"inputs": [item]})

    def test_empty_and_duplicate(self):
        with pytest.raises(SpecError, match="non-empty 'inputs'"):
            parse_inputs({"inputs": []})
        dup = {"name": "a", "param": "aggregate.method", "values": ["arithmetic"]}
        with pytest.raises(SpecError, match="used twice"):
            parse_inputs([dup, dup])


class TestBadPaths:
    def test_unknown_parameter_of_a_step(self, asem):
        spec = [{"name": "wm", "param": "treat.max_pts", "values": [1, 2]}]
        with pytest.raises(SpecError, match=r"'wm'.*no parameter 'max_pts'.*max_points"):
            run_uncertainty(asem, simple_pipeline(), spec, n_runs=5)

    def test_unknown_step(self, asem):
        spec = [{"name": "q", "param": "frobnicate.level", "values": [1, 2]}]
        with pytest.raises(SpecError, match=r"unknown parameter path 'frobnicate\.level'"):
            run_uncertainty(asem, simple_pipeline(), spec, n_runs=5)

    def test_weights_has_no_sub_parameter(self, asem):
        spec = [{"name": "w", "param": "weights.Conn", "values": [1, 2]}]
        with pytest.raises(SpecError, match="no sub-parameter 'Conn'"):
            run_uncertainty(asem, simple_pipeline(), spec, n_runs=5)

    def test_param_of_absent_step(self, asem):
        spec = [{"name": "q", "param": "impute.group", "values": ["a"]}]
        with pytest.raises(SpecError, match="no 'impute' step"):
            run_uncertainty(asem, simple_pipeline(), spec, n_runs=5)

    def test_bad_step_spec_fails_before_running(self, asem):
        spec = [{"name": "n", "param": "normalise", "values": [{"method": "nope"}]}]
        with pytest.raises(SpecError, match=r"'n'.*unknown normalise method 'nope'"):
            run_uncertainty(asem, simple_pipeline(), spec, n_runs=5)

    def test_level_not_in_framework(self, asem):
        spec = [{"name": "w", "param": "weights", "noise": 0.1, "levels": [9]}]
        with pytest.raises(SpecError, match="level 9 is not a framework level"):
            run_uncertainty(asem, simple_pipeline(), spec, n_runs=5)

    def test_bad_run_count_and_target(self, asem):
        with pytest.raises(SpecError, match="n_runs"):
            run_uncertainty(asem, simple_pipeline(), WEIGHTS_ONLY, n_runs=0)
        with pytest.raises(SpecError, match="target 'LPI' is not an aggregate"):
            run_uncertainty(asem, simple_pipeline(), WEIGHTS_ONLY, n_runs=5, target="LPI")

    def test_pipeline_without_aggregate(self, asem):
        with pytest.raises(SpecError, match="aggregate step"):
            run_uncertainty(asem, Pipeline([("normalise", MinMax())]), WEIGHTS_ONLY, n_runs=5)

    def test_panel_needs_a_known_period(self, asem, asem_panel):
        with pytest.raises(DataError, match=r"needs period=.*2018"):
            run_uncertainty(asem_panel, simple_pipeline(), WEIGHTS_ONLY, n_runs=5)
        with pytest.raises(DataError, match="no period 1999"):
            run_uncertainty(asem_panel, simple_pipeline(), WEIGHTS_ONLY, n_runs=5, period=1999)
        with pytest.raises(DataError, match="panel data only"):
            run_uncertainty(asem, simple_pipeline(), WEIGHTS_ONLY, n_runs=5, period=2018)


def test_panel_period_runs_the_whole_panel(asem_panel):
    """Pooled normalisation sees every year; only the chosen year is ranked."""
    from nengji.index.coinr import example_purse_pipeline

    res = run_uncertainty(
        asem_panel, example_purse_pipeline(), WEIGHTS_ONLY, n_runs=30, seed=1, period="2020"
    )
    nominal = example_purse_pipeline().run(asem_panel).ranks["Index"].xs(2020, level=1)
    got = res.summary()["nominal_rank"]
    assert got.index.name == "uCode"
    pd.testing.assert_series_equal(got, nominal.loc[got.index], check_names=False)
    assert np.isfinite(res.ranks).all()


def test_rank_rows_matches_rank_scores():
    rng = np.random.default_rng(3)
    scores = rng.integers(0, 5, size=(4, 9)).astype(float)
    scores[1, 3] = np.nan
    expected = np.stack([rank_scores(pd.DataFrame({"x": row}))["x"].to_numpy() for row in scores])
    np.testing.assert_array_equal(rank_rows(scores), expected)


@pytest.fixture(scope="module")
def result(asem):
    """The issue's four inputs on COINr's full example pipeline."""
    return run_uncertainty(
        asem, example_coin_pipeline(), ISSUE_INPUTS, n_runs=300, seed=42, keep_scores=True
    )


class TestIssueInputsOnAsem:
    def test_nominal_is_the_deterministic_pipeline(self, asem, result):
        nominal = example_coin_pipeline().run(asem)
        expected = nominal.ranks["Index"]
        got = result.summary()["nominal_rank"]
        pd.testing.assert_series_equal(got, expected.loc[got.index], check_names=False)
        assert list(result.summary().columns) == [
            "nominal_rank",
            "mean_rank",
            "median_rank",
            "q05_rank",
            "q95_rank",
        ]
        # COINr reports the units of the screened coin
        assert len(result.units) == len(nominal.scores)

    def test_reproducible_by_seed(self, asem, result):
        again = run_uncertainty(asem, example_coin_pipeline(), ISSUE_INPUTS, n_runs=300, seed=42)
        np.testing.assert_array_equal(again.ranks, result.ranks)
        other = run_uncertainty(asem, example_coin_pipeline(), ISSUE_INPUTS, n_runs=300, seed=7)
        assert not np.array_equal(other.ranks, result.ranks)

    def test_every_choice_is_used(self, result):
        assert sorted(result.design["winmax"].unique()) == [0, 1, 2, 3, 4]
        assert sorted(result.design["aggregation"].unique()) == [0, 1]
        assert not result.failures
        assert np.isfinite(result.ranks).all()

    def test_quantiles_are_ordered(self, result):
        s = result.summary()
        assert (s["q05_rank"] <= s["median_rank"]).all()
        assert (s["median_rank"] <= s["q95_rank"]).all()
        assert s["mean_rank"].between(1, len(s)).all()

    def test_vectorised_equals_naive_reruns(self, asem, result):
        """Every run recomputed the slow way: set the choices on the pipeline and run it."""
        engine = Engine(asem, example_coin_pipeline(), parse_inputs(ISSUE_INPUTS))
        rng = np.random.default_rng(0)
        design = engine.choices_from_uniform(rng.random((12, 4)))
        design[:, 2] = np.arange(12)
        pools = engine.draw_noise(rng, 12)
        fast = engine.evaluate(design, pools)
        base_w = engine.framework.weights()
        codes = list(engine.framework.indicators + engine.framework.aggregates)
        for r, row in enumerate(design):
            norm = ISSUE_INPUTS["inputs"][1]["values"][row[1]]
            pipe = example_coin_pipeline()
            pipe.set_params(
                treat__max_points=[1, 2, 3, 4, 5][row[0]],
                normalise=(MinMax if norm["method"] == "minmax" else ZScore)(
                    **{k: v for k, v in norm.items() if k != "method"}
                ),
                aggregate__method=["arithmetic", "geometric"][row[3]],
                aggregate__weights=dict(
                    zip(codes, base_w[codes].to_numpy() * pools[2][row[2]], strict=True)
                ),
            )
            slow = pipe.run(asem).scores["Index"].reindex(engine.units).to_numpy()
            np.testing.assert_allclose(fast[r], slow, rtol=1e-12, atol=1e-12)


class TestWeightNoise:
    def test_interval_contains_nominal(self, asem):
        res = run_uncertainty(asem, simple_pipeline(), WEIGHTS_ONLY, n_runs=400, seed=1)
        s = res.summary()
        assert (s["q05_rank"] <= s["nominal_rank"]).all()
        assert (s["nominal_rank"] <= s["q95_rank"]).all()
        assert res.ranks.std(axis=0).max() > 0  # the noise did move someone

    def test_zero_noise_changes_nothing(self, asem):
        spec = [{"name": "w", "param": "weights", "noise": 0.0, "levels": [2, 3]}]
        res = run_uncertainty(asem, simple_pipeline(), spec, n_runs=20, seed=1)
        assert (res.ranks == res.nominal_ranks).all()

    def test_noise_factors_stay_in_band_and_only_at_levels(self, asem):
        engine = Engine(asem, simple_pipeline(), parse_inputs(WEIGHTS_ONLY))
        factors = engine.draw_noise(np.random.default_rng(0), 500)[0]
        n_ind = len(engine.framework.indicators)
        assert (factors[:, :n_ind] == 1).all()  # level-1 weights untouched
        moved = factors[:, n_ind:]
        assert moved.min() >= 0.75 and moved.max() <= 1.25

    def test_scores_kept_only_when_asked(self, asem):
        res = run_uncertainty(asem, simple_pipeline(), WEIGHTS_ONLY, n_runs=3, seed=1)
        assert res.scores is None
        with pytest.raises(SpecError, match="keep_scores"):
            res.score_frame()


class TestChoices:
    def test_single_nominal_value_reproduces_nominal(self, asem):
        spec = [{"name": "m", "param": "aggregate.method", "values": ["arithmetic"]}]
        res = run_uncertainty(asem, simple_pipeline(), spec, n_runs=10, seed=1)
        assert (res.ranks == res.nominal_ranks).all()

    def test_imputation_choice_inserts_a_step(self, asem):
        spec = [{"name": "imp", "param": "impute", "values": [None, {"method": "mean"}]}]
        res = run_uncertainty(asem, simple_pipeline(), spec, n_runs=40, seed=3, keep_scores=True)
        imputed = Pipeline([("impute", MeanImputer()), *simple_pipeline().steps]).run(asem)
        runs = res.design["imp"].to_numpy()
        np.testing.assert_allclose(res.scores[runs == 0][0], res.nominal_scores)
        np.testing.assert_allclose(
            res.scores[runs == 1][0], imputed.scores["Index"].reindex(res.units).to_numpy()
        )

    def test_failed_runs_give_nan_and_a_reason(self, asem):
        spec = [
            {"name": "n", "param": "normalise", "values": [{"method": "zscore"}]},
            {"name": "a", "param": "aggregate.method", "values": ["arithmetic", "geometric"]},
        ]
        res = run_uncertainty(asem, simple_pipeline(), spec, n_runs=20, seed=2)
        geo = res.design["a"].to_numpy() == 1
        assert np.isnan(res.ranks[geo]).all()
        assert np.isfinite(res.ranks[~geo]).all()
        assert res.failures and "positive" in res.failures[0]

    def test_pipeline_spec_dict_accepted(self, asem):
        spec = {
            "steps": [{"step": "normalise", "method": "minmax"}, {"step": "aggregate"}],
        }
        res = run_uncertainty(asem, spec, WEIGHTS_ONLY, n_runs=5, seed=1)
        assert res.n_runs == 5
        assert res.to_frame().columns[0] == "uCode"


class TestCommand:
    """``nengji index uncertainty`` through click's CliRunner (the command object itself)."""

    @pytest.fixture
    @staticmethod
    def cli():
        pytest.importorskip("click")
        pytest.importorskip("yaml")
        from click.testing import CliRunner

        from nengji.cli.index_uncertainty import uncertainty

        return CliRunner(), uncertainty

    @staticmethod
    def args(tmp_path, u_yaml: str, *extra: str) -> list[str]:
        from conftest import coinr_file

        pipelines = Path(__file__).resolve().parents[2] / "docs" / "index" / "pipelines"
        u = tmp_path / "U.yaml"
        u.write_text(u_yaml, encoding="utf-8")
        return [
            "--framework", str(coinr_file("input_ASEM_iMeta.csv")),
            "--data", str(coinr_file("input_ASEM_iData.csv")),
            "--pipeline", str(pipelines / "asem-full.yaml"),
            "--uncertainty", str(u),
            *extra,
        ]  # fmt: skip

    def test_issue_command_writes_rank_table(self, cli, tmp_path, asem):
        runner, command = cli
        out = tmp_path / "ranks.csv"
        args = self.args(tmp_path, ISSUE_YAML, "--runs", "200", "--seed", "5", "--out", str(out))
        res = runner.invoke(command, args)
        assert res.exit_code == 0, res.output
        table = pd.read_csv(out)
        assert list(table.columns) == [
            "uCode", "nominal_rank", "mean_rank", "median_rank", "q05_rank", "q95_rank",
        ]  # fmt: skip
        nominal = example_coin_pipeline().run(asem).ranks["Index"]
        np.testing.assert_array_equal(
            table.set_index("uCode")["nominal_rank"], nominal.loc[table["uCode"]]
        )
        prov = json.loads((tmp_path / "ranks.spec.json").read_text(encoding="utf-8"))
        assert prov["seed"] == 5 and prov["runs"] == 200
        assert prov["uncertainty"]["inputs"][0]["param"] == "treat.max_points"
        again = tmp_path / "again.csv"
        args = self.args(tmp_path, ISSUE_YAML, "--runs", "200", "--seed", "5", "--out", str(again))
        runner.invoke(command, args)
        assert again.read_text() == out.read_text()

    def test_scores_and_recorded_seed(self, cli, tmp_path):
        runner, command = cli
        out, scores = tmp_path / "r.csv", tmp_path / "s.csv"
        u = "inputs:\n  - {name: w, param: weights, noise: 0.1, levels: [2]}\n"
        res = runner.invoke(
            command,
            self.args(tmp_path, u, "--runs", "7", "--out", str(out), "--scores", str(scores)),
        )
        assert res.exit_code == 0, res.output
        assert pd.read_csv(scores).shape == (7, 1 + len(pd.read_csv(out)))
        prov = json.loads((tmp_path / "r.spec.json").read_text(encoding="utf-8"))
        assert isinstance(prov["seed"], int)

    @pytest.mark.parametrize(
        ("u_yaml", "message"),
        [
            ("inputs:\n  - {name: wm, param: treat.max_pts, values: [1, 2]}\n", "max_pts"),
            ("inputs:\n  - {name: wm, param: treat.max_points, values: []}\n", "empty"),
            ("inputs:\n  - {name: w, param: weights, noise: 1.5, levels: [2]}\n", "[0, 1)"),
        ],
    )
    def test_bad_spec_is_a_clean_error(self, cli, tmp_path, u_yaml, message):
        runner, command = cli
        res = runner.invoke(command, self.args(tmp_path, u_yaml, "--out", str(tmp_path / "o.csv")))
        assert res.exit_code != 0
        assert message in res.output
        assert not (tmp_path / "o.csv").exists()


ISSUE_YAML = """\
inputs:
  - {name: winmax, param: treat.max_points, values: [1, 2, 3, 4, 5]}
  - name: normalisation
    param: normalise
    values: [{method: minmax, lower: 1, upper: 100}, {method: zscore, mean: 10, sd: 2}]
  - {name: weights, param: weights, noise: 0.25, levels: [2, 3]}
  - {name: aggregation, param: aggregate.method, values: [arithmetic, geometric]}
"""


def test_docs_example_runs(monkeypatch, capsys):
    """The Python block of docs/index/uncertainty.md, run as written next to COINr's tables."""
    import re

    from conftest import coinr_file

    doc = Path(__file__).resolve().parents[2] / "docs" / "index" / "uncertainty.md"
    code = re.findall(r"```python\n(.*?)```", doc.read_text(encoding="utf-8"), flags=re.S)[0]
    monkeypatch.chdir(coinr_file("input_ASEM_iData.csv").parent)
    exec(compile(code, str(doc), "exec"), {})  # noqa: S102  running our own docs is the test
    out = capsys.readouterr().out
    assert "nominal_rank" in out and "aggregation" in out


def test_replacing_the_aggregate_step_equals_setting_its_method(asem):
    by_param = [{"name": "a", "param": "aggregate.method", "values": ["arithmetic", "geometric"]}]
    by_step = [
        {
            "name": "a",
            "param": "aggregate",
            "values": [{"method": "arithmetic"}, {"method": "geometric"}],
        }
    ]
    a = run_uncertainty(
        asem, simple_pipeline(), [*by_param, *WEIGHTS_ONLY["inputs"]], n_runs=50, seed=4
    )
    b = run_uncertainty(
        asem, simple_pipeline(), [*by_step, *WEIGHTS_ONLY["inputs"]], n_runs=50, seed=4
    )
    assert (a.design["a"] == 1).any() and (a.design["a"] == 0).any()
    np.testing.assert_array_equal(a.ranks, b.ranks)


def test_score_interval_for_a_single_district_panel():
    """The Yangpu demo has one district: ranks are trivial, the score interval is the answer."""
    examples = pytest.importorskip("nengji.index.examples")
    data, pipe = examples.yangpu_demo_data(), examples.yangpu_pipeline()
    spec = [{"name": "w", "param": "weights", "noise": 0.2, "levels": [1, 2]}]
    res = run_uncertainty(data, pipe, spec, n_runs=200, seed=1, period=2019, keep_scores=True)
    s = res.score_summary()
    nominal = pipe.run(data).scores[res.target].xs(2019, level=1)
    assert s["nominal_score"].to_numpy() == pytest.approx(nominal.to_numpy())
    assert (s["q05_score"] <= s["nominal_score"]).all()
    assert (s["nominal_score"] <= s["q95_score"]).all()
    assert (s["q05_score"] < s["q95_score"]).all()


def test_learned_weights_are_the_nominal_weights_that_get_noise(asem):
    """A weight step (entropy) upstream: noise perturbs the weights it learned."""
    from nengji.index import EntropyWeights

    pipe = Pipeline(
        [
            ("normalise", MinMax(lower=1, upper=100)),
            ("weight", EntropyWeights()),
            ("aggregate", Aggregate()),
        ]
    )
    res = run_uncertainty(asem, pipe, WEIGHTS_ONLY, n_runs=100, seed=2)
    nominal = pipe.run(asem).ranks["Index"]
    np.testing.assert_array_equal(res.nominal_ranks, nominal.loc[res.units].to_numpy())
    zero = [{"name": "w", "param": "weights", "noise": 0.0, "levels": [1, 2, 3]}]
    same = run_uncertainty(asem, pipe, zero, n_runs=5, seed=2)
    assert (same.ranks == same.nominal_ranks).all()
