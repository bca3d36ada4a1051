# ruff: noqa: N806  matrices keep their mathematical capitals
"""Issue 17: row-wise imputation (with min-max pre-normalisation), imputation within aggregation
groups, and panel imputation "constant" and "linear-constant".

Expected values follow COINr's ``Impute.data.frame`` (``impute_by = "row"``, ``normalise_first``,
``group_level``) and ``impute_panel`` (``stats::approx(..., rule = 2)``), written out in numpy.
"""

from __future__ import annotations

import numpy as np
import pytest

from nengji.index import DataError, MeanImputer, MedianImputer, SpecError, pipeline_from_spec
from nengji.index.impute import ConstantImputer, LinearConstantImputer


def row_impute(data, stat, group_level=None, scale=True):
    X, d = data.matrix(), data.direction()
    fw = data.framework
    Y = X * d
    lo, hi = np.nanmin(Y, axis=0), np.nanmax(Y, axis=0)
    Z = (Y - lo) / (hi - lo) if scale else X.copy()
    codes = data.indicators
    if group_level is None:
        groups = {None: list(range(len(codes)))}
    else:
        groups = {}
        for j, c in enumerate(codes):
            owner = next(a for a in fw.ancestors(c) if fw[a].level == group_level)
            groups.setdefault(owner, []).append(j)
    out = X.copy()
    for i in range(len(X)):
        for cols in groups.values():
            z = Z[i, cols]
            if np.isnan(z).all():
                continue
            fill = stat(z[~np.isnan(z)])
            for j in cols:
                if np.isnan(X[i, j]):
                    out[i, j] = (fill * (hi[j] - lo[j]) + lo[j]) * d[j] if scale else fill
    return out


@pytest.mark.parametrize(("cls", "stat"), [(MeanImputer, np.mean), (MedianImputer, np.median)])
@pytest.mark.parametrize("group_level", [None, 2, 3])
def test_row_wise_matches_coinr(asem, cls, stat, group_level):
    got = cls(by="row", group_level=group_level).fit_transform(asem).to_numpy()
    exp = row_impute(asem, stat, group_level)
    np.testing.assert_allclose(got, exp, rtol=0, atol=1e-9, equal_nan=True)
    X = asem.matrix()
    assert np.array_equal(got[~np.isnan(X)], X[~np.isnan(X)])  # present values untouched
    assert np.isnan(got).sum() < np.isnan(X).sum()  # something was filled


def test_row_wise_without_normalising(asem):
    got = MeanImputer(by="row", group_level=2, normalise_first=False).fit_transform(asem)
    exp = row_impute(asem, np.mean, 2, scale=False)
    np.testing.assert_allclose(got.to_numpy(), exp, rtol=0, atol=1e-12, equal_nan=True)


def test_row_wise_per_year_in_a_panel(asem_panel):
    got = MeanImputer(by="row", group_level=2).fit_transform(asem_panel)
    one = asem_panel.values.xs(2021, level=1)
    year = asem_panel.with_values(one)
    object.__setattr__(year, "groups", year.groups.iloc[:0])  # one-period view for the helper
    from nengji.index import build_data

    frame = one.reset_index()
    single = build_data(frame, asem_panel.framework)
    exp = row_impute(single, np.mean, 2)
    np.testing.assert_allclose(
        got.xs(2021, level=1).to_numpy(), exp, rtol=0, atol=1e-9, equal_nan=True
    )


def test_row_wise_errors(asem):
    with pytest.raises(SpecError, match=r"MeanImputer.by must be 'column' or 'row'"):
        MeanImputer(by="diagonal").fit(asem)
    with pytest.raises(DataError, match=r"group_level 7 is not an aggregate level"):
        MeanImputer(by="row", group_level=7).fit(asem)


def approx(t, y, kind):
    """R's approx(t, y, xout = t, rule = 2, method = kind) for one series (t ascending)."""
    ok = ~np.isnan(y)
    tk, yk = t[ok], y[ok]
    out = []
    for x in t:
        if x <= tk[0]:
            out.append(yk[0])
        elif x >= tk[-1]:
            out.append(yk[-1])
        else:
            k = np.searchsorted(tk, x, side="right") - 1
            if kind == "constant":
                out.append(yk[k])
            else:
                t0, t1, y0, y1 = tk[k], tk[k + 1], yk[k], yk[k + 1]
                out.append(y0 + (y1 - y0) * (x - t0) / (t1 - t0))
    return np.array(out)


@pytest.mark.parametrize(
    ("step", "kind"), [(ConstantImputer(), "constant"), (LinearConstantImputer(), "linear")]
)
def test_panel_imputation_matches_impute_panel(asem_panel, step, kind):
    """ASEM_iData_p's own 315 gaps are whole series (nothing to interpolate), so gaps are cut
    into it at fixed places: inside series, at both ends, and all but one year."""
    data = gapped(asem_panel)
    got = step.fit_transform(data)
    vals = data.values
    n_filled = 0
    for unit, frame in vals.groupby(level=0):
        frame = frame.sort_index(level=1)
        t = frame.index.get_level_values(1).to_numpy(dtype=float)
        for code in frame.columns:
            y = frame[code].to_numpy(dtype=float)
            if np.isnan(y).all() or not np.isnan(y).any():
                continue
            exp = approx(t, y, kind)
            res = got.loc[frame.index, code].to_numpy()
            np.testing.assert_allclose(res, exp, rtol=0, atol=1e-12, err_msg=f"{unit} {code}")
            n_filled += int(np.isnan(y).sum())
    assert n_filled > 50  # the panel has 320 gaps: the test really imputes
    assert got.isna().to_numpy().sum() < vals.isna().to_numpy().sum()


def gapped(panel):
    vals = panel.values.copy()
    X = vals.to_numpy().copy()
    rows, cols = np.indices(X.shape)
    X[(rows * 7 + cols * 3) % 11 == 0] = np.nan  # scattered gaps, incl. first and last years
    X[vals.index.get_level_values(1) != 2020, 5] = np.nan  # one observation left: constant
    return panel.with_values(vals.__class__(X, index=vals.index, columns=vals.columns))


def test_panel_imputers_from_yaml(asem_panel):
    data = gapped(asem_panel)
    pipe = pipeline_from_spec({"steps": [{"step": "impute", "method": "linear_constant"}]})
    res = pipe.run(data)
    empty = data.values.isna().groupby(level=0).all().to_numpy().sum() * 5
    assert empty >= 315
    assert res.stages["imputed"].isna().to_numpy().sum() == empty  # only all-missing series


def test_panel_imputers_need_a_panel(asem):
    with pytest.raises(DataError, match=r"ConstantImputer needs a panel"):
        ConstantImputer().fit(asem)
