# ruff: noqa: N803, N806  matrices keep their mathematical capitals (U, W, S, X, ...)
"""The Monte Carlo engine shared by uncertainty (UA) and Sobol' sensitivity (SA) analysis.

It evaluates a *design*: an integer matrix (runs × inputs) naming, for each run, which value of
each uncertain input to use. The trick that makes it fast:

1. inputs are bound to pipeline steps. Those acting before the aggregate step ("upstream":
   imputation, treatment, normalisation, ...) change the normalised matrix; those acting on the
   aggregate step (method, weights, weight noise) do not;
2. runs are grouped by their upstream choices. Each distinct upstream combination is computed
   once, and every pipeline *prefix* is cached too (five ``treat.max_points`` values × two
   normalisations run the treatment five times, not ten);
3. inside a group, runs are split by the aggregation choices and aggregated in one
   :func:`~nengji.index.aggregate.aggregate_array` call with a stack of weight vectors (the
   indicator terms are shared by all draws; chunked to bound memory).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nengji.index.aggregate import AggregationPlan, aggregate_array
from nengji.index.base import Step, clone
from nengji.index.data import IndexData
from nengji.index.errors import DataError, IndexInputError, SpecError
from nengji.index.framework import Framework
from nengji.index.pipeline import Pipeline
from nengji.index.spec import step_from_spec

#: Order in which step kinds run; used to insert a step the nominal pipeline does not have.
STEP_ORDER = ("denominate", "screen", "impute", "treat", "normalise", "weight", "aggregate")
#: Largest number of floats one stacked aggregation call may hold (draws × units × nodes).
CHUNK_FLOATS = 4_000_000


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain input: discrete ``values`` of a parameter, or weight ``noise`` at ``levels``.

    ``param`` is a pipeline address: ``"step.param"`` sets one parameter of a step
    (``treat.max_points``, ``aggregate.method``); ``"step"`` replaces the whole step with each
    value, a spec dict such as ``{"method": "zscore", "mean": 10, "sd": 2}`` (``None`` leaves the
    step out); ``"weights"`` with ``noise`` perturbs weights, with ``values`` picks a weight set.
    ``pool = m`` with ``noise``: draw ``m`` noisy weight sets once and let each run pick one of
    them, as COINr does (``get_noisy_weights(Nrep = m)`` as a discrete input); without it every
    run draws fresh noise.
    """

    name: str
    param: str
    values: tuple[Any, ...] = ()
    noise: float | None = None
    levels: tuple[int, ...] = ()
    pool: int | None = None

    @property
    def n_values(self) -> int:
        """Number of discrete values (the pool size for pooled weight noise, else 0 for noise)."""
        return self.pool or len(self.values)

    @property
    def fresh_noise(self) -> bool:
        """True for weight noise drawn afresh in every run."""
        return self.noise is not None and self.pool is None


def _one_input(item: Mapping[str, Any] | UncertainInput, i: int) -> UncertainInput:
    if isinstance(item, UncertainInput):
        return item
    if not isinstance(item, Mapping):
        raise SpecError(f"uncertain input {i + 1} is not a mapping: {item!r}")
    name = str(item.get("name") or item.get("param") or f"input{i + 1}")
    unknown = sorted(set(item) - {"name", "param", "values", "noise", "levels", "pool"})
    if unknown:
        raise SpecError(f"uncertain input {name!r}: unknown key {unknown[0]!r}")
    param = item.get("param")
    if not isinstance(param, str) or not param.strip():
        raise SpecError(f"uncertain input {name!r} needs a 'param' (e.g. 'treat.max_points')")
    has_values, has_noise = "values" in item, "noise" in item
    if has_values == has_noise:
        raise SpecError(f"uncertain input {name!r} needs either 'values' or 'noise' (not both)")
    if has_values:
        values = item["values"]
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
            raise SpecError(f"uncertain input {name!r}: 'values' must be a list, got {values!r}")
        if len(values) == 0:
            raise SpecError(f"uncertain input {name!r}: 'values' is empty")
        return UncertainInput(name=name, param=param, values=tuple(values))
    if param != "weights":
        raise SpecError(f"uncertain input {name!r}: 'noise' applies to param 'weights' only")
    noise = item["noise"]
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not 0 <= noise < 1:
        raise SpecError(
            f"uncertain input {name!r}: noise must be a number in [0, 1), got {noise!r}"
        )
    levels = item.get("levels")
    if (
        not isinstance(levels, Sequence)
        or isinstance(levels, str)
        or len(levels) == 0
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in levels)
    ):
        raise SpecError(f"uncertain input {name!r}: 'levels' must be a list of level numbers")
    pool = item.get("pool")
    if pool is not None and (isinstance(pool, bool) or not isinstance(pool, int) or pool < 1):
        raise SpecError(f"uncertain input {name!r}: pool must be a whole number >= 1, got {pool!r}")
    return UncertainInput(
        name=name, param=param, noise=float(noise), levels=tuple(levels), pool=pool
    )


