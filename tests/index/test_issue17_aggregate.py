# ruff: noqa: N803, N806  matrices keep their mathematical capitals
"""Issue 17: generalised mean, Copeland, custom aggregators and mixed methods within a level.

Expected values are computed here level by level in plain numpy/Python from COINr's R code
(``a_genmean``, ``outrankMatrix``, ``a_copeland``, ``Aggregate.coin``), on the ASEM data
normalised by min-max onto [1, 100] (positive, so every mean is defined).
"""

from __future__ import annotations

import numpy as np
import pytest

from nengji.index import Aggregate, DataError, MinMax, Pipeline, SpecError
from nengji.index.aggregators import GROUP_AGGREGATORS, outranking_matrix, register_aggregator


@pytest.fixture(scope="module")
def normalised(asem):
    return asem.with_values(MinMax(lower=1, upper=100).fit_transform(asem))


def expected(data, level_methods, node_method=None):
    """Aggregate level by level with per-unit loops (COINr's Aggregate.coin, by row or by df)."""
    fw = data.framework
    vals = {c: data.values[c].to_numpy(dtype=float) for c in fw.indicators}
    for level in sorted({fw[a].level for a in fw.aggregates}):
        for agg in fw.codes_at(level):
            kids = fw.children(agg)
            X = np.column_stack([vals[k] for k in kids])
            w = np.array([fw[k].weight for k in kids], dtype=float)
            f = (node_method or {}).get(agg, level_methods[level])
            vals[agg] = f(X, w)
    return vals


def by_row(f):
    def g(X, w):
        out = []
        for x in X:
            ok = ~np.isnan(x)
            out.append(f(x[ok], w[ok]) if ok.any() else np.nan)
        return np.array(out)

    return g


def genmean(p):
    return by_row(lambda x, w: (np.sum(w * x**p) / np.sum(w)) ** (1 / p))


amean = by_row(lambda x, w: np.sum(w * x) / np.sum(w))
gmean = by_row(lambda x, w: np.exp(np.sum(w * np.log(x)) / np.sum(w)))


def coinr_copeland(X, w):
    """outrankMatrix + a_copeland, loop for loop as in COINr's R code."""
    w = w / np.nansum(w)
    n = len(X)
    orm = np.zeros((n, n))
    for ii in range(n):
        for jj in range(n):
            if ii > jj:
                orm[ii, jj] = 1 - orm[jj, ii]
            elif ii < jj:
                with np.errstate(invalid="ignore"):
                    orm[ii, jj] = w[X[ii] > X[jj]].sum() + w[X[ii] == X[jj]].sum() / 2
    s = np.where(orm > 0.5, 1.0, np.where(orm < 0.5, -1.0, 0.0))
    np.fill_diagonal(s, 0)
    return s.sum(axis=1)


def check(got, exp, codes, tol=1e-9):
    for code in codes:
        np.testing.assert_allclose(got[code].to_numpy(), exp[code], rtol=0, atol=tol)


@pytest.mark.parametrize("p", [2.0, 0.5, -1.0, -3.0])
def test_genmean_matches_coinr_a_genmean(normalised, p):
    got = Aggregate(method="genmean", p=p).fit_transform(normalised)
    exp = expected(normalised, dict.fromkeys([2, 3, 4], genmean(p)))
    check(got, exp, normalised.framework.aggregates)


def test_genmean_p_minus_one_is_the_harmonic_mean(normalised):
    a = Aggregate(method="genmean", p=-1).fit_transform(normalised)
    b = Aggregate(method="harmonic").fit_transform(normalised)
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-12)


def test_genmean_needs_p_and_positive_values_for_negative_p(normalised, asem):
    with pytest.raises(SpecError, match=r"power p != 0"):
        Aggregate(method="genmean").fit(normalised)
    with pytest.raises(SpecError, match=r"power p != 0"):
        Aggregate(method="genmean", p=0).fit(normalised)
    zero = asem.with_values(MinMax(lower=0, upper=100).fit_transform(asem))
    with pytest.raises(DataError, match=r"genmean mean needs positive values: .* at uCode="):
        Aggregate(method="genmean", p=-1).fit_transform(zero)


