"""The one read model of the benchmark: what a user may see of one year (cockpit, portal, API).

Who sees what:

* the plan office and leaders: the latest run of the year, published or not (``scope="all"``);
* a partner region (its region users, and the reporters of its reporting body): before
  publication only its own base's row and profile (``scope="own"``), after it the published
  table;
* everyone else (the public): the published run of the year only (``scope="published"``), or
  nothing (``scope="none"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from nengji.core.exports import cell_value
from nengji.core.roles import OrgKind, Role, role_of
from nengji.indexing.benchmark.inputs import benchmark_years
from nengji.indexing.models import (
    Benchmark,
    BenchmarkBase,
    BenchmarkPublication,
    BenchmarkRun,
)
from nengji.plan.models import PARTNER_BASE, Plan


def _lang_en() -> bool:
    return (get_language() or "").startswith("en")


@dataclass(frozen=True)
class Item:
    """An indicator or aggregate of the framework, named in the active language."""

    code: str
    name: str
    unit: str = ""


@dataclass(frozen=True)
class ProfileItem:
    code: str
    name: str
    group: str
    rank: int


@dataclass
class BaseRow:
    base: BenchmarkBase
    coverage: int
    ranked: bool
    score: float | None
    rank: int | None
    interval: dict[str, float | None] | None
    dimensions: list[tuple[Item, float | None, int | None]]
    values: list[tuple[Item, float | None, float | None]]  # indicator, raw, normalised
    strengths: list[ProfileItem]
    weaknesses: list[ProfileItem]
    mine: bool = False


@dataclass
class BenchmarkView:
    benchmark: Benchmark
    year: int | None
    years: list[int]
    scope: str  # all | own | published | none
    run: BenchmarkRun | None = None
    publication: BenchmarkPublication | None = None
    rows: list[BaseRow] = field(default_factory=list)
    dimensions: list[Item] = field(default_factory=list)
    indicators: list[Item] = field(default_factory=list)
    sensitivity: list[dict[str, Any]] = field(default_factory=list)
    n_runs: int = 0
    can_manage: bool = False
    own_base: BenchmarkBase | None = None

    @property
    def is_demo(self) -> bool:
        return bool(self.run is not None and self.run.is_demo)

    @property
    def published(self) -> bool:
        return self.publication is not None

    @property
    def ranks_never_move(self) -> bool:
        """Every uncertainty run gave the same ranks, so the Sobol' indices of the rank change
        are undefined (0/0): the page says the choices do not move the ranks instead of
        showing a table of blanks."""
        return bool(self.sensitivity) and all(
            s.get("S1") is None and s.get("ST") is None for s in self.sensitivity
        )

    @property
    def n_indicators(self) -> int:
        return len(self.indicators)


def benchmark_list(*, plan: Plan) -> list[Benchmark]:
    return list(Benchmark.objects.filter(plan=plan).order_by("code"))


def benchmark_get(*, plan: Plan, code: str) -> Benchmark | None:
    return Benchmark.objects.filter(plan=plan, code=code).select_related("plan").first()


def user_base(user: Any, benchmark: Benchmark) -> BenchmarkBase | None:
    """The partner base a user speaks for: its region (region role), or the region of the
    reporting body it reports for."""
    role = role_of(user)
    org = getattr(user, "organisation", None)
    if org is None or role not in (Role.REGION, Role.REPORTER):
        return None
    region_id = None
    if role == Role.REGION and org.kind == OrgKind.REGION:
        region_id = org.pk
    elif role == Role.REPORTER:
        department = getattr(user, "department", None)
        if department is not None and department.kind == PARTNER_BASE:
            region_id = department.district_id
    if region_id is None:
        return None
    return (
        BenchmarkBase.objects.filter(benchmark=benchmark, organisation_id=region_id, own=False)
        .select_related("organisation")
        .first()
    )


def published_years(benchmark: Benchmark) -> list[int]:
    return sorted(
        set(BenchmarkPublication.objects.filter(benchmark=benchmark).values_list("year", flat=True))
    )


def _items(benchmark: Benchmark) -> dict[str, Item]:
    en = _lang_en()
    return {
        r["code"]: Item(
            code=r["code"],
            name=(r.get("name_en") if en and r.get("name_en") else r.get("name_zh")) or r["code"],
            unit=r.get("unit") or "",
        )
        for r in benchmark.framework
    }


def _int(x: Any) -> int | None:
    return None if x is None else int(x)


def benchmark_view(*, benchmark: Benchmark, user: Any, year: int | None = None) -> BenchmarkView:
    """What ``user`` may see of ``year`` (default: the latest year the user may see)."""
    can_read_all = bool(getattr(user, "can_read_all", False))
    own = None if can_read_all else user_base(user, benchmark)
    run_years = sorted(
        set(BenchmarkRun.objects.filter(benchmark=benchmark).values_list("year", flat=True))
    )
    if can_read_all:
        years = sorted(set(run_years) | set(benchmark_years(benchmark)))
    elif own is not None:
        years = run_years
    else:
        years = published_years(benchmark)
    if year is None:
        preferred = run_years if can_read_all and run_years else years
        year = preferred[-1] if preferred else None
    view = BenchmarkView(
        benchmark=benchmark,
        year=year,
        years=years,
        scope="none",
        can_manage=role_of(user) == Role.OFFICE,
        own_base=own,
    )
    if year is None:
        return view
    publication = (
        BenchmarkPublication.objects.filter(benchmark=benchmark, year=year)
        .select_related("run")
        .order_by("-published_at", "-id")
        .first()
    )
    latest = BenchmarkRun.objects.filter(benchmark=benchmark, year=year).order_by("-id").first()
    if can_read_all:
        run, scope = latest, "all"
    elif own is not None and publication is None:
        run, scope = latest, "own"
    elif publication is not None:
        run, scope = publication.run, "published"
    else:
        run, scope = None, "none"
    view.scope = scope if run is not None else "none"
    if run is None:
        return view
    view.run = run
    view.publication = BenchmarkPublication.objects.filter(run=run).first()
    _fill(view, run, benchmark, only=own.code if scope == "own" and own else None)
    return view


def _fill(view: BenchmarkView, run: BenchmarkRun, benchmark: Benchmark, only: str | None) -> None:
    items = _items(benchmark)
    res = run.results
    root = res["root"]
    view.dimensions = [items[c] for c in res["aggregates"] if c != root and c in items]
    view.indicators = [items[c] for c in res["indicators"] if c in items]
    bases = {b.code: b for b in BenchmarkBase.objects.filter(benchmark=benchmark)}
    parent = {r["code"]: r.get("parent") for r in benchmark.framework}
    own_code = view.own_base.code if view.own_base else None
    for r in res["bases"]:
        if only is not None and r["base"] != only:
            continue
        base = bases.get(r["base"])
        if base is None:
            continue

        def profile(rows: list[dict[str, Any]]) -> list[ProfileItem]:
            return [
                ProfileItem(
                    code=p["code"],
                    name=items[p["code"]].name if p["code"] in items else p["code"],
                    group=(items[parent[p["code"]]].name if parent.get(p["code"]) in items else ""),
                    rank=int(p["rank"]),
                )
                for p in rows
            ]

        view.rows.append(
            BaseRow(
                base=base,
                coverage=int(r["coverage"]),
                ranked=bool(r["ranked"]),
                score=r["scores"].get(root),
                rank=_int(r["ranks"].get(root)),
                interval=r.get("interval"),
                dimensions=[
                    (d, r["scores"].get(d.code), _int(r["ranks"].get(d.code)))
                    for d in view.dimensions
                ],
                values=[
                    (i, r["values"].get(i.code), r["normalised"].get(i.code))
                    for i in view.indicators
                ],
                strengths=profile(r["strengths"]),
                weaknesses=profile(r["weaknesses"]),
                mine=r["base"] == own_code,
            )
        )
    view.rows.sort(key=lambda row: (not row.ranked, row.rank or 0, row.base.order))
    if only is None:
        view.sensitivity = list(res.get("sensitivity", []))
    view.n_runs = int(res.get("uncertainty", {}).get("runs", 0))


def benchmark_table(view: BenchmarkView) -> tuple[list[str], list[list[Any]]]:
    """The view as one table for downloads (csv, xlsx, json): a row per base, the names as
    safe text (`nengji.core.exports.cell_value`)."""
    columns = [
        "base",
        "name_zh",
        "name_en",
        "year",
        "ranked",
        "rank",
        "score",
        "rank_q05",
        "rank_median",
        "rank_q95",
        "indicators_with_values",
        *[f"score_{d.code}" for d in view.dimensions],
        *[f"rank_{d.code}" for d in view.dimensions],
        *[i.code for i in view.indicators],
        "is_demo",
    ]
    rows = []
    for r in view.rows:
        iv = r.interval or {}
        rows.append(
            [
                cell_value(r.base.code),
                cell_value(r.base.name_zh),
                cell_value(r.base.name_en),
                view.year,
                r.ranked,
                r.rank,
                r.score,
                iv.get("q05"),
                iv.get("median"),
                iv.get("q95"),
                r.coverage,
                *[s for _, s, _ in r.dimensions],
                *[k for _, _, k in r.dimensions],
                *[v for _, v, _ in r.values],
                view.is_demo,
            ]
        )
    return columns, rows