def parse_inputs(
    spec: Mapping[str, Any] | Sequence[Mapping[str, Any] | UncertainInput],
) -> list[UncertainInput]:
    """Read ``{"inputs": [...]}`` (the ``U.yaml`` dict) or its list into checked inputs.

    >>> parse_inputs({"inputs": [{"name": "m", "param": "aggregate.method",
    ...                           "values": ["arithmetic", "geometric"]}]})[0].n_values
    2
    """
    items = spec.get("inputs") if isinstance(spec, Mapping) else spec
    if isinstance(spec, Mapping) and set(spec) - {"inputs"}:
        raise SpecError(f"uncertainty spec: unknown key {sorted(set(spec) - {'inputs'})[0]!r}")
    if not isinstance(items, Sequence) or isinstance(items, str) or len(items) == 0:
        raise SpecError("an uncertainty spec needs a non-empty 'inputs' list")
    inputs = [_one_input(item, i) for i, item in enumerate(items)]
    names = [i.name for i in inputs]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise SpecError(f"uncertain input name {sorted(dup)[0]!r} is used twice")
    return inputs


def _make_step(kind: str, value: Any, name: str) -> Step | None:
    """A step of ``kind`` from a spec dict (``None`` = leave the step out)."""
    if value is None or isinstance(value, Step):
        return value
    if not isinstance(value, Mapping):
        raise SpecError(
            f"uncertain input {name!r}: a value replacing the {kind!r} step must be a spec "
            f"dict such as {{method: ...}}, got {value!r}"
        )
    item = {"step": kind, **value}
    try:
        return step_from_spec(item)[1]
    except SpecError as exc:
        raise SpecError(f"uncertain input {name!r}: {exc}") from None


@dataclass(frozen=True)
class _Binding:
    """Where an input acts: the step position, and a parameter or the whole step."""

    col: int  # column in the design
    position: int  # step position in the (padded) pipeline
    key: str | None  # parameter name, or None = replace the whole step
    upstream: bool  # acts before the aggregate step


