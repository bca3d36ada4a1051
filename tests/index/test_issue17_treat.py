"""Issue 17: Box-Cox, log_CT_plus and log_GII fallbacks, per-indicator specifications, forced
winsorisation, and treatment pooled across the years of a panel.

``coinr_treat`` below is COINr's ``Treat.numeric`` with ``f1 = "winsorise"``, written out line by
line from the R code (pass check, the winsorisation loop, ``f2`` on the original values when
``combine_treat = FALSE``); each test runs it on the ASEM data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nengji.index import DataError, SpecError, Winsorise


def sk_kt(x):
    x = x[~np.isnan(x)]
    n = len(x)
    d = x - x.mean()
    skew = np.sqrt(n) * np.sum(d**3) / np.sum(d**2) ** 1.5 * np.sqrt(n * (n - 1)) / (n - 2)
    r = n * np.sum(d**4) / np.sum(d**2) ** 2
    kurt = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return skew, kurt


def passes(x, st=2.0, kt=3.5):
    s, k = sk_kt(x)
    return abs(s) < st or k < kt


def f2(x, name, lam=1.0):
    mn, mx = np.nanmin(x), np.nanmax(x)
    a = 0.01 * (mx - mn)
    if name == "log_ct":
        return np.log(x - mn + a)
    if name == "log_ct_plus":
        return np.log(x - mn + a) if sk_kt(x)[0] > 0 else -np.log(mx + a - x)
    if name == "log_gii":  # the formula COINr's log_GII computes (and then does not return)
        return np.log((mx - 1) * (x - mn) / (mx - mn) + 1)
    y = x - mn + 1  # boxcox(makepos = TRUE)
    return np.log(y) if lam == 0 else (y**lam - 1) / lam


def coinr_treat(x, winmax=5, force=False, fallback="log_ct", lam=1.0):
    if passes(x) and not force:  # Treat.numeric: one that passes is never handed to f1
        return x.copy()
    w = x.copy()
    nwin, imax, imin = 0, [], []
    while (not passes(w) or force) and nwin < winmax:
        if sk_kt(w)[0] >= 0:
            imax = np.flatnonzero(w == np.nanmax(w))
            rest = np.delete(w, imax)
            w[imax] = np.nanmax(rest)
        else:
            imin = np.flatnonzero(w == np.nanmin(w))
            rest = np.delete(w, imin)
            w[imin] = np.nanmin(rest)
        nwin = len(imax) + len(imin)
    if passes(w):
        return w
    return f2(x, fallback, lam)


def treated(data, **kw):
    return Winsorise(**kw).fit_transform(data)


@pytest.mark.parametrize("fallback", ["log_ct", "log_ct_plus", "log_gii", "boxcox"])
def test_fallbacks_match_coinr(asem, fallback):
    lam = 0.5
    got = treated(asem, max_points=1, fallback=fallback, boxcox_lambda=lam)
    n_fallback = 0
    for code in asem.indicators:
        x = asem.values[code].to_numpy(dtype=float)
        exp = coinr_treat(x, winmax=1, fallback=fallback, lam=lam)
        np.testing.assert_allclose(got[code], exp, rtol=0, atol=1e-12, err_msg=code)
        n_fallback += not passes(x) and not np.allclose(exp, x, equal_nan=True)
    assert n_fallback >= 3  # with winmax = 1 several indicators need the fallback


def test_log_ct_plus_mirrors_negative_skew():
    from test_normalise import one

    x = np.array([10.0, 9.9, 9.8, 9.9, 10.0, 9.7, 0.0, 9.95, 10.0, 9.85])
    step = Winsorise(max_points=0, fallback="log_ct_plus").fit(one(x))
    assert step.report_["method"].iloc[0] == "log_ct_neg"
    a = 0.1
    np.testing.assert_allclose(step.transform(one(x))["x"], -np.log(10 + a - x), rtol=1e-15)


def test_boxcox_lambda_zero_is_the_shifted_log(asem):
    got = treated(asem, max_points=0, fallback="boxcox", boxcox_lambda=0)
    x = asem.values["Flights"].to_numpy()
    exp = coinr_treat(x, winmax=0, fallback="boxcox", lam=0)
    np.testing.assert_allclose(got["Flights"], exp, atol=1e-12)


def test_per_indicator_specs(asem):
    specs = {
        "Flights": "none",
        "Gas": {"max_points": 1, "fallback": "boxcox", "boxcox_lambda": 0.5},
        "LPI": {"force": True, "max_points": 2},
    }
    got = treated(asem, specs=specs)
    x = asem.values
    np.testing.assert_array_equal(got["Flights"], x["Flights"])
    exp_gas = coinr_treat(x["Gas"].to_numpy(), winmax=1, fallback="boxcox", lam=0.5)
    np.testing.assert_allclose(got["Gas"], exp_gas, atol=1e-12)
    assert passes(x["LPI"].to_numpy())  # LPI passes, yet is winsorised on request
    exp_lpi = coinr_treat(x["LPI"].to_numpy(), winmax=2, force=True)
    np.testing.assert_allclose(got["LPI"], exp_lpi, atol=1e-12)
    assert not np.allclose(got["LPI"], x["LPI"], equal_nan=True)
    for code in ("Bord", "Ship", "CO2"):  # the rest: defaults
        exp = coinr_treat(x[code].to_numpy())
        np.testing.assert_allclose(got[code], exp, atol=1e-12)


def test_spec_errors(asem):
    with pytest.raises(DataError, match=r"specs names 'NOPE'"):
        Winsorise(specs={"NOPE": "none"}).fit(asem)
    with pytest.raises(SpecError, match=r"specs\['LPI'\] has no setting 'winmax'"):
        Winsorise(specs={"LPI": {"winmax": 2}}).fit(asem)
    with pytest.raises(SpecError, match=r"fallback for 'LPI' must be one of"):
        Winsorise(specs={"LPI": {"fallback": "sqrt"}}).fit(asem)
    with pytest.raises(SpecError, match=r"specs\['Gas'\]\['max_points'\] must be a whole"):
        Winsorise(specs={"Gas": {"max_points": "3"}}).fit(asem)
    with pytest.raises(SpecError, match=r"specs\['Gas'\]\['force'\] must be true or false"):
        Winsorise(specs={"Gas": {"force": "yes"}}).fit(asem)
    with pytest.raises(SpecError, match=r"force for 'Gas' needs a max_points"):
        Winsorise(max_points=None, specs={"Gas": {"force": True}}).fit(asem)


def test_pooled_treatment_across_years(asem_panel):
    step = Winsorise(pooled=True).fit(asem_panel)
    got = step.transform(asem_panel)
    n_changed = 0
    for code in asem_panel.indicators:
        x = asem_panel.values[code].to_numpy(dtype=float)
        exp = coinr_treat(x)  # the five years stacked: one decision, one set of bounds
        np.testing.assert_allclose(got[code], exp, rtol=0, atol=1e-12, err_msg=code)
        n_changed += not np.allclose(exp, x, equal_nan=True)
    assert n_changed > 0
    assert "period" not in step.report_.columns and len(step.report_) == 49
    per_year = Winsorise().fit_transform(asem_panel)
    assert not np.allclose(per_year.to_numpy(), got.to_numpy(), equal_nan=True)


def test_treated_points_name_the_transformation(asem):
    step = Winsorise(max_points=1, fallback="boxcox", boxcox_lambda=0.5).fit(asem)
    flags = step.treated_points(asem)
    assert (flags == "boxcox").any().any()
    assert isinstance(flags, pd.DataFrame)
