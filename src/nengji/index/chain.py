# ruff: noqa: N806  C and D_k are the chained and direct series of the formulas
"""Chain-linking and rebasing an aggregated index across periods (annual overlap).

Why: a district's framework changes. An indicator is added in 2022, another is dropped, the
weights are revised. Computed directly, the 2022 index (new framework) and the 2021 index (old
framework) are not comparable: part of the change is the change of method. Statistical offices
solve the same problem for price indices with the *annual overlap* (Laspeyres-type chain): in
the link period both methods are computed, and the new method's movements are attached to the
old series there.

Definitions. Periods are sorted (years, or sortable labels). Segment ``k`` (a pipeline and a
framework) is in force from its ``start`` period ``s_k`` until the period before ``s_{k+1}``.
Its *overlap* (link) period ``o_k`` is the period just before ``s_k``, so segment ``k`` is
computed on the periods ``o_k … s_{k+1} − 1``. Write ``D_k(u, t)`` for the score of unit ``u`` in
period ``t`` computed directly with segment ``k``, and ``C(u, t)`` for the chained index.

* Segment 1: ``C(u, t) = D_1(u, t)``.
* ``link="ratio"`` (multiplicative, the Laspeyres-type chain):
  ``C(u, t) = C(u, o_k) · D_k(u, t) / D_k(u, o_k)`` for ``t`` in segment ``k``.
  The chained index grows, from period to period, exactly as the method in force says it grows;
  it needs ``D_k(u, o_k) > 0`` (a ratio scale: base-year indices, goalposts, fractions of a
  target), and a zero or negative link value is refused naming unit, code and period.
* ``link="difference"`` (additive): ``C(u, t) = C(u, o_k) + D_k(u, t) − D_k(u, o_k)``.
  For interval scales (min-max, z-scores) where a ratio of scores means nothing.

Identity: if every segment's method gives the same scores as segment 1 in the periods they
share (the framework did not change, and the normalisation does not depend on which periods it
is fitted on, e.g. per-period min-max or fixed goalposts), every link factor is 1 (every shift
0) and the chained index *is* the direct index. ``fit_on="panel"`` fits each segment's pipeline
on the whole panel and keeps its periods, so a pooled normalisation is fitted alike in every
segment; ``fit_on="window"`` (the default) fits on the segment's own periods (overlap included),
so a later year cannot move an earlier published figure.

A unit without a score in a link period (or new in a later segment) has no chained value from
there on: its ``factor`` is NaN in :attr:`ChainResult.links`. Nothing is imputed silently.

:func:`rebase` then expresses any series relative to a reference period (``2013 = 100``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from nengji.index.data import IndexData
from nengji.index.errors import DataError, SpecError
from nengji.index.framework import Framework
from nengji.index.pipeline import Pipeline

LINKS = ("ratio", "difference")
FIT_ON = ("window", "panel")


@dataclass(frozen=True)
class Segment:
    """One method in force: from period ``start`` on, ``pipeline`` on ``framework``.

    ``framework`` defaults to the data's own; its indicators must be columns of the data.
    """

    start: Any
    pipeline: Pipeline
    framework: Framework | None = None


@dataclass(frozen=True)
class ChainResult:
    """Chained scores, each segment's direct scores and the link table.

    ``scores`` and ``direct`` are indexed by ``(unit, period)`` with one column per chained
    code; ``direct`` holds, for each period, the score of the method in force then (what an
    unlinked series would publish). ``links`` has one row per unit, link period and code:
    ``segment`` (its start), ``overlap`` (the link period), ``old`` (chained value there),
    ``new`` (the new method's value there), ``factor`` (ratio) or ``shift`` (difference).
    """

    scores: pd.DataFrame
    direct: pd.DataFrame
    links: pd.DataFrame
    link: str
    spec: dict[str, Any] = field(default_factory=dict)

    def rebase(self, period: Any, *, to: float = 100.0) -> pd.DataFrame:
        """The chained scores relative to ``period`` (see :func:`rebase`), as the link says."""
        return rebase(self.scores, period, to=to, how=self.link)


def _periods(data: IndexData) -> list[Any]:
    if not data.is_panel:
        raise DataError("chain-linking needs a panel (a Time column with several periods)")
    return sorted(data.periods())


def _segment_data(data: IndexData, framework: Framework, periods: list[Any] | None) -> IndexData:
    missing = [c for c in framework.indicators if c not in data.values.columns]
    if missing:
        raise DataError(f"indicator {missing[0]!r} of a segment's framework has no column")
    values = data.values[framework.indicators]
    if periods is not None:
        keep = values.index.get_level_values(1).isin(periods)
        values = values[keep]
    return data.with_values(values).with_framework(framework)


def chain_link(
    data: IndexData,
    segments: Sequence[Segment],
    *,
    codes: Sequence[str] | None = None,
    link: str = "ratio",
    fit_on: str = "window",
) -> ChainResult:
    """Chain-link the aggregated index of ``segments`` over the periods of the panel ``data``.

    Parameters
    ----------
    data : IndexData
        A panel holding every indicator any segment uses (missing where not collected).
    segments : sequence of Segment
        In order of ``start``; the first is in force from the first period whatever its start.
        Each later start must be a period of the panel with a period before it (the overlap).
    codes : sequence of str, optional
        Aggregates to chain (default: every aggregate that all segments compute, index first).
    link : ``"ratio"`` or ``"difference"``
        Multiplicative (Laspeyres-type) or additive linking; see the module docstring.
    fit_on : ``"window"`` or ``"panel"``
        Fit each segment's pipeline on its own periods (overlap included) or on the whole panel.

    Returns
    -------
    ChainResult
    """
    if link not in LINKS:
        raise SpecError(f"chain_link: link must be one of {list(LINKS)}, got {link!r}")
    if fit_on not in FIT_ON:
        raise SpecError(f"chain_link: fit_on must be one of {list(FIT_ON)}, got {fit_on!r}")
    if not segments:
        raise SpecError("chain_link needs at least one segment")
    periods = _periods(data)
    starts = [s.start for s in segments]
    for s in starts[1:]:
        if s not in periods:
            raise SpecError(f"chain_link: segment start {s!r} is not a period of the data")
        if periods.index(s) == 0:
            raise SpecError(f"chain_link: segment start {s!r} has no earlier period to link on")
    pos = [0] + [periods.index(s) for s in starts[1:]]
    if any(b <= a for a, b in itertools.pairwise(pos)):
        raise SpecError(f"chain_link: segment starts {starts!r} must be increasing periods")

    # every segment's direct scores on its periods (overlap included)
    directs: list[pd.DataFrame] = []
    for k, seg in enumerate(segments):
        fw = seg.framework if seg.framework is not None else data.framework
        if fw is None:
            raise DataError("chain_link: a segment needs a framework (the data have none)")
        first = pos[k] - 1 if k else 0
        end = pos[k + 1] if k + 1 < len(segments) else len(periods)
        window = periods[first:end]
        sub = _segment_data(data, fw, window if fit_on == "window" else None)
        scores = seg.pipeline._clone().run(sub).scores
        keep = scores.index.get_level_values(1).isin(window)
        directs.append(scores[keep])

    if codes is None:
        common = [c for c in directs[-1].columns if all(c in d.columns for d in directs)]
        if not common:
            raise SpecError("chain_link: the segments share no aggregate code; name codes=")
        codes = common
    codes = list(codes)
    for k, d in enumerate(directs):
        absent = [c for c in codes if c not in d.columns]
        if absent:
            raise SpecError(
                f"chain_link: segment starting {starts[k]!r} does not compute {absent[0]!r}"
            )

    unit_name = str(data.values.index.names[0])
    time_name = data.values.index.names[1]
    units = list(pd.unique(data.values.index.get_level_values(0)))
    full_index = pd.MultiIndex.from_product([units, periods], names=[unit_name, time_name])

    def wide(frame: pd.DataFrame, code: str) -> pd.DataFrame:
        return frame[code].unstack(level=1).reindex(index=units, columns=periods)

    chained: dict[str, pd.DataFrame] = {}
    direct: dict[str, pd.DataFrame] = {}
    link_rows: list[dict[str, Any]] = []
    for code in codes:
        C = wide(directs[0], code)
        Dall = C.copy()
        for k in range(1, len(segments)):
            Dk = wide(directs[k], code)
            o, span = (
                periods[pos[k] - 1],
                periods[pos[k] : (pos[k + 1] if k + 1 < len(segments) else None)],
            )
            old, new = C[o], Dk[o]
            if link == "ratio":
                bad = new.notna() & ~(new > 0)
                if bad.any():
                    u = bad[bad].index[0]
                    raise DataError(
                        f"ratio chain-linking needs a positive link value: {code!r} of unit "
                        f"{u!r} is {float(new[u])!r} in {o!r} under the segment starting "
                        f"{starts[k]!r}; use link='difference' for an interval scale"
                    )
                factor = old / new
                for t in span:
                    C[t] = Dk[t] * factor
            else:
                factor = old - new
                for t in span:
                    C[t] = Dk[t] + factor
            for t in span:
                Dall[t] = Dk[t]
            for u in units:
                link_rows.append(
                    {
                        unit_name: u,
                        "code": code,
                        "segment": starts[k],
                        "overlap": o,
                        "old": float(old[u]),
                        "new": float(new[u]),
                        ("factor" if link == "ratio" else "shift"): float(factor[u]),
                    }
                )
        chained[code] = C
        direct[code] = Dall

    def long(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
        # wide tables are units × periods, so a row-major ravel is the (unit, period) order
        out = pd.DataFrame(
            {c: t.to_numpy(dtype=float).ravel() for c, t in tables.items()}, index=full_index
        )
        return out.dropna(how="all")

    spec = {
        "link": link,
        "fit_on": fit_on,
        "codes": codes,
        "segments": [
            {
                "start": s.start if k else periods[0],
                "pipeline": s.pipeline.to_spec(),
                "indicators": (s.framework or data.framework).indicators,  # type: ignore[union-attr]
            }
            for k, s in enumerate(segments)
        ],
    }
    links = pd.DataFrame(link_rows)
    return ChainResult(scores=long(chained), direct=long(direct), links=links, link=link, spec=spec)


def rebase(
    scores: pd.DataFrame, period: Any, *, to: float = 100.0, how: str = "ratio"
) -> pd.DataFrame:
    """Express each unit's series relative to its value in ``period``.

    ``how="ratio"``: ``to · x_t / x_period`` (``2013 = 100``; the reference value must be
    positive). ``how="difference"``: ``x_t − x_period + to`` (an interval scale moved so the
    reference period reads ``to``). ``scores`` is indexed by ``(unit, period)``; a unit with no
    value in ``period`` gets NaN throughout.

    >>> idx = pd.MultiIndex.from_tuples([("A", 2020), ("A", 2021)], names=["uCode", "Time"])
    >>> rebase(pd.DataFrame({"I": [50.0, 60.0]}, index=idx), 2020)["I"].tolist()
    [100.0, 120.0]
    """
    if how not in LINKS:
        raise SpecError(f"rebase: how must be one of {list(LINKS)}, got {how!r}")
    if not isinstance(scores.index, pd.MultiIndex):
        raise DataError("rebase needs scores indexed by (unit, period)")
    times = scores.index.get_level_values(1)
    if period not in set(times):
        raise DataError(f"rebase: {period!r} is not a period of the scores")
    ref = scores[times == period].droplevel(1)
    ref = ref.reindex(scores.index.get_level_values(0))
    ref.index = scores.index
    if how == "ratio":
        bad = ref.notna() & ~(ref > 0)
        if bad.to_numpy().any():
            r, c = np.argwhere(bad.to_numpy())[0]
            raise DataError(
                f"rebase: {scores.columns[c]!r} of unit {scores.index[r][0]!r} is "
                f"{float(ref.iat[r, c])!r} in {period!r}; a ratio needs a positive reference "
                "(use how='difference')"
            )
        return pd.DataFrame(scores / ref * to)
    return pd.DataFrame(scores - ref + to)
