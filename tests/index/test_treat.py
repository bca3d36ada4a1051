"""Outlier treatment: COINr's loop, reproduced step by step, and its report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from nengji.index import Framework, Winsorise, build_data, kurt, skew
from nengji.index.treat import winsorise_column


def test_skew_kurt_are_the_sample_adjusted_forms():
    x = np.random.default_rng(3).lognormal(size=40)
    assert skew(x) == pytest.approx(stats.skew(x, bias=False), rel=1e-12)
    assert kurt(x) == pytest.approx(stats.kurtosis(x, bias=False), rel=1e-12)


def reference_loop(x, winmax=5, st=2.0, kt=3.5):
    """A literal transcription of the rules in SEMANTICS.md §5 (independent of the engine)."""
    v = x[~np.isnan(x)].copy()

    def fails(v):
        return abs(skew(v)) >= st and kurt(v) >= kt

    imax = imin = 0
    nwin = 0
    if not fails(v):
        return x.copy(), "none", 0
    while fails(v) and nwin < winmax:
        if skew(v) >= 0:
            hit = v == v.max()
            v[hit] = v[~hit].max()
            imax = hit.sum()
        else:
            hit = v == v.min()
            v[hit] = v[~hit].min()
            imin = hit.sum()
        nwin = imax + imin
    out = x.copy()
    if fails(v):
        lo, hi = np.nanmin(x), np.nanmax(x)
        return np.log(x - lo + 0.01 * (hi - lo)), "log", nwin
    out[~np.isnan(x)] = v
    return out, "winsorise", nwin


@pytest.mark.parametrize("seed", range(12))
def test_matches_reference_loop(seed):
    rng = np.random.default_rng(seed)
    x = rng.lognormal(sigma=1 + seed / 4, size=40)
    if seed % 3 == 0:
        x = -x  # low-side outliers
    if seed % 4 == 0:
        x[[2, 7]] = np.nan
    if seed % 5 == 0:
        x[:3] = x.max()  # ties at the top move together
    exp, method, nwin = reference_loop(x)
    got = winsorise_column(x)
    assert got["method"] == method
    assert got["n_winsorised"] == (nwin if method == "winsorise" else 0)
    np.testing.assert_allclose(got["x"], exp, rtol=0, atol=1e-12)


def test_log_fallback_and_report():
    x = np.r_[np.arange(60.0) / 10, 10.0 ** np.arange(1, 8)]  # 7 outliers, winmax 5
    got = winsorise_column(x)
    assert got["method"] == "log" and got["n_winsorised"] == 0
    assert winsorise_column(x, max_points=6)["method"] == "winsorise"
    kept = winsorise_column(x, log_fallback=False)
    assert kept["method"] == "winsorise" and kept["n_winsorised"] == 5
    lo, hi = x.min(), x.max()
    np.testing.assert_allclose(got["x"], np.log(x - lo + 0.01 * (hi - lo)))
    assert abs(skew(got["x"])) < abs(skew(x))


def test_step_report_and_transform_reproduces_fit():
    fw = Framework.from_records(
        [{"code": "I"}, {"code": "a", "parent": "I"}, {"code": "b", "parent": "I"}]
    )
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "uCode": [f"u{i}" for i in range(50)],
            "a": np.r_[rng.normal(size=48), 15.0, 30.0],
            "b": rng.normal(size=50),
        }
    )
    data = build_data(frame, fw)
    step = Winsorise().fit(data)
    rep = step.report_.set_index("code")
    assert rep.loc["a", "method"] == "winsorise" and rep.loc["a", "n_high"] >= 1
    assert rep.loc["b", "method"] == "none"
    out = step.transform(data)
    np.testing.assert_allclose(out["a"], winsorise_column(frame["a"].to_numpy())["x"])
    assert out["a"].max() < 30.0


def test_step_equals_column_function_on_asem(asem):
    """The quick all-columns pre-check never changes a decision of the exact loop."""
    from nengji.index import Denominate

    data = asem.with_values(Denominate().fit_transform(asem))
    out = Winsorise().fit_transform(data)
    for code in data.indicators:
        exp = winsorise_column(data.values[code].to_numpy())["x"]
        np.testing.assert_array_equal(out[code].to_numpy(), exp)


def test_treated_points_flags_what_changed(asem):
    from nengji.index import Denominate

    data = asem.with_values(Denominate().fit_transform(asem))
    step = Winsorise().fit(data)
    flags = step.treated_points(data)
    out = step.transform(data)
    changed = (out != data.values) & data.values.notna()
    assert ((flags != "") == changed).all().all()
    rep = step.report_.set_index("code")
    assert (flags == "winhi").sum()["Flights"] == rep.loc["Flights", "n_high"]
