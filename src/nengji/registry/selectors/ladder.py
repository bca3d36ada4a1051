"""The growth ladder: where an enterprise stands, its history, its pre-assessment against a
stage's rule, and the office's views (培育库, funnel, cohorts).

An enterprise's stage on a day is the highest-level stage whose designation kinds it holds
in force that day (``startup`` when none): stages follow from designations, so the history
is the designations' history and nothing is stored twice."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from nengji.plan.models import Plan
from nengji.registry.clauses import RuleResult, rule_evaluate
from nengji.registry.errors import RegistryError
from nengji.registry.models import Designation, Enterprise, LadderStage
from nengji.registry.selectors.facts import (
    designation_active_on,
    enterprise_facts,
    enterprises_facts,
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


def stage_on(
    stages: list[LadderStage], designations: Iterable[Designation], day: dt.date
) -> LadderStage | None:
    """The stage on `day` (the first level-0 stage when no designation marks a higher one)."""
    held = {d.kind for d in designations if designation_active_on(d, day)}
    best: LadderStage | None = None
    for stage in stages:
        reached = stage.level == 0 or bool(held & set(stage.designations))
        if reached and (best is None or stage.level >= best.level):
            best = stage
    return best


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


def cultivation_pool(
    *, plan: Plan, stage: LadderStage, year: int | None = None, limit: int = 500
) -> list[Candidate]:
    """培育库: enterprises below the stage whose rule fails on exactly one clause (and has no
    unknown one) — one step from qualifying. Sorted by name."""
    stages = ladder_stages(plan=plan)
    day = timezone.localdate()
    enterprises = list(
        Enterprise.objects.filter(district=plan.district).prefetch_related("designations")
    )
    below = [
        e
        for e in enterprises
        if (s := stage_on(stages, e.designations.all(), day)) is None or s.level < stage.level
    ]
    facts = enterprises_facts(below, year=year)
    out = []
    for e in below:
        result = rule_evaluate(stage.rule, facts[e.pk])
        if result.one_away:
            out.append(Candidate(e, result))
            if len(out) >= limit:
                break
    return out


def funnel(*, plan: Plan, on: dt.date | None = None) -> list[tuple[LadderStage, int]]:
    """How many of the district's enterprises are at each stage on a day (one count query a
    stage)."""
    from nengji.registry.selectors.browse import stage_q

    stages = ladder_stages(plan=plan)
    day = on or timezone.localdate()
    qs = Enterprise.objects.filter(district=plan.district)
    return [(s, qs.filter(stage_q(s, stages, day)).count()) for s in stages]


@dataclass(frozen=True)
class Cohort:
    stage: LadderStage
    year: int
    within: int
    size: int
    moved_up: int
    median_years_to_move: float | None
    dropped: int


def cohort(*, plan: Plan, stage: LadderStage, year: int, within: int = 3) -> Cohort:
    """Of the enterprises at `stage` at the end of `year`, how many stood higher within `within`
    years (by the end of year + within), the median years until they moved, and how many fell
    back below the stage (an expired or revoked designation not renewed)."""
    stages = ladder_stages(plan=plan)
    end = dt.date(year, 12, 31)
    horizon = min(dt.date(year + within, 12, 31), timezone.localdate())
    rows = Enterprise.objects.filter(district=plan.district).prefetch_related("designations")
    size = moved = dropped = 0
    times: list[float] = []
    for e in rows:
        designations = list(e.designations.all())
        s = stage_on(stages, designations, end)
        if s is None or s.pk != stage.pk:
            continue
        size += 1
        later = stage_on(stages, designations, horizon)
        if later is not None and later.level > stage.level:
            moved += 1
            ups = [
                d.granted_on
                for d in designations
                if d.granted_on > end
                and d.granted_on <= horizon
                and any(d.kind in x.designations and x.level > stage.level for x in stages)
            ]
            if ups:
                times.append((min(ups) - end).days / 365.25)
        elif later is not None and later.level < stage.level:
            dropped += 1
    return Cohort(
        stage=stage,
        year=year,
        within=within,
        size=size,
        moved_up=moved,
        median_years_to_move=round(statistics.median(times), 1) if times else None,
        dropped=dropped,
    )
