# ruff: noqa: N803, N806  matrices keep their mathematical capitals
"""TOPSIS and benefit-of-the-doubt (DEA) aggregation: issue 17's "neither has".

Checked against: a published TOPSIS worked example (the weighted normalised matrix of the
two-criterion example in B. Sennaroğlu's Decision Analysis lecture notes, following Yoon and
Hwang; closeness computed by hand below), hand-solved linear programmes for the benefit of the
doubt, and linear-programming duality: the benefit of the doubt as the OECD/JRC Handbook (2008)
describes it among its weighting methods, DEA with one constant input, is solved in its
multiplier form (the weights most favourable to the unit); its dual, the output-oriented
envelopment model (how far the unit's indicators could be expanded within the other units'
hull), is solved here independently and must give the reciprocal.
"""

from __future__ import annotations

import numpy as np
import pytest

from nengji.index import Aggregate, DataError, MinMax, Pipeline, SpecError, pipeline_from_spec
from nengji.index.aggregators import bod, bod_steps, topsis, topsis_steps

# --- TOPSIS ---------------------------------------------------------------------------------

LECTURE = np.array([[17.0, 12.0], [10.0, 9.0], [8.0, 6.0]])
LECTURE_W = np.array([0.714, 0.286])


def test_topsis_matches_the_published_weighted_matrix():
    steps = topsis_steps(LECTURE, LECTURE_W)
    published = [[0.5703, 0.2124], [0.3355, 0.1593], [0.2684, 0.1062]]
    np.testing.assert_allclose(steps.weighted, published, atol=5e-5)
    np.testing.assert_allclose(steps.ideal, [0.5703, 0.2124], atol=5e-5)
    np.testing.assert_allclose(steps.anti_ideal, [0.2684, 0.1062], atol=5e-5)


def test_topsis_closeness_by_hand():
    """Unit 1 is the ideal (C = 1), unit 3 the anti-ideal (C = 0). Unit 2, by hand:
    d+ = √((0.5703 − 0.3355)² + (0.2124 − 0.1593)²) = 0.24073,
    d− = √((0.3355 − 0.2684)² + (0.1593 − 0.1062)²) = 0.08557, C = 0.08557 / 0.32630 = 0.2622."""
    c = topsis(LECTURE, LECTURE_W)
    assert c[0] == 1.0 and c[2] == 0.0
    assert c[1] == pytest.approx(0.2622, abs=1e-4)
    s = topsis_steps(LECTURE, LECTURE_W)
    assert s.d_plus[1] == pytest.approx(0.24073, abs=1e-4)
    assert s.d_minus[1] == pytest.approx(0.08557, abs=1e-4)


def test_topsis_midpoint_and_invariances():
    X = np.array([[1.0, 1.0], [0.5, 0.5], [0.0, 0.0]])
    assert topsis(X, np.ones(2)).tolist() == [1.0, 0.5, 0.0]
    rng = np.random.default_rng(3)
    Y = rng.uniform(1, 10, size=(7, 4))
    w = np.array([1.0, 2.0, 1.0, 3.0])
    base = topsis(Y, w)
    np.testing.assert_allclose(topsis(Y * [2.0, 0.1, 5.0, 1.0], w), base, rtol=1e-12)  # units
    np.testing.assert_allclose(topsis(Y, 4 * w), base, rtol=1e-12)  # weights are relative


def test_topsis_missing_values_use_what_the_unit_has():
    X = np.array([[1.0, np.nan], [0.0, 1.0], [0.5, 0.5], [np.nan, np.nan]])
    s = topsis_steps(X, np.ones(2))
    assert s.closeness[0] == 1.0  # at the ideal on the only child it has
    assert np.isnan(s.closeness[3])
    assert np.isnan(topsis(np.ones((3, 2)), np.ones(2))).all()  # all equal: no ideal to be near


# --- benefit of the doubt ---------------------------------------------------------------------

#: A = (1, 0), B = (0, 1), C = (0.5, 0.25), D = (0.8, 0.8)
HAND = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.25], [0.8, 0.8]])


def test_bod_unrestricted_by_hand():
    """C: max 0.5 v1 + 0.25 v2 s.t. v1 <= 1 (A), v2 <= 1 (B), 0.8 (v1 + v2) <= 1 (D): the vertex
    (1, 0.25) gives 0.5625. A, B and D are on the frontier."""
    res = bod_steps(HAND, np.ones(2))
    np.testing.assert_allclose(res.scores, [1.0, 1.0, 0.5625, 1.0], atol=1e-9)
    np.testing.assert_allclose(res.weights[2], [1.0, 0.25], atol=1e-9)


