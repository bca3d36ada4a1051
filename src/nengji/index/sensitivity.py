# ruff: noqa: N803, N806  matrices keep their mathematical capitals (A, B, AB, ...)
"""Variance-based (Sobol') sensitivity analysis: which uncertain input drives the rank changes?

The design is Saltelli's: two base matrices ``A`` and ``B`` of ``N`` points each, and for every
input ``i`` a matrix ``AB_i`` equal to ``A`` with column ``i`` taken from ``B``; the model runs
``N·(k + 2)`` times. The estimators are those of Saltelli et al. (2010), *Comput. Phys. Commun.*
181, which COINr's ``SA_estimate`` also uses:

* first order ``S_i = mean(f(B)·(f(AB_i) − f(A))) / V``
* total order (Jansen) ``ST_i = mean((f(A) − f(AB_i))²) / (2V)``

with ``V`` the sample variance of ``f(A)`` and ``f(B)`` together. Unlike COINr (plain random
numbers) the base points come from a scrambled Sobol' sequence (:class:`scipy.stats.qmc.Sobol`),
which converges faster for the same number of runs. Confidence intervals are a bootstrap over the
``N`` base rows (rows of ``A``, ``B`` and every ``AB_i`` resampled together, ``V`` re-estimated).

For an index the output is COINr's: the mean absolute rank change of all units against the
nominal ranks, one number per run.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nengji.index._montecarlo import Engine, UncertainInput, parse_inputs
from nengji.index.data import IndexData
from nengji.index.errors import SpecError
from nengji.index.pipeline import Pipeline
from nengji.index.uncertainty import UncertaintyResults, _as_pipeline, rank_rows

__all__ = [
    "SensitivityResults",
    "run_sensitivity",
    "saltelli_sample",
    "sobol_analyse",
    "sobol_indices",
]


def saltelli_sample(n: int, k: int, *, seed: int | None = None) -> np.ndarray:
    """The ``N·(k + 2) × k`` design ``[A; B; AB_1; …; AB_k]`` on the unit cube.

    ``A`` and ``B`` are the two halves of a scrambled ``2k``-dimensional Sobol' sequence (a power
    of two ``n`` keeps its balance properties; other ``n`` work too).

    >>> saltelli_sample(4, 2, seed=0).shape
    (16, 2)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise SpecError(f"a Sobol' design needs n >= 2 base points, got {n!r}")
    if k < 1:
        raise SpecError("a Sobol' design needs at least one input")
    from scipy.stats import qmc  # only here: importing scipy.stats costs seconds

    sampler = qmc.Sobol(d=2 * k, scramble=True, seed=np.random.default_rng(seed))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "n is not a power of 2": fine here
        P = sampler.random(int(n))
    A, B = P[:, :k], P[:, k:]
    AB = np.repeat(A[None], k, axis=0)
    for i in range(k):
        AB[i, :, i] = B[:, i]
    return np.vstack([A, B, *AB])