def test_copeland_matches_coinr(normalised):
    got = Aggregate(method=["copeland", "arithmetic", "arithmetic"]).fit_transform(normalised)
    exp = expected(normalised, {2: coinr_copeland, 3: amean, 4: amean})
    check(got, exp, normalised.framework.aggregates)
    assert set(np.unique(got["P2P"])) <= set(range(-50, 51))


def test_outranking_matrix_and_dominance_pairs(normalised):
    fw = normalised.framework
    kids = fw.children("Physical")
    X = normalised.values[kids].to_numpy()
    res = outranking_matrix(X, np.ones(len(kids)))
    off = ~np.eye(len(X), dtype=bool)
    assert np.allclose(res.matrix[off] + res.matrix.T[off], 1.0)  # no gaps in Physical
    n_dom = int((res.matrix == 1).sum())
    assert res.n_dominant == n_dom > 0
    assert res.share_dominant == pytest.approx(n_dom / (51 * 50 / 2))


def test_mixed_methods_within_one_level(normalised):
    """COINr issue #35: Conn geometric, Sust arithmetic, both at level 3."""
    step = Aggregate(method="arithmetic", methods={"Conn": "geometric"})
    got = step.fit_transform(normalised)
    exp = expected(normalised, dict.fromkeys([2, 3, 4], amean), {"Conn": gmean})
    check(got, exp, normalised.framework.aggregates)
    plain = Aggregate().fit_transform(normalised)
    assert not np.allclose(got["Conn"], plain["Conn"])
    np.testing.assert_allclose(got["Sust"], plain["Sust"], rtol=1e-15)


def test_custom_aggregator_through_the_registry(normalised):
    def weighted_median(X, w):
        return np.nanmedian(X, axis=1)

    register_aggregator("test_median", weighted_median)
    try:
        spec = {"steps": [{"step": "aggregate", "method": ["test_median", "arithmetic", "min"]}]}
        from nengji.index import pipeline_from_spec

        with pytest.raises(SpecError, match=r"unknown aggregation method 'min'"):
            pipeline_from_spec(spec).run(normalised)
        got = Aggregate(method=["test_median", "arithmetic", "arithmetic"]).fit_transform(
            normalised
        )
        med = by_row(lambda x, w: np.median(x))
        exp = expected(normalised, {2: med, 3: amean, 4: amean})
        check(got, exp, normalised.framework.aggregates)
    finally:
        GROUP_AGGREGATORS.pop("test_median")


def test_builtin_means_cannot_be_replaced_and_bad_output_is_named():
    with pytest.raises(SpecError, match=r"built-in"):
        register_aggregator("arithmetic", lambda X, w: X[:, 0])
    register_aggregator("test_bad", lambda X, w: X)
    try:
        from nengji.index.aggregators import apply_group_aggregator

        with pytest.raises(SpecError, match=r"aggregator 'test_bad' returned shape"):
            apply_group_aggregator("test_bad", np.ones((3, 2)), np.ones(2))
    finally:
        GROUP_AGGREGATORS.pop("test_bad")


def test_methods_override_must_name_an_aggregate(normalised):
    with pytest.raises(SpecError, match=r"'LPI', which is not an aggregate"):
        Aggregate(methods={"LPI": "geometric"}).fit(normalised)


def test_copeland_in_a_panel_compares_units_within_each_year(asem_panel):
    pipe = Pipeline(
        [("normalise", MinMax(pooled=True)), ("aggregate", Aggregate(method="copeland"))]
    )
    res = pipe.run(asem_panel)
    norm = res.stages["normalised"]
    year = norm.xs(2020, level=1)
    kids = asem_panel.framework.children("P2P")
    exp = coinr_copeland(year[kids].to_numpy(), np.ones(len(kids)))
    got = res.stages["aggregated"]["P2P"].xs(2020, level=1)
    np.testing.assert_array_equal(got.to_numpy(), exp)


def test_yaml_shapes_of_the_issue(normalised):
    from nengji.index import pipeline_from_spec

    pipe = pipeline_from_spec({"steps": [{"step": "aggregate", "method": "genmean", "p": 2}]})
    got = pipe.run(normalised).scores
    exp = expected(normalised, dict.fromkeys([2, 3, 4], genmean(2.0)))
    np.testing.assert_allclose(got["Index"], exp["Index"], atol=1e-9)
    pipe = pipeline_from_spec({"steps": [{"step": "aggregate", "method": "copeland"}]})
    assert pipe.run(normalised).scores["Index"].notna().all()