def test_bod_pie_shares_by_hand():
    """[0.5, 2] with ω = (½, ½): each child's share of the unit's score is within [¼, 1].
    A and B have a zero child, so only a score of 0 meets the lower share. C: the share of
    child 2 >= ¼ means v2 >= (2/3) v1; with v1 + v2 <= 1.25 (D) the best is v = (0.75, 0.5),
    score 0.5. [1, 1] fixes each share at ½: v_j = ½ S / y_Cj, and D's constraint gives
    S (½·0.8/0.5 + ½·0.8/0.25) = 2.4 S <= 1, S = 1/2.4."""
    res = bod_steps(HAND, np.ones(2), pie_shares=[0.5, 2])
    np.testing.assert_allclose(res.scores, [0.0, 0.0, 0.5, 1.0], atol=1e-9)
    np.testing.assert_allclose(res.weights[2], [0.75, 0.5], atol=1e-9)
    fixed = bod(HAND, np.ones(2), pie_shares=[1, 1])
    np.testing.assert_allclose(fixed, [0.0, 0.0, 1 / 2.4, 1.0], atol=1e-9)


def envelopment_scores(Y: np.ndarray) -> np.ndarray:
    """Output-oriented envelopment model with a unit input, solved independently:
    max φ s.t. Σ_k λ_k y_k >= φ y_i, Σ_k λ_k <= 1, λ >= 0; the composite indicator is 1/φ."""
    from scipy.optimize import linprog

    n, m = Y.shape
    out = []
    for i in range(n):
        c = np.zeros(n + 1)
        c[0] = -1.0  # variables: φ, λ_1..λ_n
        A = np.zeros((m + 1, n + 1))
        A[:m, 0] = Y[i]
        A[:m, 1:] = -Y.T  # φ y_ij − Σ λ_k y_kj <= 0
        A[m, 1:] = 1.0  # Σ λ <= 1
        b = np.zeros(m + 1)
        b[m] = 1.0
        res = linprog(c, A_ub=A, b_ub=b, bounds=(0, None), method="highs")
        out.append(1.0 / res.x[0])
    return np.array(out)


@pytest.fixture(scope="module")
def normalised(asem):
    return asem.with_values(MinMax(lower=1, upper=100).fit_transform(asem))


@pytest.fixture(scope="module")
def small(normalised):
    """The first 20 units (one linear programme per unit and group: keep the suite quick)."""
    return normalised.with_values(normalised.values.iloc[:20])


def test_bod_equals_the_output_oriented_envelopment_model(normalised):
    fw = normalised.framework
    for group in ("Physical", "Instit", "Social"):
        Y = normalised.values[fw.children(group)].to_numpy(dtype=float)
        Y = Y[~np.isnan(Y).any(axis=1)]
        np.testing.assert_allclose(bod(Y, np.ones(Y.shape[1])), envelopment_scores(Y), rtol=1e-7)


def test_bod_properties(normalised):
    fw = normalised.framework
    Y = normalised.values[fw.children("ConEcFin")].to_numpy(dtype=float)
    w = np.array([fw[c].weight for c in fw.children("ConEcFin")], dtype=float)
    free = bod(Y, w)
    # the nominal weights are one feasible choice: never below the nominal mean relative to the best
    mean = np.nansum(Y * w, axis=1) / w.sum()
    assert (free >= mean / np.nanmax(mean) - 1e-9).all()
    assert free.max() == pytest.approx(1.0) and (free <= 1.0).all()
    # restrictions only take freedom away; every column's unit of measurement is irrelevant
    loose, tight = bod(Y, w, pie_shares=[0.5, 2]), bod(Y, w, pie_shares=[0.9, 1.1])
    assert (tight <= loose + 1e-9).all() and (loose <= free + 1e-9).all()
    scaled = Y * np.linspace(0.5, 3, Y.shape[1])
    np.testing.assert_allclose(bod(scaled, w, pie_shares=[0.5, 2]), loose, atol=1e-8)


def test_bod_weights_respect_the_pie_shares(normalised):
    fw = normalised.framework
    kids = fw.children("P2P")
    Y = normalised.values[kids].to_numpy(dtype=float)
    res = bod_steps(Y, np.ones(len(kids)), pie_shares=[0.5, 2])
    ok = ~np.isnan(Y)
    for i in range(len(Y)):
        if res.scores[i] <= 0:
            continue
        shares = res.weights[i, ok[i]] * Y[i, ok[i]] / res.scores[i]
        omega = 1.0 / ok[i].sum()
        assert (shares >= 0.5 * omega - 1e-7).all() and (shares <= 2 * omega + 1e-7).all()


def test_bod_refuses_negative_values_and_bad_restrictions():
    with pytest.raises(DataError, match="values >= 0"):
        bod(np.array([[1.0, -0.5], [1.0, 1.0]]), np.ones(2))
    for bad in ([1.2, 2], [0.5, 0.9], [0.5], "0.5,2", [0.5, float("inf")], [True, 2]):
        with pytest.raises(SpecError, match="pie_shares"):
            bod(HAND, np.ones(2), pie_shares=bad)


