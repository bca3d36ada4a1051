"""Sobol' sensitivity: the estimators on analytic functions, the design, and the index wrapper."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nengji.index import Aggregate, MinMax, Pipeline, SpecError, Winsorise
from nengji.index.sensitivity import (
    run_sensitivity,
    saltelli_sample,
    sobol_analyse,
    sobol_indices,
)


def ishigami(u: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    x = -np.pi + 2 * np.pi * u
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_analytic(a: float = 7.0, b: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Exact first- and total-order indices (Ishigami & Homma 1990; Sobol' & Levitan 1999)."""
    v1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


class TestEstimators:
    def test_ishigami_close_to_analytic(self):
        s1, st = ishigami_analytic()
        got = sobol_analyse(ishigami, 3, 2**13, seed=11)
        np.testing.assert_allclose(got["S1"], s1, atol=0.03)
        np.testing.assert_allclose(got["ST"], st, atol=0.03)

    def test_additive_linear_function(self):
        coef = np.array([1.0, 2.0, 3.0])
        got = sobol_analyse(lambda u: u @ coef, 3, 2**12, seed=2)
        expected = coef**2 / (coef**2).sum()  # uniform inputs: V_i ∝ c_i²
        np.testing.assert_allclose(got["S1"], expected, atol=0.02)
        np.testing.assert_allclose(got["ST"], expected, atol=0.02)

    def test_bootstrap_intervals_bracket_estimates_and_are_reproducible(self):
        a = sobol_analyse(ishigami, 3, 1024, seed=5, n_boot=300, names=["x1", "x2", "x3"])
        b = sobol_analyse(ishigami, 3, 1024, seed=5, n_boot=300, names=["x1", "x2", "x3"])
        assert a.equals(b)
        assert list(a.columns) == ["S1", "ST", "S1_low", "S1_high", "ST_low", "ST_high"]
        assert (a["ST_low"] <= a["ST"]).all() and (a["ST"] <= a["ST_high"]).all()
        assert (a["S1_low"] <= a["S1_high"]).all()
        _, st = ishigami_analytic()
        assert ((a["ST_low"] - 0.02 <= st) & (st <= a["ST_high"] + 0.02)).all()

    def test_design_layout(self):
        n, k = 8, 3
        x = saltelli_sample(n, k, seed=1)
        assert x.shape == (n * (k + 2), k)
        assert ((x >= 0) & (x < 1)).all()
        a, b = x[:n], x[n : 2 * n]
        for i in range(k):
            ab = x[(2 + i) * n : (3 + i) * n]
            np.testing.assert_array_equal(np.delete(ab, i, axis=1), np.delete(a, i, axis=1))
            np.testing.assert_array_equal(ab[:, i], b[:, i])
        np.testing.assert_array_equal(x, saltelli_sample(n, k, seed=1))

    def test_bad_input(self):
        with pytest.raises(SpecError, match="n >= 2"):
            saltelli_sample(1, 3)
        with pytest.raises(SpecError, match="expected 20 outputs"):
            sobol_indices(np.zeros(19), 4, 3)
        y = np.ones(20)
        y[3] = np.nan
        with pytest.raises(SpecError, match="NaN"):
            sobol_indices(y, 4, 3)
        with pytest.raises(SpecError, match="conf"):
            sobol_indices(np.arange(20.0), 4, 3, n_boot=10, conf=1.5)


INPUTS = {
    "inputs": [
        {"name": "winmax", "param": "treat.max_points", "values": [1, 2, 3, 4, 5]},
        {"name": "weights", "param": "weights", "noise": 0.25, "levels": [2, 3]},
        {"name": "aggregation", "param": "aggregate.method", "values": ["arithmetic", "geometric"]},
    ]
}


def pipeline() -> Pipeline:
    return Pipeline(
        [
            ("treat", Winsorise()),
            ("normalise", MinMax(lower=1, upper=100)),
            ("aggregate", Aggregate()),
        ]
    )


class TestRunSensitivity:
    @pytest.fixture(scope="class")
    @staticmethod
    def result(asem):
        return run_sensitivity(asem, pipeline(), INPUTS, n=64, seed=3, n_boot=50)

    def test_shapes(self, result):
        assert list(result.indices.index) == ["winmax", "weights", "aggregation"]
        assert result.output.shape == (64 * 5,)
        assert result.uncertainty.n_runs == 128  # rank statistics from A and B, as COINr
        assert (result.output >= 0).all()
        assert result.to_frame().columns[0] == "input"

    def test_aggregation_dominates(self, result):
        st = result.indices["ST"]
        assert st.idxmax() == "aggregation"
        assert (result.indices["ST"] >= -1e-12).all()

    def test_reproducible(self, asem, result):
        again = run_sensitivity(asem, pipeline(), INPUTS, n=64, seed=3, n_boot=50)
        assert again.indices.equals(result.indices)

    def test_needs_two_inputs(self, asem):
        one = {"inputs": INPUTS["inputs"][:1]}
        with pytest.raises(SpecError, match="at least two"):
            run_sensitivity(asem, pipeline(), one, n=8)


def test_sensitivity_command(tmp_path):
    """``nengji index sensitivity`` through click's CliRunner."""
    pytest.importorskip("click")
    pytest.importorskip("yaml")
    from click.testing import CliRunner

    from nengji.cli.index_uncertainty import sensitivity

    from conftest import coinr_file

    u = tmp_path / "U.yaml"
    u.write_text(
        "inputs:\n"
        "  - {name: winmax, param: treat.max_points, values: [1, 2, 3, 4, 5]}\n"
        "  - {name: weights, param: weights, noise: 0.25, levels: [2, 3]}\n"
        "  - {name: aggregation, param: aggregate.method, values: [arithmetic, geometric]}\n",
        encoding="utf-8",
    )
    p = tmp_path / "P.yaml"
    p.write_text(
        "steps:\n  - {step: treat, method: winsorise}\n"
        "  - {step: normalise, method: minmax, lower: 1, upper: 100}\n"
        "  - {step: aggregate, method: arithmetic}\n",
        encoding="utf-8",
    )
    out, ranks = tmp_path / "sobol.csv", tmp_path / "ranks.csv"
    args = [
        "--framework", str(coinr_file("input_ASEM_iMeta.csv")),
        "--data", str(coinr_file("input_ASEM_iData.csv")),
        "--pipeline", str(p), "--uncertainty", str(u),
        "--runs", "32", "--seed", "1", "--boot", "20", "--out", str(out), "--ranks", str(ranks),
    ]  # fmt: skip
    res = CliRunner().invoke(sensitivity, args)
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out)
    assert list(table.columns) == ["input", "S1", "ST", "S1_low", "S1_high", "ST_low", "ST_high"]
    assert list(table["input"]) == ["winmax", "weights", "aggregation"]
    assert pd.read_csv(ranks).columns[0] == "uCode"
    u.write_text("inputs:\n  - {name: w, param: weights, noise: 0.2, levels: [2]}\n")
    res = CliRunner().invoke(sensitivity, args)
    assert res.exit_code != 0 and "at least two" in res.output


def test_failed_runs_are_a_clear_error(asem):
    inputs = {
        "inputs": [
            {"name": "n", "param": "normalise", "values": [{"method": "zscore"}]},
            {"name": "a", "param": "aggregate.method", "values": ["arithmetic", "geometric"]},
        ]
    }
    with pytest.raises(SpecError, match=r"runs failed.*positive"):
        run_sensitivity(asem, pipeline(), inputs, n=8, seed=1)
