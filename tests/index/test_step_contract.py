"""The step contract, checked for every registered step (scikit-learn's common tests).

A new method registered in ``REGISTRY`` must be listed in ``PARAMS`` below (or take no required
parameter) and then gets this whole battery for free.
"""

from __future__ import annotations

import copy
import json

import numpy as np
import pandas as pd
import pytest
from toy import FRAMEWORK, UNITS, toy_data

from nengji.index import REGISTRY, Aggregate, NotFittedError, Step, clone

#: Parameters a method needs on the toy data, and which data it needs ("panel"/"single").
PARAMS: dict[tuple[str, str | None], dict] = {
    ("impute", "group_mean"): {"group": "region"},
    ("impute", "group_median"): {"group": "region"},
    ("normalise", "dist_to_ref"): {"unit": UNITS[2], "pooled": False},
    ("normalise", "goalposts"): {"lower": 0, "upper": 100, "scale": 100},
    ("normalise", "base_year"): {"year": 2013},
    ("normalise", "dist_to_target"): {"targets": {"a": 12, "b": 80, "c": 1, "d": 6, "e": 5}},
    ("weight", "ahp"): {"codes": ["D1", "D2"], "matrix": [[1, 3], [1 / 3, 1]]},
    ("weight", "manual"): {"weights": {"D1": 1, "D2": 1}},
}
NEEDS_COMPLETE = {
    ("weight", "entropy"),
    ("weight", "critic"),
    ("weight", "pca"),
    ("weight", "optimised"),
}


def all_steps() -> list[tuple[str, Step]]:
    out: list[tuple[str, Step]] = []
    for kind, methods in REGISTRY.items():
        for method, cls in methods.items():
            out.append((f"{kind}:{method}", cls(**PARAMS.get((kind, method), {}))))
    out.append(("aggregate:arithmetic", Aggregate()))
    out.append(
        ("aggregate:per-level", Aggregate(method=["geometric", "arithmetic"], min_share=0.5))
    )
    out.append(("aggregate:genmean", Aggregate(method="genmean", p=2.0)))
    out.append(
        ("aggregate:copeland", Aggregate(method="copeland", methods={"Index": "mazziotta_pareto"}))
    )
    return out


STEPS = all_steps()
IDS = [name for name, _ in STEPS]


def data_for(step: Step):
    data = toy_data(panel=True, with_nan=True)
    if step.kind in {"weight", "aggregate"} or step.method in {"frac_max"}:
        data = toy_data(panel=True, with_nan=False)
    return data


@pytest.mark.parametrize(("name", "step"), STEPS, ids=IDS)
class TestStepContract:
    def test_fit_returns_self(self, name, step):
        step = clone(step)
        assert step.fit(data_for(step)) is step

    def test_input_unchanged(self, name, step):
        data = data_for(step)
        before = copy.deepcopy(data.values)
        clone(step).fit_transform(data)
        pd.testing.assert_frame_equal(data.values, before)

    def test_labels_preserved(self, name, step):
        data = data_for(step)
        out = clone(step).fit_transform(data)
        assert isinstance(out, pd.DataFrame)
        assert list(out.columns[: len(FRAMEWORK.indicators)]) == FRAMEWORK.indicators
        if step.kind != "screen":
            assert out.index.equals(data.values.index)
        else:
            assert set(out.index) <= set(data.values.index)

    def test_clone_and_json_round_trip(self, name, step):
        twin = clone(step)
        assert twin == step and twin is not step
        params = json.loads(json.dumps(step.get_params()))
        assert type(step)(**params) == step

    def test_deterministic(self, name, step):
        data = data_for(step)
        a = clone(step).fit_transform(data)
        b = clone(step).fit_transform(data)
        pd.testing.assert_frame_equal(a, b)

    def test_transform_before_fit_raises(self, name, step):
        with pytest.raises(NotFittedError, match=type(step).__name__):
            clone(step).transform(data_for(step))

    def test_fitted_state_has_trailing_underscore(self, name, step):
        step = clone(step)
        before = set(vars(step))
        step.fit(data_for(step))
        new = set(vars(step)) - before
        assert new and all(attr.endswith("_") for attr in new)

    def test_set_params(self, name, step):
        step = clone(step)
        params = step.get_params()
        assert step.set_params(**params) is step
        with pytest.raises(ValueError, match="no parameter"):
            step.set_params(no_such_parameter=1)

    def test_missing_values_policy(self, name, step):
        """NaN policy: imputers fill, everything else keeps missing as missing."""
        if step.kind in {"weight", "aggregate"}:
            pytest.skip("fitted on complete data")
        data = toy_data(panel=True, with_nan=True)
        out = clone(step).fit_transform(data)
        miss = data.values.isna()
        if step.kind == "impute":
            assert out.isna().to_numpy().sum() <= miss.to_numpy().sum()
        elif step.method == "base_year":  # a missing base value makes that unit's series missing
            assert out[FRAMEWORK.indicators].isna().to_numpy()[miss.to_numpy()].all()
        elif step.kind != "screen":
            assert np.array_equal(out[FRAMEWORK.indicators].isna().to_numpy(), miss.to_numpy())


@pytest.mark.parametrize(("name", "step"), STEPS, ids=IDS)
def test_parameter_constraints_are_checked_uniformly(name, step):
    """A wrong-typed parameter fails at fit with ``Class.param must be ..., got ...``."""
    from nengji.index import SpecError

    if not step.constraints:
        pytest.skip("no parameters")
    param, kind = next(iter(step.constraints.items()))
    bad = clone(step).set_params(**{param: None if kind == "required" else object()})
    with pytest.raises(SpecError, match=rf"{type(step).__name__}\.{param} must be"):
        bad.fit(data_for(step))
