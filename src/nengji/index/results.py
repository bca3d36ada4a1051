"""Results of a pipeline run: every stage, scores and ranks, drill-down, changes over time."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from nengji.index.data import IndexData
from nengji.index.errors import DataError
from nengji.index.framework import Framework


def rank_scores(scores: pd.DataFrame) -> pd.DataFrame:
    """Rank each column, 1 = highest, ties share the lowest rank, NaN stays NaN.

    This is COINr's ``rank(-x, ties.method = "min", na.last = "keep")``; panels are ranked
    within each period.

    >>> rank_scores(pd.DataFrame({"Index": [3.0, 5.0, 3.0, np.nan]}))["Index"].tolist()
    [2.0, 1.0, 2.0, nan]
    """
    if isinstance(scores.index, pd.MultiIndex):
        return scores.groupby(level=1, sort=False).rank(
            ascending=False, method="min", na_option="keep"
        )
    return scores.rank(ascending=False, method="min", na_option="keep")


def _safe_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot be read as spreadsheet formulas."""

    def escape(value: Any) -> Any:
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
            return "'" + value
        return value

    out = frame.copy()
    out.columns = [escape(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(escape)
    return out


def cagr(first: float, last: float, years: float) -> float:
    """Compound annual growth rate ``(last/first)^(1/years) − 1``.

    >>> round(cagr(100, 261.4, 2019 - 2013) * 100, 1)   # the Yangpu plan's published 17.4 %
    17.4
    """
    if years <= 0:
        raise ValueError(f"years must be > 0, got {years}")
    if first <= 0 or last < 0:
        raise ValueError(f"CAGR needs a positive start value, got first={first}, last={last}")
    return float((last / first) ** (1.0 / years) - 1.0)


@dataclass
class IndexResults:
    """Everything a run produced.

    Attributes
    ----------
    data : IndexData
        The final data (values = the last stage), with framework, groups and denominators.
    stages : dict
        ``"raw"``, then one entry per step: ``"denominated"``, ``"screened"``, ``"imputed"``,
        ``"treated"``, ``"normalised"``, ``"aggregated"`` (indicators + aggregates).
    spec : dict
        The pipeline spec that produced these results (``pipeline_from_spec(spec)`` rebuilds it).
    reports : dict
        Per step, what it did (e.g. the treatment report, screened-out units).
    """

    data: IndexData
    stages: dict[str, pd.DataFrame]
    spec: dict[str, Any]
    reports: dict[str, Any] = field(default_factory=dict)

    @property
    def framework(self) -> Framework:
        """The framework (with any learned weights)."""
        if self.data.framework is None:
            raise DataError("these results have no framework")
        return self.data.framework

    @property
    def aggregate_codes(self) -> list[str]:
        """Aggregate codes, highest level first (the index, then its dimensions, ...)."""
        fw = self.framework
        return sorted(fw.aggregates, key=lambda c: -fw[c].level)

    @property
    def scores(self) -> pd.DataFrame:
        """Scores of every aggregate (index first)."""
        if "aggregated" not in self.stages:
            raise DataError("the pipeline has no aggregate step: there are no scores")
        return self.stages["aggregated"][self.aggregate_codes]

    @property
    def ranks(self) -> pd.DataFrame:
        """Ranks of every aggregate (per period for panels)."""
        return rank_scores(self.scores)

    def ranks_within(self, group: str) -> pd.DataFrame:
        """Ranks of every aggregate within each group of a group column (and period).

        COINr ``get_results(use_group = ...)``: e.g. ``ranks_within("EurAsia_group")`` ranks
        European units among themselves. Units without a group label get NaN.
        """
        if group not in self.data.groups.columns:
            raise DataError(
                f"group column {group!r} not found (groups: {list(self.data.groups.columns)})"
            )
        scores = self.scores
        labels = self.data.groups[group].reindex(scores.index)
        keys: list[Any] = [labels.to_numpy()]
        if self.data.is_panel:
            keys.append(scores.index.get_level_values(1))
        ranked = scores.groupby(keys, sort=False, dropna=True).rank(
            ascending=False, method="min", na_option="keep"
        )
        return ranked.reindex(scores.index)

    def unit_summary(
        self, unit: str, *, levels: list[int] | None = None, period: Any = None
    ) -> pd.DataFrame:
        """One unit's score and rank on every code of ``levels`` (default: the aggregates),
        highest level first (COINr ``get_unit_summary``): the profile table of a unit page."""
        fw = self.framework
        frame = self.stages["aggregated"]
        if self.data.is_panel and period is None:
            raise DataError("this is a panel: give the period of the summary")
        levels = levels or fw.levels[1:]
        bad = [lv for lv in levels if lv not in fw.levels]
        if bad:
            raise DataError(f"level {bad[0]!r} is not a level of the framework {fw.levels}")
        codes = [c for lv in sorted(levels, reverse=True) for c in fw.codes_at(lv)]
        ranks = rank_scores(frame[codes])
        score = self._row(frame[codes], unit, period)
        rank = self._row(ranks, unit, period)
        return pd.DataFrame(
            {
                "level": [fw[c].level for c in codes],
                "name_zh": [fw[c].name_zh for c in codes],
                "name_en": [fw[c].name_en for c in codes],
                "score": score.to_numpy(dtype=float),
                "rank": rank.to_numpy(dtype=float),
            },
            index=pd.Index(codes, name="code"),
        )

    def to_excel(self, path: str | Path) -> Path:
        """Write every stage, scores, ranks, the framework and the step reports to one .xlsx.

        COINr ``export_to_excel``: one sheet per data set. Text cells that a spreadsheet would
        take for a formula (starting with ``=``, ``+``, ``-``, ``@``) are written with a leading
        apostrophe, so a unit name from an upload cannot run in the reader's Excel. Needs
        openpyxl (pandas' Excel writer), imported only here.
        """
        path = Path(path)
        sheets: dict[str, pd.DataFrame] = {}
        for stage, frame in self.stages.items():
            sheets[stage] = frame.reset_index()
        if "aggregated" in self.stages:
            sheets["scores"] = self.scores.reset_index()
            sheets["ranks"] = self.ranks.reset_index()
        sheets["framework"] = self.framework.to_frame()
        for name, report in self.reports.items():
            if isinstance(report, pd.DataFrame):
                sheets[f"report_{name}"] = report.reset_index()
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name, frame in sheets.items():
                _safe_cells(frame).to_excel(writer, sheet_name=name[:31], index=False)
        return path

    def indicator_ranks(self, stage: str = "normalised") -> pd.DataFrame:
        """Ranks of indicators at a stage (direction-adjusted once normalised)."""
        return rank_scores(self.stages[stage][self.framework.indicators])

    def to_frame(self, what: str = "scores") -> pd.DataFrame:
        """Scores (or ranks) as a flat table: unit column, ``Time`` for panels, aggregates."""
        table = self.scores if what == "scores" else self.ranks
        return table.reset_index()

    def _row(self, frame: pd.DataFrame, unit: str, period: Any) -> pd.Series:
        key = unit if period is None else (unit, period)
        try:
            return cast("pd.Series[Any]", frame.loc[key])
        except KeyError:
            raise DataError(
                f"no row for unit {unit!r}" + ("" if period is None else f" in period {period!r}")
            ) from None

    def drill(self, unit: str, code: str | None = None, period: Any = None) -> pd.DataFrame:
        """From an aggregate down to its children, with the value of each at every stage.

        Returns one row per child of ``code`` (default: the top of the tree) and one column per
        stage, plus the child's weight among its siblings and in the index. Indicators show raw
        → normalised; aggregates show their score. Drill again on a child code to go deeper.
        """
        fw = self.framework
        code = code or fw.roots[0]
        kids = fw.children(code) or [code]
        eff = fw.effective_weights()
        w = fw.weights()
        sib_total = w[kids].sum()
        out = pd.DataFrame(index=pd.Index(kids, name="code"))
        out["name_zh"] = [fw[k].name_zh for k in kids]
        out["name_en"] = [fw[k].name_en for k in kids]
        out["weight"] = (w[kids] / sib_total).to_numpy()
        out["effective_weight"] = eff[kids].to_numpy()
        for stage, frame in self.stages.items():
            present = [k for k in kids if k in frame.columns]
            if not present:
                continue
            try:
                row = self._row(frame, unit, period)
            except DataError:
                continue  # e.g. the unit was screened out at this stage
            out[stage] = [row.get(k, np.nan) for k in kids]
        return out

    def decompose(self, *, root: str | None = None, start: Any = None, end: Any = None) -> Any:
        """Exact contributions of indicators and dimensions to each change of the index.

        See :func:`nengji.index.decompose.decompose`.
        """
        from nengji.index.decompose import decompose  # decompose builds on this module

        return decompose(self, root=root, start=start, end=end)

    def change(self, code: str | None = None) -> pd.DataFrame:
        """Year-on-year change of one aggregate per unit: value, previous, change, percent."""
        if not self.data.is_panel:
            raise DataError("year-on-year change needs a panel")
        code = code or self.framework.roots[0]
        s = self.stages["aggregated"][code].unstack(level=1)
        s = s[sorted(s.columns)]
        rows = []
        cols = list(s.columns)
        for prev, cur in itertools.pairwise(cols):
            for unit in s.index:
                a, b = float(cast(float, s.at[unit, prev])), float(cast(float, s.at[unit, cur]))
                rows.append(
                    {
                        self.data.unit_col: unit,
                        self.data.time_col or "Time": cur,
                        "previous": a,
                        "value": b,
                        "change": b - a,
                        "change_pct": (b / a - 1.0) * 100 if a else np.nan,
                    }
                )
        return pd.DataFrame(rows)
