"""The stored results of an index run, read through one typed class.

`IndexRun.results` is JSON (so a run is stored whole and never recomputed silently); every app
that shows an index reads it as `StoredResults`, never by walking the JSON with string keys.
Years are ints here (JSON object keys are strings).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Series = dict[int, float | None]


def _series(raw: dict[str, Any] | None) -> Series:
    return {int(y): (None if v is None else float(v)) for y, v in (raw or {}).items()}


@dataclass(frozen=True)
class Contribution:
    """The exact decomposition of one year's change of the index."""

    year: int
    previous: int
    start: float
    end: float
    change: float
    indicators: dict[str, float | None]
    aggregates: dict[str, float | None]


@dataclass(frozen=True)
class StoredResults:
    root: str
    unit: str
    years: list[int]
    aggregates: list[str]  # the root first, then the other aggregates (dimensions …)
    indicators: list[str]
    scores: dict[str, Series]  # aggregate code → year → score
    stages: dict[str, dict[str, Series]]  # stage → indicator code → year → value
    weights: dict[str, float | None]
    effective_weights: dict[str, float | None]
    contributions: list[Contribution] = field(default_factory=list)
    decomposition_gap: float | None = None
    years_left_out: list[int] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoredResults:
        return cls(
            root=data["root"],
            unit=data.get("unit", ""),
            years=[int(y) for y in data.get("years", [])],
            aggregates=list(data.get("aggregates", [])),
            indicators=list(data.get("indicators", [])),
            scores={c: _series(v) for c, v in data.get("scores", {}).items()},
            stages={
                name: {c: _series(v) for c, v in frame.items()}
                for name, frame in data.get("stages", {}).items()
            },
            weights=dict(data.get("weights", {})),
            effective_weights=dict(data.get("effective_weights", {})),
            contributions=[
                Contribution(
                    year=int(c["year"]),
                    previous=int(c["previous"]),
                    start=float(c["start"]),
                    end=float(c["end"]),
                    change=float(c["change"]),
                    indicators=dict(c["indicators"]),
                    aggregates=dict(c["aggregates"]),
                )
                for c in data.get("contributions", [])
            ],
            decomposition_gap=data.get("decomposition_gap"),
            years_left_out=[int(y) for y in data.get("years_left_out", [])],
        )

    def score(self, code: str, year: int | None) -> float | None:
        if year is None:
            return None
        return self.scores.get(code, {}).get(year)

    def stage(self, name: str, code: str, year: int) -> float | None:
        return self.stages.get(name, {}).get(code, {}).get(year)

    @property
    def dimensions(self) -> list[str]:
        return [c for c in self.aggregates if c != self.root]

    @property
    def latest_year(self) -> int | None:
        return self.years[-1] if self.years else None

    @property
    def latest(self) -> float | None:
        return self.score(self.root, self.latest_year)

    @property
    def last_change(self) -> Contribution | None:
        return self.contributions[-1] if self.contributions else None

    def change_for(self, year: int) -> Contribution | None:
        return next((c for c in self.contributions if c.year == year), None)