def _estimate(yA: np.ndarray, yB: np.ndarray, yAB: np.ndarray) -> tuple[np.ndarray, ...]:
    """S1 and ST for stacks: yA, yB (..., N) and yAB (..., k, N)."""
    V = np.var(np.concatenate([yA, yB], axis=-1), axis=-1, ddof=1)[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        S1 = np.mean(yB[..., None, :] * (yAB - yA[..., None, :]), axis=-1) / V
        ST = np.mean((yA[..., None, :] - yAB) ** 2, axis=-1) / (2 * V)
    return S1, ST


def sobol_indices(
    y: np.ndarray,
    n: int,
    k: int,
    *,
    names: Sequence[str] | None = None,
    n_boot: int = 0,
    conf: float = 0.90,
    seed: int | None = None,
) -> pd.DataFrame:
    """First- and total-order Sobol' indices from outputs of a :func:`saltelli_sample` design.

    Parameters
    ----------
    y : array (N·(k + 2),)
        Model output for each design row, in design order.
    n, k : int
        Base points and inputs.
    names : list of str, optional
        Input names (default ``x1 … xk``).
    n_boot : int
        Bootstrap resamples for confidence intervals (0 = none).
    conf : float
        Confidence level of the intervals (default 90 %, COINr's 5–95 % quantiles).
    seed : int, optional
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        Index = input; columns ``S1, ST`` (+ ``S1_low, S1_high, ST_low, ST_high``).
    """
    y = np.asarray(y, dtype=float)
    if y.shape != (n * (k + 2),):
        raise SpecError(f"expected {n * (k + 2)} outputs for n={n}, k={k}, got shape {y.shape}")
    if np.isnan(y).any():
        raise SpecError(f"{int(np.isnan(y).sum())} outputs are NaN: Sobol' indices need them all")
    yA, yB, yAB = y[:n], y[n : 2 * n], y[2 * n :].reshape(k, n)
    S1, ST = _estimate(yA, yB, yAB)
    out = pd.DataFrame(
        {"S1": S1, "ST": ST},
        index=pd.Index(list(names) if names else [f"x{i + 1}" for i in range(k)], name="input"),
    )
    if n_boot:
        if not 0 < conf < 1:
            raise SpecError(f"conf must be in (0, 1), got {conf}")
        idx = np.random.default_rng(seed).integers(0, n, size=(int(n_boot), n))
        bS1, bST = _estimate(yA[idx], yB[idx], np.moveaxis(yAB[:, idx], 0, 1))
        lo, hi = (1 - conf) / 2, (1 + conf) / 2
        out["S1_low"], out["S1_high"] = np.nanquantile(bS1, [lo, hi], axis=0)
        out["ST_low"], out["ST_high"] = np.nanquantile(bST, [lo, hi], axis=0)
    return out


def sobol_analyse(
    func: Callable[[np.ndarray], np.ndarray],
    k: int,
    n: int,
    *,
    seed: int | None = None,
    n_boot: int = 0,
    names: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Sobol' indices of a vectorised ``func`` (rows of the unit cube → outputs).

    Scale the unit cube inside ``func`` to the input ranges. Used to check the estimators on
    analytic test functions (Ishigami).
    """
    X = saltelli_sample(n, k, seed=seed)
    return sobol_indices(func(X), n, k, names=names, n_boot=n_boot, seed=seed)


@dataclass
class SensitivityResults:
    """Sobol' indices of the mean absolute rank change, and the uncertainty of the base runs.

    Attributes
    ----------
    indices : DataFrame
        One row per uncertain input: ``S1, ST`` and their bootstrap intervals.
    uncertainty : UncertaintyResults
        Rank statistics over the ``A`` and ``B`` runs (as COINr: the first ``2N`` runs).
    output : numpy.ndarray
        Mean absolute rank change of each of the ``N·(k + 2)`` runs.
    variance : float
        Variance of that output.
    """

    indices: pd.DataFrame
    uncertainty: UncertaintyResults
    output: np.ndarray
    variance: float

    def to_frame(self) -> pd.DataFrame:
        """The indices with the input name as a column (the CLI's CSV)."""
        return self.indices.reset_index()


def run_sensitivity(
    data: IndexData,
    pipeline: Pipeline | Mapping[str, Any],
    inputs: Mapping[str, Any] | Sequence[Mapping[str, Any] | UncertainInput],
    *,
    n: int = 100,
    seed: int | None = None,
    n_boot: int = 100,
    conf: float = 0.90,
    target: str | None = None,
    period: Any = None,
) -> SensitivityResults:
    """Sobol' sensitivity analysis of the ranks of ``target`` to each uncertain input.

    Runs the pipeline ``n·(k + 2)`` times on a Saltelli design (``k`` inputs); the output of a run
    is the mean absolute change of the units' ranks against the nominal ranks (COINr's choice).
    Parameters are those of :func:`~nengji.index.uncertainty.run_uncertainty`, plus ``n`` (base
    points), ``n_boot`` and ``conf`` (bootstrap intervals).
    """
    engine = Engine(
        data, _as_pipeline(pipeline), parse_inputs(inputs), target=target, period=period
    )
    k = len(engine.inputs)
    if k < 2:
        raise SpecError("a sensitivity analysis needs at least two uncertain inputs")
    U = saltelli_sample(n, k, seed=seed)
    design = engine.choices_from_uniform(U)
    # weight noise: each base row of A and of B gets its own draw; AB_i rows follow A, except
    # in column i where they follow B, exactly like the uniforms
    rng = np.random.default_rng(None if seed is None else seed + 1)
    pools = engine.draw_noise(rng, 2 * n)
    for j, inp in enumerate(engine.inputs):
        if inp.fresh_noise:
            a, b = np.arange(n), n + np.arange(n)
            design[:, j] = np.concatenate([a, b, *[b if i == j else a for i in range(k)]])
    scores = engine.evaluate(design, pools)
    ranks = rank_rows(scores)
    nominal = rank_rows(engine.nominal_scores[None, :])[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        y = np.nanmean(np.abs(ranks - nominal), axis=1)
    names = [i.name for i in engine.inputs]
    if np.isnan(y).any():
        raise SpecError(
            f"{int(np.isnan(y).sum())} of {len(y)} runs failed, so Sobol' indices cannot be "
            f"estimated; remove the conflicting choices. {'; '.join(engine.failures)}"
        )
    indices = sobol_indices(y, n, k, names=names, n_boot=n_boot, conf=conf, seed=seed)
    ua = UncertaintyResults(
        target=engine.target,
        units=engine.units,
        nominal_scores=engine.nominal_scores,
        ranks=ranks[: 2 * n],
        design=pd.DataFrame(design[: 2 * n], columns=names),
        inputs=list(engine.inputs),
        failures=list(engine.failures),
    )
    return SensitivityResults(
        indices=indices,
        uncertainty=ua,
        output=y,
        variance=float(np.var(y[: 2 * n], ddof=1)),
    )
