# ruff: noqa: N806  matrices keep their mathematical capitals
"""Issue 17: optimised weights (COINr ``get_opt_weights``, balance and infomax) and PCA weights
in COINr's convention (the PC1 loadings of ``prcomp(center = TRUE, scale = TRUE)``)."""

from __future__ import annotations

import numpy as np
import pytest

from nengji.index import DataError, MinMax, PCAWeights, SpecError, pipeline_from_spec
from nengji.index.optimise import optimise_weights
from nengji.index.weights import pca_weights


@pytest.fixture(scope="module")
def normalised(asem):
    return asem.with_values(MinMax().fit_transform(asem))


def index_correlations(data, level, weights):
    """Re-aggregate (arithmetic, COINr weights2corr) by hand and correlate with the index."""
    fw = data.framework.with_weights(weights)
    vals = {c: data.values[c] for c in fw.indicators}
    for lv in fw.levels[1:]:
        for agg in fw.codes_at(lv):
            kids = fw.children(agg)
            w = np.array([fw[k].weight for k in kids])
            M = np.column_stack([vals[k] for k in kids])
            ok = ~np.isnan(M)
            vals[agg] = np.where(ok, M, 0) @ w / (ok @ w)
    idx = vals[fw.roots[0]]
    return np.array([np.corrcoef(vals[c], idx)[0, 1] for c in fw.codes_at(level)])


def balance(r, t):
    return np.log(np.sum((t - r / r.sum()) ** 2) / len(r))


def test_balance_brings_correlations_to_the_targets(normalised):
    fw = normalised.framework
    codes = fw.codes_at(2)
    targets = np.ones(len(codes)) / len(codes)
    res = optimise_weights(normalised, 2, kind="balance", targets="equal")
    r0 = index_correlations(normalised, 2, dict.fromkeys(codes, 1.0))
    r1 = index_correlations(normalised, 2, res.weights.to_dict())
    np.testing.assert_allclose(res.correlations, r1 / r1.sum(), atol=1e-9)
    assert res.objective == pytest.approx(balance(r1, targets), abs=1e-9)
    assert balance(r1, targets) < balance(r0, targets) - 1.0  # far closer than equal weights
    assert res.weights.sum() == pytest.approx(1.0) and (res.weights > 0).all()


def test_balance_with_unequal_targets(normalised):
    codes = normalised.framework.codes_at(3)  # Conn, Sust
    res = optimise_weights(normalised, 3, targets={"Conn": 2, "Sust": 1})
    assert res.targets.tolist() == pytest.approx([2 / 3, 1 / 3])
    assert res.correlations["Conn"] > res.correlations["Sust"]
    r = index_correlations(normalised, 3, res.weights.to_dict())
    np.testing.assert_allclose(r / r.sum(), [2 / 3, 1 / 3], atol=1e-6)  # two codes: exact fit
    assert list(res.weights.index) == codes


def test_infomax_raises_the_sum_of_correlations(normalised):
    codes = normalised.framework.codes_at(2)
    res = optimise_weights(normalised, 2, kind="infomax")
    r0 = index_correlations(normalised, 2, dict.fromkeys(codes, 1.0))
    r1 = index_correlations(normalised, 2, res.weights.to_dict())
    assert r1.sum() >= r0.sum()
    assert res.objective == pytest.approx(-r1.sum(), abs=1e-9)


def test_optimised_weight_step_in_a_pipeline(asem):
    pipe = pipeline_from_spec(
        {
            "steps": [
                {"step": "normalise", "method": "minmax"},
                {"step": "weight", "method": "optimised", "level": 3, "targets": [1, 1]},
                {"step": "aggregate"},
            ]
        }
    )
    res = pipe.run(asem)
    step = pipe.named_steps["weight"]
    assert set(step.weights_) == {"Conn", "Sust"}
    assert res.framework["Conn"].weight == pytest.approx(step.weights_["Conn"])
    assert step.kind == "weight"
    spec = pipe.to_spec()
    assert spec["steps"][1]["objective"] == "balance"
    assert pipeline_from_spec(spec).to_spec() == spec


def test_optimise_errors(normalised):
    with pytest.raises(SpecError, match=r"kind must be 'balance' or 'infomax'"):
        optimise_weights(normalised, 2, kind="max")
    with pytest.raises(SpecError, match=r"level must be one of"):
        optimise_weights(normalised, 4)
    with pytest.raises(SpecError, match=r"3 targets given for the 8 codes"):
        optimise_weights(normalised, 2, targets=[1, 2, 3])
    with pytest.raises(SpecError, match=r"no target importance for 'Sust'"):
        optimise_weights(normalised, 3, targets={"Conn": 1})


def test_pca_weights_coinr_convention(normalised):
    """COINr get_PCA: weights = prcomp(na.omit(x), center, scale)$rotation[, 1] per group."""
    fw = normalised.framework
    squared = PCAWeights().fit(normalised).weights_
    negative = []
    for pillar in fw.codes_at(2):
        kids = fw.children(pillar)
        Z = normalised.values[kids].dropna().to_numpy()
        S = (Z - Z.mean(axis=0)) / Z.std(axis=0, ddof=1)
        _, _, Vt = np.linalg.svd(S, full_matrices=False)
        v = Vt[0] if Vt[0].sum() >= 0 else -Vt[0]
        np.testing.assert_allclose(pca_weights(Z, "loadings"), v, atol=1e-9)
        sq = np.array([squared[k] for k in kids])
        np.testing.assert_allclose(sq, v**2 / np.sum(v**2), atol=1e-12)
        negative += [k for k, x in zip(kids, v, strict=True) if x < 0]
    assert negative[0] == "TBTs" and len(negative) == 4  # COINr weights them negatively
    with pytest.raises(DataError, match=r"PCA loading of 'TBTs' is negative"):
        PCAWeights(convention="loadings").fit(normalised)
    with pytest.raises(SpecError, match=r"PCAWeights.convention"):
        PCAWeights(convention="abs").fit(normalised)
