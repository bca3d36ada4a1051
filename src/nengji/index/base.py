"""The step contract shared by every index step (scikit-learn habits).

A step is a small object whose ``__init__`` takes keyword-only parameters and stores them
verbatim; all validation happens in :meth:`Step.fit`. ``fit(data)`` learns state (attributes with
a trailing underscore) and returns ``self``; ``transform(data)`` returns a *new* labelled
:class:`pandas.DataFrame` and never mutates its input. Keeping fit and transform apart is what lets
the Yangpu index be fitted on its base year (2013 = 100) and then applied to every later year.
"""

from __future__ import annotations

import copy
import inspect
import math
import numbers
from collections.abc import Mapping
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd

from nengji.index.data import IndexData, as_index_data
from nengji.index.errors import NotFittedError, SpecError


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool | np.bool_)


def _is_number(value: Any) -> bool:  # numpy scalars count (Monte Carlo draws are numpy)
    return isinstance(value, numbers.Real) and not _is_bool(value) and math.isfinite(float(value))


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not _is_bool(value)


#: What each parameter kind accepts, and how the error message describes it.
_KINDS: dict[str, tuple[Any, str]] = {
    "number": (_is_number, "a finite number"),
    "positive": (lambda v: _is_number(v) and v > 0, "a number > 0"),
    "share": (lambda v: _is_number(v) and 0 <= v <= 1, "a share between 0 and 1"),
    "bool": (_is_bool, "true or false"),
    "int>=0": (lambda v: _is_int(v) and v >= 0, "a whole number >= 0"),
    "int>=1": (lambda v: _is_int(v) and v >= 1, "a whole number >= 1"),
    "str+": (lambda v: isinstance(v, str) and v != "", "a non-empty text"),
    "mapping": (lambda v: isinstance(v, Mapping), "a mapping code -> value"),
    "number|mapping": (
        lambda v: _is_number(v) or isinstance(v, Mapping),
        "a number or a mapping code -> number",
    ),
    "str|list": (
        lambda v: (
            isinstance(v, str)
            or (isinstance(v, list | tuple) and all(isinstance(x, str) for x in v))
        ),
        "a name or a list of names",
    ),
    "list": (lambda v: isinstance(v, list | tuple), "a list"),
    "required": (lambda v: v is not None, "given"),
}


class Step:
    """Base class of all index steps.

    Subclasses declare ``kind`` (the pipeline stage family, e.g. ``"normalise"``), ``method``
    (the registry name, e.g. ``"minmax"``) and ``stage`` (the name of the data set they produce,
    e.g. ``"normalised"``), and ``constraints``: parameter name → kind (``"number"``,
    ``"positive"``, ``"share"``, ``"bool"``, ``"int>=0"``, ``"int>=1"``, ``"str+"``,
    ``"mapping"``, ``"number|mapping"``, ``"str|list"``, ``"list"``, ``"required"``; a trailing
    ``?`` also allows ``None``). They are checked in one place, at the start of ``fit``, so every
    step words its parameter errors the same way: "MinMax.lower must be a finite number, got 'a'".
    """

    kind: ClassVar[str] = ""
    method: ClassVar[str] = ""
    stage: ClassVar[str] = ""
    constraints: ClassVar[dict[str, str]] = {}

    # -- parameters -------------------------------------------------------------------------
    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind == inspect.Parameter.KEYWORD_ONLY
        ]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Return the constructor parameters, exactly as given."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> Self:
        """Set constructor parameters (unknown names raise :class:`SpecError`)."""
        valid = set(self._param_names())
        for key, value in params.items():
            if key not in valid:
                raise SpecError(
                    f"{type(self).__name__} has no parameter {key!r}; valid: {sorted(valid)}"
                )
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Step)
            and type(self) is type(other)
            and (self.get_params() == other.get_params())
        )

    __hash__ = None  # type: ignore[assignment]  # mutable parameters: not hashable

    def _check_constraints(self) -> None:
        for name, kind in self.constraints.items():
            value = getattr(self, name)
            optional = kind.endswith("?")
            if optional and value is None:
                continue
            test, words = _KINDS[kind.rstrip("?")]
            if not test(value):
                raise SpecError(
                    f"{type(self).__name__}.{name} must be {words}"
                    f"{' (or empty)' if optional else ''}, got {value!r}"
                )

    # -- fitting ----------------------------------------------------------------------------
    def fit(self, data: IndexData | pd.DataFrame) -> Self:
        """Learn what the step needs from ``data`` and return ``self``."""
        self._check_constraints()
        self._fit(as_index_data(data))
        self.fitted_ = True
        return self

    def transform(self, data: IndexData | pd.DataFrame) -> pd.DataFrame:
        """Return a new DataFrame of transformed values (the input is not changed)."""
        self._check_fitted()
        return self._transform(as_index_data(data))

    def fit_transform(self, data: IndexData | pd.DataFrame) -> pd.DataFrame:
        """``fit(data).transform(data)``."""
        return self.fit(data).transform(data)

    def _fit(self, data: IndexData) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _transform(self, data: IndexData) -> pd.DataFrame:  # pragma: no cover - overridden
        raise NotImplementedError

    def _check_fitted(self) -> None:
        if not getattr(self, "fitted_", False):
            raise NotFittedError(
                f"{type(self).__name__} is not fitted yet: call fit(data) before transform"
            )

    def to_spec(self) -> dict[str, Any]:
        """The step as one entry of a pipeline spec (``{"step": ..., "method": ..., ...}``)."""
        out: dict[str, Any] = {"step": self.kind}
        if self.method:
            out["method"] = self.method
        out.update(copy.deepcopy(self.get_params()))
        return out


def clone(step: Any) -> Any:
    """Return an unfitted copy of a step (or pipeline) with the same parameters."""
    if hasattr(step, "_clone"):
        return step._clone()
    return type(step)(**copy.deepcopy(step.get_params(deep=False)))
