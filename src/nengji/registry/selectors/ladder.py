"""The growth ladder: where an enterprise stands, its history, its pre-assessment against a
stage's rule, and the office's views (培育库, funnel, cohorts).

An enterprise's stage on a day is the highest-level stage whose designation kinds it holds
in force that day (``startup`` when none): stages follow from designations, so the history
is the designations' history and nothing is stored twice."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.plan.models import Plan
from nengji.registry.clauses import CODE, FAIL, UNKNOWN, RuleResult, rule_compile, rule_evaluate
from nengji.registry.errors import RegistryError
from nengji.registry.models import Designation, Enterprise, LadderStage, YearFigures
from nengji.registry.selectors.facts import (
    Dated,
    DesignationRow,
    designation_active_on,
    designations_by_enterprise,
    enterprise_facts,
    facts_from,
    figures_by_year,
    figures_window,
)


def ladder_stages(*, plan: Plan) -> list[LadderStage]:
    return list(LadderStage.objects.filter(plan=plan).order_by("order"))


def stage_get(*, plan: Plan, code: str) -> LadderStage:
    stage = LadderStage.objects.filter(plan=plan, code=code).first()
    if stage is None:
        codes = ", ".join(s.code for s in ladder_stages(plan=plan)) or "—"
        raise RegistryError.one(
            "stage",
            _("No stage “%(c)s” in this plan's ladder (%(codes)s).")
            % {"c": code[:40], "codes": codes},
        )
    return stage


class StageIndex:
    """The ladder's stages with their designation kinds as sets, so that the stage of
    thousands of enterprises on several days is computed without rebuilding them."""

    def __init__(self, stages: list[LadderStage]) -> None:
        self.stages = stages
        self.kinds = [frozenset(s.designations) for s in stages]
        #: designation kind → the highest level of a stage it marks
        self.kind_level: dict[str, int] = {}
        for stage, kinds in zip(stages, self.kinds, strict=True):
            for kind in kinds:
                self.kind_level[kind] = max(self.kind_level.get(kind, -1), stage.level)

    def on(self, designations: Iterable[Dated], day: dt.date) -> LadderStage | None:
        """The stage on `day`: the highest-level stage whose kinds are held in force (of the
        same level, the later in the ladder), the level-0 stage when none."""
        held = {d.kind for d in designations if designation_active_on(d, day)}
        best: LadderStage | None = None
        for stage, kinds in zip(self.stages, self.kinds, strict=True):
            reached = stage.level == 0 or not held.isdisjoint(kinds)
            if reached and (best is None or stage.level >= best.level):
                best = stage
        return best


def stage_on(
    stages: list[LadderStage], designations: Iterable[Dated], day: dt.date
) -> LadderStage | None:
    """The stage on `day` (the first level-0 stage when no designation marks a higher one)."""
    return StageIndex(stages).on(designations, day)


def enterprise_stage(
    enterprise: Enterprise, *, plan: Plan, on: dt.date | None = None
) -> LadderStage | None:
    return stage_on(
        ladder_stages(plan=plan), enterprise.designations.all(), on or timezone.localdate()
    )


@dataclass(frozen=True)
class StageSpan:
    stage: LadderStage
    start: dt.date
    end: dt.date | None  # None: still there


def stage_history(enterprise: Enterprise, *, plan: Plan) -> list[StageSpan]:
    """The enterprise's stages over time, from its designations' grants and ends."""
    stages = ladder_stages(plan=plan)
    designations = list(enterprise.designations.all())
    days = sorted(
        {d.granted_on for d in designations}
        | {d.ended_on for d in designations if d.ended_on}
        | {d.expires_on + dt.timedelta(days=1) for d in designations if d.expires_on}
    )
    today = timezone.localdate()
    days = [d for d in days if d <= today]
    start = enterprise.founded_on or (days[0] if days else today)
    spans: list[StageSpan] = []
    current = stage_on(stages, designations, start)
    since = start
    for day in days:
        if day < start:
            continue
        now = stage_on(stages, designations, day)
        if current is not None and now is not None and now.pk != current.pk:
            spans.append(StageSpan(current, since, day))
            since = day
        current = now
    if current is not None:
        spans.append(StageSpan(current, since, None))
    return spans


def ladder_assess(
    enterprise: Enterprise,
    *,
    stage: LadderStage,
    year: int | None = None,
    facts: dict[str, Any] | None = None,
) -> RuleResult:
    """Each clause of the stage's rule for the enterprise: pass / fail / unknown, with numbers,
    the gap to pass and the source."""
    return rule_evaluate(
        stage.rule, facts if facts is not None else enterprise_facts(enterprise, year=year)
    )


def next_stages(stages: list[LadderStage], current: LadderStage | None) -> list[LadderStage]:
    """The stages one level up (several when they are alternatives)."""
    level = current.level if current is not None else -1
    higher = [s.level for s in stages if s.level > level]
    if not higher:
        return []
    return [s for s in stages if s.level == min(higher)]


@dataclass(frozen=True)
class Candidate:
    enterprise: Enterprise
    result: RuleResult


@dataclass(frozen=True)
class Cohort:
    stage: LadderStage
    year: int
    within: int
    size: int
    moved_up: int
    median_years_to_move: float | None
    dropped: int


class LadderReading:
    """The district's designations read once (one query, rows as tuples) and every
    enterprise's stage computed from them on the days asked, each day once: what the ladder
    page, the funnel, the cohorts and the 培育库 share within one request. It reads the
    registry as it is when made; make a new one for a new request."""

    def __init__(self, *, plan: Plan) -> None:
        self.plan = plan
        self.index = StageIndex(ladder_stages(plan=plan))
        self.stages = self.index.stages
        district = plan.district
        self.ids: list[int] = list(
            Enterprise.objects.filter(district=district).order_by("pk").values_list("pk", flat=True)
        )
        self.designations = designations_by_enterprise(
            Designation.objects.filter(enterprise__district=district)
        )
        self._on: dict[dt.date, dict[int, LadderStage | None]] = {}

    def stages_on(self, day: dt.date) -> dict[int, LadderStage | None]:
        """enterprise id → its stage on `day`."""
        found = self._on.get(day)
        if found is None:
            none: list[DesignationRow] = []
            base = self.index.on(none, day)
            found = {
                pk: self.index.on(self.designations[pk], day) if pk in self.designations else base
                for pk in self.ids
            }
            self._on[day] = found
        return found

    def funnel(self, day: dt.date) -> list[tuple[LadderStage, int]]:
        counts = Counter(s.pk for s in self.stages_on(day).values() if s is not None)
        return [(s, counts.get(s.pk, 0)) for s in self.stages]

    def cohorts(self, stages: list[LadderStage], *, year: int, within: int) -> list[Cohort]:
        """`cohort` for several stages from one pass over the enterprises."""
        end = dt.date(year, 12, 31)
        horizon = min(dt.date(year + within, 12, 31), timezone.localdate())
        at_end, later_on = self.stages_on(end), self.stages_on(horizon)
        wanted = {s.pk for s in stages}
        size: Counter[int] = Counter()
        moved: Counter[int] = Counter()
        dropped: Counter[int] = Counter()
        times: dict[int, list[float]] = {s.pk: [] for s in stages}
        for pk in self.ids:
            s = at_end[pk]
            if s is None or s.pk not in wanted:
                continue
            size[s.pk] += 1
            later = later_on[pk]
            if later is not None and later.level > s.level:
                moved[s.pk] += 1
                ups = [
                    d.granted_on
                    for d in self.designations.get(pk, ())
                    if end < d.granted_on <= horizon
                    and self.index.kind_level.get(d.kind, -1) > s.level
                ]
                if ups:
                    times[s.pk].append((min(ups) - end).days / 365.25)
            elif later is not None and later.level < s.level:
                dropped[s.pk] += 1
        return [
            Cohort(
                stage=s,
                year=year,
                within=within,
                size=size[s.pk],
                moved_up=moved[s.pk],
                median_years_to_move=(
                    round(statistics.median(times[s.pk]), 1) if times[s.pk] else None
                ),
                dropped=dropped[s.pk],
            )
            for s in stages
        ]

    def pool(
        self, stage: LadderStage, *, year: int | None = None, limit: int = 500
    ) -> list[Candidate]:
        """培育库: enterprises below the stage whose rule fails on exactly one clause and has
        no unknown one, sorted by name. Facts are read for those below only, in two queries
        (the figures window, the enterprises' profiles). The rule is compiled once and
        decides status only (`rule_compile`: the same decisions, no words); the words and
        gaps are written for the candidates shown."""
        today = self.stages_on(timezone.localdate())
        below = {pk for pk, s in today.items() if s is None or s.level < stage.level}
        district = self.plan.district
        figures = figures_by_year(
            figures_window(YearFigures.objects.filter(enterprise__district=district), year)
        )
        now = timezone.localdate()
        compiled, fail, unknown = rule_compile(stage.rule), CODE[FAIL], CODE[UNKNOWN]
        out: list[Candidate] = []
        profiles = Enterprise.objects.filter(district=district).only(
            "pk", "uscc", "name_zh", "founded_on", "industry", "street", "is_demo"
        )
        for e in profiles.order_by("name_zh", "pk").iterator(chunk_size=2000):
            if e.pk not in below:
                continue
            facts = facts_from(
                e, figures.get(e.pk, {}), self.designations.get(e.pk, ()), year=year, today=now
            )
            codes = compiled.codes(facts)
            if codes.count(fail) != 1 or unknown in codes:
                continue
            result = rule_evaluate(stage.rule, facts)
            if result.one_away:
                out.append(Candidate(e, result))
                if len(out) >= limit:
                    break
        return out


def cultivation_pool(
    *, plan: Plan, stage: LadderStage, year: int | None = None, limit: int = 500
) -> list[Candidate]:
    """培育库: enterprises below the stage whose rule fails on exactly one clause (and has no
    unknown one) — one step from qualifying. Sorted by name."""
    return LadderReading(plan=plan).pool(stage, year=year, limit=limit)


def funnel(*, plan: Plan, on: dt.date | None = None) -> list[tuple[LadderStage, int]]:
    """How many of the district's enterprises are at each stage on a day."""
    return LadderReading(plan=plan).funnel(on or timezone.localdate())


def cohort(*, plan: Plan, stage: LadderStage, year: int, within: int = 3) -> Cohort:
    """Of the enterprises at `stage` at the end of `year`, how many stood higher within `within`
    years (by the end of year + within), the median years until they moved, and how many fell
    back below the stage (an expired or revoked designation not renewed)."""
    return LadderReading(plan=plan).cohorts([stage], year=year, within=within)[0]
