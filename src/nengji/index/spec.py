"""Pipeline specs: a plain dict (the YAML/JSON shape stored with every result) ↔ a Pipeline.

The shape is the one in issue 3::

    steps:
      - {step: impute, method: group_mean, group: EurAsia_group}
      - {step: treat, method: winsorise, skew: 2, kurtosis: 3.5, max_points: 5}
      - {step: normalise, method: minmax, lower: 0, upper: 100}
      - {step: aggregate, method: arithmetic}

Registries map method names to classes; they are only used here, when building from a stored
spec. In code, use the classes themselves.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from nengji.index.aggregate import Aggregate
from nengji.index.base import Step
from nengji.index.errors import SpecError
from nengji.index.impute import IMPUTERS
from nengji.index.normalise import NORMALISERS
from nengji.index.optimise import OptimisedWeightsStep
from nengji.index.pipeline import Pipeline
from nengji.index.prepare import Denominate, Screen
from nengji.index.treat import TREATERS
from nengji.index.weights import WEIGHTERS

#: step kind → (method name → class). Steps with one method use ``None`` as the name.
REGISTRY: dict[str, dict[str | None, type[Step]]] = {
    "denominate": {None: Denominate},
    "screen": {None: Screen},
    "impute": dict(IMPUTERS),  # type: ignore[dict-item]
    "treat": dict(TREATERS),  # type: ignore[dict-item]
    "normalise": dict(NORMALISERS),  # type: ignore[dict-item]
    "weight": {**WEIGHTERS, "optimised": OptimisedWeightsStep},  # type: ignore[dict-item]
}


def register(kind: str, method: str | None, cls: type[Step]) -> None:
    """Register a new method (e.g. a custom normaliser) so stored specs can name it."""
    REGISTRY.setdefault(kind, {})[method] = cls


def step_from_spec(item: Mapping[str, Any]) -> tuple[str, Step]:
    """Build one ``(name, step)`` from a spec entry; unknown steps/methods/params raise."""
    params = dict(copy.deepcopy(item))
    kind = params.pop("step", None)
    name = params.pop("name", kind)
    if kind == "aggregate":
        cls: type[Step] = Aggregate
    else:
        if kind not in REGISTRY:
            raise SpecError(
                f"unknown step {kind!r}; choose from {sorted([*REGISTRY, 'aggregate'])}"
            )
        methods = REGISTRY[kind]
        method = params.pop("method", None)
        if method not in methods:
            choices = sorted(m for m in methods if m is not None)
            if method is None:
                raise SpecError(f"step {kind!r} needs a method; choose from {choices}")
            raise SpecError(f"unknown {kind} method {method!r}; choose from {choices}")
        cls = methods[method]
    valid = cls._param_names()
    bad = [k for k in params if k not in valid]
    if bad:
        raise SpecError(f"{kind} step ({cls.__name__}) has no parameter {bad[0]!r}; valid: {valid}")
    return str(name), cls(**params)


def pipeline_from_spec(spec: Mapping[str, Any]) -> Pipeline:
    """Build a :class:`Pipeline` from ``{"steps": [...]}`` (as read from YAML or JSON)."""
    if "steps" not in spec or not isinstance(spec["steps"], list):
        raise SpecError("a pipeline spec needs a 'steps' list")
    steps: list[tuple[str, Step]] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(spec["steps"]):
        if not isinstance(item, Mapping):
            raise SpecError(f"pipeline step {i + 1} is not a mapping: {item!r}")
        name, step = step_from_spec(item)
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        steps.append((name, step))
    return Pipeline(steps)