def test_bod_missing_values_and_empty_units():
    X = np.array([[1.0, np.nan], [0.5, 1.0], [np.nan, np.nan]])
    res = bod_steps(X, np.ones(2))
    assert res.scores[0] == pytest.approx(1.0) and np.isnan(res.weights[0, 1])
    assert np.isnan(res.scores[2])


# --- in the pipeline, specs, panels -----------------------------------------------------------


def test_topsis_and_bod_in_a_pipeline_per_group(small):
    fw = small.framework
    pipe = Pipeline([("aggregate", Aggregate(method=["bod", "topsis", "arithmetic"]))])
    res = pipe.run(small)
    agg = res.stages["aggregated"]
    for group in fw.codes_at(2):
        kids = fw.children(group)
        w = np.array([fw[k].weight for k in kids], dtype=float)
        np.testing.assert_allclose(
            agg[group].to_numpy(), bod(agg[kids].to_numpy(dtype=float), w), atol=1e-9
        )
    for group in fw.codes_at(3):
        kids = fw.children(group)
        w = np.array([fw[k].weight for k in kids], dtype=float)
        np.testing.assert_allclose(
            agg[group].to_numpy(), topsis(agg[kids].to_numpy(dtype=float), w), rtol=1e-12
        )


def test_spec_round_trip_with_pie_shares(small):
    spec = {
        "steps": [
            {"step": "aggregate", "method": ["bod", "arithmetic", "arithmetic"],
             "methods": {"Conn": "topsis"}, "pie_shares": [0.5, 2]},
        ]
    }  # fmt: skip
    pipe = pipeline_from_spec(spec)
    assert pipe.to_spec()["steps"][0]["pie_shares"] == [0.5, 2]
    again = pipeline_from_spec(pipe.to_spec())
    a, b = pipe.run(small).scores, again.run(small).scores
    np.testing.assert_array_equal(a.to_numpy(), b.to_numpy())
    # an unchanged aggregate step's spec has no pie_shares key (stored hashes stay the same)
    assert "pie_shares" not in Aggregate().to_spec()


def test_bad_pie_shares_are_refused_and_other_methods_ignore_them(small):
    plain = Pipeline([("aggregate", Aggregate(method="topsis"))]).run(small).scores
    with_shares = Aggregate(method="topsis", pie_shares=[0.5, 2])
    got = Pipeline([("aggregate", with_shares)]).run(small).scores
    np.testing.assert_array_equal(got.to_numpy(), plain.to_numpy())
    normalised = small
    with pytest.raises(SpecError, match="pie_shares"):
        Aggregate(method="bod", pie_shares=[2, 3]).fit(normalised)
    with pytest.raises(SpecError, match=r"Aggregate\.pie_shares must be a list"):
        Aggregate(method="bod", pie_shares=0.5).fit(normalised)


def test_bod_frontier_is_per_period_in_a_panel(asem_panel):
    values = MinMax(lower=1, upper=100).fit_transform(asem_panel).fillna(50.0)
    years = asem_panel.periods()[:2]
    data = asem_panel.with_values(values[values.index.get_level_values(1).isin(years)])
    fw = data.framework
    step = Aggregate(method="arithmetic", methods={"Physical": "bod"})
    res = Pipeline([("aggregate", step)]).run(data).stages["aggregated"]
    kids = fw.children("Physical")
    assert data.is_panel and len(years) == 2
    for year in years:
        rows = res.index.get_level_values(1) == year
        Y = res.loc[rows, kids].to_numpy(dtype=float)
        np.testing.assert_allclose(res.loc[rows, "Physical"], bod(Y, np.ones(len(kids))), atol=1e-9)


def test_uncertainty_analysis_can_swap_in_topsis_and_bod(asem):
    """UA over the aggregation method with the restriction set: every run is computed, and the
    nominal run (the first value) matches a plain pipeline run."""
    from nengji.index import run_uncertainty

    data = asem.with_values(asem.values.iloc[::4])  # 13 units, every indicator varies
    pipe = Pipeline(
        [
            ("normalise", MinMax(lower=1, upper=100)),
            ("aggregate", Aggregate(method="arithmetic", pie_shares=[0.5, 2])),
        ]
    )
    inputs = [
        {"name": "agg", "param": "aggregate.method", "values": ["arithmetic", "topsis", "bod"]}
    ]
    res = run_uncertainty(data, pipe, inputs, n_runs=9, seed=1, keep_scores=True)
    assert not res.failures and not np.isnan(res.ranks).any()
    assert res.scores is not None
    for k, method in enumerate(["arithmetic", "topsis", "bod"]):
        runs = np.flatnonzero(res.design["agg"].to_numpy() == k)
        assert len(runs), method
        direct = pipe.set_params(aggregate__method=method).run(data).scores["Index"]
        np.testing.assert_allclose(res.scores[runs[0]], direct.reindex(res.units), rtol=1e-9)