class Engine:
    """Evaluate designs of uncertain inputs on one pipeline and one period of data."""

    def __init__(
        self,
        data: IndexData,
        pipeline: Pipeline,
        inputs: Sequence[UncertainInput],
        *,
        target: str | None = None,
        period: Any = None,
    ) -> None:
        if not isinstance(data, IndexData):
            raise IndexInputError("uncertainty analysis needs IndexData (with a framework)")
        if data.is_panel and period is None:
            raise DataError(
                f"a panel needs period=... (the period whose ranks are analysed; the pipeline "
                f"still runs on the whole panel); periods: {data.periods()}"
            )
        if not data.is_panel and period is not None:
            raise DataError("period= applies to panel data only")
        if period is not None and str(period) not in {str(p) for p in data.periods()}:
            raise DataError(f"no period {period!r} in the data; periods: {data.periods()}")
        self.period = period
        self.data = data
        self.inputs = list(inputs)
        steps: list[tuple[str, Step | None]] = [(n, clone(s)) for n, s in pipeline.steps]
        kinds = [s.kind for _, s in steps if s is not None]
        if "aggregate" not in kinds:
            raise SpecError("uncertainty analysis needs a pipeline with an aggregate step")
        self.agg_pos = max(i for i, (_, s) in enumerate(steps) if s and s.kind == "aggregate")
        if self.agg_pos != len(steps) - 1:
            raise SpecError("the aggregate step must be the last step of the pipeline")
        self.steps = steps
        for inp in self.inputs:  # insert absent steps first, so positions are final
            head = inp.param.partition(".")[0]
            if head != "weights" and self._position(head) is None:
                self._insert(head, inp)
        self.bindings = [self._bind(j, inp) for j, inp in enumerate(self.inputs)]

        self._prefix: dict[tuple[str, ...], IndexData] = {}
        # the nominal run goes through the same prefix cache, so a design row whose upstream
        # steps equal the nominal ones (e.g. winmax = 5) reuses its work
        nominal_up = self._walk([clone(s) if s else None for _, s in self.steps[: self.agg_pos]])
        agg_step = clone(self.steps[self.agg_pos][1])
        aggregated = agg_step.fit(nominal_up).transform(nominal_up)
        framework = nominal_up.framework or data.framework
        if framework is None:
            raise DataError("uncertainty analysis needs a framework")
        self.framework: Framework = framework
        self.target = target or self.framework.roots[0]
        if self.target not in self.framework.aggregates:
            raise SpecError(
                f"target {self.target!r} is not an aggregate; choose from "
                f"{self.framework.aggregates}"
            )
        # the units of the nominal run (after any screening), as COINr reports them
        rows, self.units = self._period_rows(nominal_up)
        self.nominal_scores = aggregated[self.target].to_numpy(dtype=float)[rows]
        plan = AggregationPlan.from_framework(self.framework)
        self._node_levels = np.array([self.framework[c].level for c in plan.codes])
        self._check_levels()
        self.failures: list[str] = []

    def _period_rows(self, data: IndexData) -> tuple[np.ndarray, pd.Index]:
        """Row numbers of the analysed period and their unit codes (all rows for one period)."""
        if self.period is None:
            return np.arange(len(data.values)), data.values.index
        labels = np.array([str(p) for p in data.period_labels()])
        rows = np.flatnonzero(labels == str(self.period))
        return rows, pd.Index(data.unit_labels()[rows], name=data.unit_col)

    # -- binding inputs to steps -----------------------------------------------------------------
    def _position(self, step_name: str) -> int | None:
        return next((i for i, (n, _) in enumerate(self.steps) if n == step_name), None)

    def _bind(self, col: int, inp: UncertainInput) -> _Binding:
        head, _, key = inp.param.partition(".")
        if head == "weights" and key:
            raise SpecError(
                f"uncertain input {inp.name!r}: 'weights' has no sub-parameter {key!r}; use "
                "'weights' (noise or weight sets) or 'aggregate.weights'"
            )
        if head == "weights":
            agg = self.agg_pos
            if inp.noise is not None:
                return _Binding(col, agg, None, upstream=False)
            for v in inp.values:
                if not isinstance(v, Mapping):
                    raise SpecError(f"uncertain input {inp.name!r}: a weight set must be a dict")
            return _Binding(col, agg, "weights", upstream=False)
        pos = self._position(head)
        assert pos is not None  # absent steps were inserted in __init__
        step = self.steps[pos][1]
        if key:
            if step is None:
                raise SpecError(f"uncertain input {inp.name!r}: the pipeline has no {head!r} step")
            valid = step._param_names()
            if key not in valid:
                raise SpecError(
                    f"uncertain input {inp.name!r}: step {head!r} ({type(step).__name__}) has no "
                    f"parameter {key!r}; valid: {valid}"
                )
        else:
            kind = step.kind if step is not None else head
            for v in inp.values:  # build each alternative now: bad specs fail before any run
                _make_step(kind, v, inp.name)
        return _Binding(col, pos, key or None, upstream=pos != self.agg_pos)

    def _insert(self, head: str, inp: UncertainInput) -> int:
        names = [n for n, _ in self.steps]
        if head not in STEP_ORDER or head == "aggregate":
            raise SpecError(
                f"uncertain input {inp.name!r}: unknown parameter path {inp.param!r}; the "
                f"pipeline's steps are {names} (use 'step.param', 'step' or 'weights')"
            )
        if "." in inp.param:
            raise SpecError(f"uncertain input {inp.name!r}: the pipeline has no {head!r} step")
        rank = STEP_ORDER.index(head)
        pos = next(
            (
                i
                for i, (_, s) in enumerate(self.steps)
                if s is not None and STEP_ORDER.index(s.kind) > rank
            ),
            len(self.steps) - 1,
        )
        self.steps.insert(pos, (head, None))  # absent in the nominal pipeline
        self.agg_pos = len(self.steps) - 1
        return pos

    def _check_levels(self) -> None:
        known = sorted(set(self._node_levels.tolist()))
        for inp in self.inputs:
            bad = [lv for lv in inp.levels if lv not in known]
            if bad:
                raise SpecError(
                    f"uncertain input {inp.name!r}: level {bad[0]} is not a framework level {known}"
                )

    # -- sampling ------------------------------------------------------------------------------
    def choices_from_uniform(self, U: np.ndarray) -> np.ndarray:
        """Map uniforms in [0, 1) to value indices: ``floor(u·n)`` (R's ``cut`` into n bins)."""
        C = np.zeros(U.shape, dtype=np.int64)
        for j, inp in enumerate(self.inputs):
            if not inp.fresh_noise:
                C[:, j] = np.minimum((U[:, j] * inp.n_values).astype(np.int64), inp.n_values - 1)
        return C

    def draw_noise(self, rng: np.random.Generator, n: int) -> dict[int, np.ndarray]:
        """Weight factors per noise input: U[1 − noise, 1 + noise] at its levels, else 1.

        ``n`` rows for fresh noise (one per run); ``pool`` rows for a pooled input, whose runs
        pick a row by their design index like any discrete input.
        """
        pools: dict[int, np.ndarray] = {}
        for j, inp in enumerate(self.inputs):
            if inp.noise is not None:
                rows = inp.pool or n
                mask = np.isin(self._node_levels, inp.levels)
                F = np.ones((rows, len(mask)))
                F[:, mask] = rng.uniform(1 - inp.noise, 1 + inp.noise, size=(rows, int(mask.sum())))
                pools[j] = F
        return pools

    # -- evaluation ----------------------------------------------------------------------------
    def _steps_for(self, row: np.ndarray) -> list[tuple[str, Step | None]]:
        steps = [(n, None if s is None else clone(s)) for n, s in self.steps]
        for b in self.bindings:
            inp = self.inputs[b.col]
            if inp.noise is not None:
                continue
            value = inp.values[int(row[b.col])]
            name, step = steps[b.position]
            if b.key is None:
                kind = step.kind if step is not None else name
                steps[b.position] = (name, _make_step(kind, value, inp.name))
            else:
                assert step is not None  # checked in _bind
                step.set_params(**{b.key: value})
        return steps

    def _walk(self, steps: Sequence[Step | None]) -> IndexData:
        """Fit and apply ``steps`` in turn, caching every prefix by the steps' parameters."""
        data = self.data
        key: tuple[str, ...] = ()
        for step in steps:
            key = (*key, repr(step))  # a step's repr lists its class and every parameter
            hit = self._prefix.get(key)
            if hit is not None:
                data = hit
                continue
            if step is not None:
                step.fit(data)
                values = step.transform(data)
                framework = getattr(step, "framework_", None)
                data = data.with_values(values)
                if framework is not None:
                    data = data.with_framework(framework)
            self._prefix[key] = data
        return data

    def _upstream(self, row: np.ndarray) -> IndexData:
        """The data after the upstream steps of one design row (cached prefixes reused)."""
        return self._walk([s for _, s in self._steps_for(row)[: self.agg_pos]])

    def evaluate(self, design: np.ndarray, pools: Mapping[int, np.ndarray]) -> np.ndarray:
        """Scores of ``target`` (runs × units) for each row of ``design``; NaN if a run fails."""
        design = np.asarray(design, dtype=np.int64)
        out = np.full((design.shape[0], len(self.units)), np.nan)
        up_cols = [b.col for b in self.bindings if b.upstream]
        agg_cols = [
            b.col for b in self.bindings if not b.upstream and self.inputs[b.col].noise is None
        ]
        groups: dict[tuple[int, ...], list[int]] = defaultdict(list)
        for r, row in enumerate(design):
            groups[tuple(int(row[c]) for c in up_cols + agg_cols)].append(r)
        for runs in groups.values():
            rows = np.asarray(runs)
            try:
                self._evaluate_group(design, rows, pools, out)
            except DataError as exc:  # COINr: a failed regeneration gives NA, not a stop
                self.failures.append(f"{len(rows)} runs failed: {exc}")
        return out

    def _evaluate_group(
        self,
        design: np.ndarray,
        rows: np.ndarray,
        pools: Mapping[int, np.ndarray],
        out: np.ndarray,
    ) -> None:
        first = design[rows[0]]
        data = self._upstream(first)
        agg = self._steps_for(first)[self.agg_pos][1]
        assert agg is not None
        framework = data.framework or self.framework
        plan = AggregationPlan.from_framework(framework, getattr(agg, "weights", None))
        inds = list(plan.codes[: plan.n_indicators])
        # aggregation is row by row, so only the analysed period's rows need it
        sel, units = self._period_rows(data)
        X = data.values[inds].to_numpy(dtype=float)[sel]
        t = plan.codes.index(self.target)
        kw = {
            **agg.kernel_kwargs(),  # type: ignore[attr-defined]
            "row_label": lambda i: data.row_label(int(sel[i])),
        }
        # units screened out in this run stay NaN; units only this run kept are not reported
        pos = self.units.get_indexer(units)
        keep, cols = np.flatnonzero(pos >= 0), pos[pos >= 0]
        noise = [(j, pools[j]) for j, inp in enumerate(self.inputs) if inp.noise is not None]
        if not noise:
            S = aggregate_array(X, plan, **kw)[:, t]
            out[np.ix_(rows, cols)] = S[None, keep]
            return
        W = np.broadcast_to(plan.weights, (len(rows), len(plan.weights))).copy()
        for col, pool in noise:
            W *= pool[design[rows, col]]
        n_aggs = len(plan.aggregate_codes)
        chunk = max(1, CHUNK_FLOATS // max(1, X.shape[0] * (n_aggs + 8)))
        for start in range(0, len(rows), chunk):
            part = slice(start, start + chunk)
            S = aggregate_array(X, plan, weights=W[part], aggregates_only=True, **kw)
            S = S[:, :, t - plan.n_indicators]
            out[np.ix_(rows[part], cols)] = S[:, keep]
