"""The pipeline: named steps run in order, every intermediate data set kept.

>>> from nengji.index.normalise import MinMax
>>> from nengji.index.aggregate import Aggregate
>>> pipe = Pipeline([("normalise", MinMax(lower=0, upper=100)), ("aggregate", Aggregate())])
>>> pipe.set_params(normalise__lower=1).named_steps["normalise"].lower
1
"""

from __future__ import annotations

import copy
from typing import Any, Self

import pandas as pd

from nengji.index.base import Step, clone
from nengji.index.data import IndexData, as_index_data
from nengji.index.errors import SpecError
from nengji.index.results import IndexResults


class Pipeline:
    """A sequence of ``(name, step)`` pairs, fitted and applied in order.

    ``set_params(name__param=value)`` changes one parameter of one step and
    ``set_params(name=OtherStep(...))`` swaps a step: the two moves of a what-if or a
    sensitivity analysis. :meth:`run` returns an :class:`IndexResults` with every stage.
    """

    def __init__(self, steps: list[tuple[str, Step]]) -> None:
        self.steps = steps

    # -- parameters -------------------------------------------------------------------------
    @property
    def named_steps(self) -> dict[str, Step]:
        """Steps by name."""
        return dict(self.steps)

    def _check_names(self) -> None:
        names = [n for n, _ in self.steps]
        if len(set(names)) != len(names):
            raise SpecError(f"duplicate step names in pipeline: {names}")
        for name, step in self.steps:
            if "__" in name:
                raise SpecError(f"step name {name!r} must not contain '__'")
            if not isinstance(step, Step):
                raise SpecError(f"step {name!r} is not a Step: {step!r}")

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """``steps``, each step by name and (deep) each ``name__param``."""
        out: dict[str, Any] = {"steps": self.steps}
        if deep:
            for name, step in self.steps:
                out[name] = step
                for key, value in step.get_params().items():
                    out[f"{name}__{key}"] = value
        return out

    def set_params(self, **params: Any) -> Self:
        """Replace steps (``name=step``) or set step parameters (``name__param=value``)."""
        steps = dict(self.steps)
        for key, value in params.items():
            if key == "steps":
                self.steps = value
                steps = dict(self.steps)
            elif "__" in key:
                name, sub = key.split("__", 1)
                if name not in steps:
                    raise SpecError(f"pipeline has no step {name!r} (steps: {list(steps)})")
                steps[name].set_params(**{sub: value})
            elif key in steps:
                self.steps = [(n, value if n == key else s) for n, s in self.steps]
                steps = dict(self.steps)
            else:
                raise SpecError(f"pipeline has no step {key!r} (steps: {list(steps)})")
        return self

    def _clone(self) -> Pipeline:
        return Pipeline([(name, clone(step)) for name, step in self.steps])

    def __repr__(self) -> str:
        inner = ",\n  ".join(f"({n!r}, {s!r})" for n, s in self.steps)
        return f"Pipeline([\n  {inner}\n])"

    def to_spec(self) -> dict[str, Any]:
        """The pipeline as a plain dict (the YAML shape of issue 3); see :mod:`.spec`."""
        items = []
        for name, step in self.steps:
            item = step.to_spec()
            if name != step.kind:
                item["name"] = name
            items.append(item)
        return {"steps": copy.deepcopy(items)}

    # -- running ----------------------------------------------------------------------------
    def _walk(self, data: IndexData | pd.DataFrame, *, fit: bool) -> IndexResults:
        self._check_names()
        data = as_index_data(data)
        stages: dict[str, pd.DataFrame] = {"raw": data.values}
        reports: dict[str, Any] = {}
        for name, step in self.steps:
            if fit:
                step.fit(data)
            values = step.transform(data)
            framework = getattr(step, "framework_", None)
            data = data.with_values(values)
            if framework is not None:
                data = data.with_framework(framework)
            stages[step.stage] = values
            report = getattr(step, "report_", None)
            if report is not None:
                reports[name] = report
        return IndexResults(data=data, stages=stages, spec=self.to_spec(), reports=reports)

    def fit(self, data: IndexData | pd.DataFrame) -> Self:
        """Fit every step in turn (each on the output of the previous one)."""
        self._walk(data, fit=True)
        return self

    def transform(self, data: IndexData | pd.DataFrame) -> pd.DataFrame:
        """Apply the fitted steps; returns the last stage."""
        return self._walk(data, fit=False).stages[self.steps[-1][1].stage]

    def fit_transform(self, data: IndexData | pd.DataFrame) -> pd.DataFrame:
        """Fit and return the last stage."""
        return self._walk(data, fit=True).stages[self.steps[-1][1].stage]

    def run(self, data: IndexData | pd.DataFrame) -> IndexResults:
        """Fit on ``data`` and return every stage, scores and ranks."""
        return self._walk(data, fit=True)

    def apply(self, data: IndexData | pd.DataFrame) -> IndexResults:
        """Like :meth:`run` but with the already-fitted steps (e.g. a base year fitted before)."""
        return self._walk(data, fit=False)
