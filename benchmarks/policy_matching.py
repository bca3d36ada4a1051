"""Policy matching at the issue's scale: 200 items × 10,000 enterprises (the full eligibility
matrix, target < 5 s) and one enterprise's 200 matches (target < 200 ms).

Synthetic, in memory: facts shaped like `enterprise_facts` (amounts in 万元), items built from
the bundled catalogue's clauses with varied thresholds; evaluation through the same functions
pages use: one enterprise's page with every clause's words (`nengji.policy.rules.verdict_of`
over `nengji.registry.clauses.rule_evaluate`) and status only (`CompiledRule.codes`, the push
list's path); the matrix column-wise (`nengji.policy.matching.match_matrix`, the office's
lists' path). The matrix is checked against the explaining engine on a sample. Reading facts
from the database is the registry's benchmark. Run:

    .venv/bin/python benchmarks/policy_matching.py [--enterprises N] [--items M]

With ``--db`` it measures the same paths on a fresh data directory (SQLite, or PostgreSQL with
DATABASE_URL, an empty database) holding the bundled plan and its policy catalogue: a registry
import of N enterprises with a year's figures (the push list built once when it commits), an
item's lists for the office over all of them (facts read from the database), and the matrix of
every published item × every enterprise with its facts read.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from decimal import Decimal
from typing import Any


def synthetic_items(n: int, rng: random.Random) -> list[tuple[list[dict[str, Any]], Any]]:
    from nengji.policy.rules import amount_rule_read

    kinds = ["high_tech", "tech_sme", "specialised", "little_giant", "district_giant"]
    items = []
    for i in range(n):
        clauses: list[dict[str, Any]] = [
            {
                "id": "D",
                "fact": "registered_in_district",
                "op": "==",
                "value": True,
                "source": "一",
            },
            {
                "id": "RD",
                "fact": "rd_intensity",
                "op": ">=",
                "value": rng.choice([2, 3, 4, 5]),
                "source": "二",
            },
            {
                "id": "REV",
                "fact": "revenue",
                "op": ">=",
                "value": rng.choice([200, 500, 1000, 5000]),
                "source": "三",
            },
        ]
        if i % 2:
            clauses.append(
                {
                    "id": "DES",
                    "fact": "designations",
                    "op": "contains",
                    "value": rng.choice(kinds),
                    "source": "四",
                }
            )
        if i % 3 == 0:
            clauses.append(
                {
                    "id": "ST",
                    "fact": "st_staff_share",
                    "op": ">=",
                    "value": rng.choice([10, 20, 30]),
                    "source": "五",
                }
            )
        amount = (
            amount_rule_read(
                {"rule": "ratio", "of": "rd_spend", "rate": "0.1", "cap": 1000000},
                max_amount=Decimal(1000000),
            )
            if i % 2
            else amount_rule_read({"rule": "fixed", "value": 200000}, max_amount=None)
        )
        items.append((clauses, amount))
    return items


def synthetic_facts(n: int, rng: random.Random) -> list[dict[str, Any]]:
    kinds = ["high_tech", "tech_sme", "specialised", "little_giant", "district_giant"]
    out = []
    for _ in range(n):
        known = rng.random() > 0.2  # a fifth have no figures: clauses answer unknown
        revenue = Decimal(rng.randint(50, 20000)) if known else None
        rd = (
            (revenue * Decimal(rng.randint(0, 120)) / 1000).quantize(Decimal("0.01"))
            if revenue
            else None
        )
        out.append(
            {
                "registered_in_district": rng.random() > 0.1,
                "revenue": revenue,
                "rd_spend": rd,
                "rd_intensity": (rd * 100 / revenue).quantize(Decimal("0.01"))
                if rd is not None and revenue
                else None,
                "st_staff_share": Decimal(rng.randint(0, 80)) if known else None,
                "designations": sorted(rng.sample(kinds, rng.randint(0, 2))),
            }
        )
    return out


def from_database(n: int) -> None:
    """The database-backed figures (see the module's docstring)."""
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    data_dir = tempfile.mkdtemp(prefix="nengji-bench-policy-")
    env = {**os.environ, "NENGJI_DATA_DIR": data_dir, "PYTHONPATH": str(root / "src")}
    subprocess.run([sys.executable, "-m", "nengji", "init"], env=env, check=True)
    os.environ["NENGJI_DATA_DIR"] = data_dir
    from nengji.cli.django_setup import setup_django

    setup_django()
    from django.db import connection

    from nengji.plan.selectors import plan_get
    from nengji.policy.facts import facts_for
    from nengji.policy.matching import match_item, match_matrix, published_items
    from nengji.policy.models import Notice
    from nengji.registry.models import Enterprise
    from nengji.registry.services.access import SYSTEM
    from nengji.registry.services.imports import registry_import
    from nengji.registry.uscc import uscc_check_character

    plan = plan_get()
    rng = random.Random(2026)  # noqa: S311 - synthetic data, not security
    lines = ["uscc,name_zh,founded_on,year,employees,st_staff,revenue,rd_domestic,rd_foreign"]
    for i in range(n):
        first17 = f"91310110MC{i:07d}"
        revenue = rng.randint(50, 20000)
        rd = revenue * rng.randint(0, 120) // 1000
        employees = rng.randint(10, 600)
        lines.append(
            f"{first17 + uscc_check_character(first17)},基准政策企业{i:05d},2018-03-01,2025,"
            f"{employees},{employees * rng.randint(0, 80) // 100},{revenue},{rd},0"
        )
    data = ("\n".join(lines) + "\n").encode("utf-8")
    t = time.perf_counter()
    registry_import(district=plan.district, data=data, filename="bench.csv", by=SYSTEM)
    import_s = time.perf_counter() - t
    notices = Notice.objects.count()
    items = list(published_items(plan))
    item = next(i for i in items if i.code == "YP-RD-SUBSIDY")
    t = time.perf_counter()
    lists = match_item(item=item)
    lists_s = time.perf_counter() - t
    t = time.perf_counter()
    enterprises = list(Enterprise.objects.all())
    facts = facts_for(enterprises, plan=plan)
    facts_s = time.perf_counter() - t
    t = time.perf_counter()
    matrix = match_matrix(items=items, facts=facts)
    matrix_s = time.perf_counter() - t
    print(f"# {connection.vendor}; load average {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    print("\n| work | time |\n| --- | ---: |")
    print(
        f"| import {n:,} enterprises with figures, push list on commit ({notices:,} notices)"
        f" | {import_s:.1f} s |"
    )
    sizes = ", ".join(f"{k} {len(v):,}" for k, v in lists.items())
    print(f"| an item's lists for the office ({sizes}) | {lists_s:.2f} s |")
    print(f"| facts of {len(enterprises):,} enterprises from the database | {facts_s:.2f} s |")
    print(f"| matrix {len(items)} items × {len(enterprises):,} enterprises | {matrix_s:.2f} s |")
    print(f"\noutcomes: {matrix.counts()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--db", action="store_true", help="measure on a fresh database")
    args = parser.parse_args()
    if args.db:
        from_database(args.enterprises)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nengji.web.settings")
    import django

    django.setup()
    from nengji.policy.matching import match_matrix
    from nengji.policy.models import PolicyItem
    from nengji.policy.rules import verdict_of
    from nengji.registry.clauses import rule_compile

    rng = random.Random(2026)  # noqa: S311 - synthetic data, not security
    items = synthetic_items(args.items, rng)
    facts = synthetic_facts(args.enterprises, rng)

    def median_ms(run: Any) -> float:
        times = []
        for f in facts[:21]:
            t = time.perf_counter()
            run(f)
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000

    compiled = [rule_compile(clauses) for clauses, _amount in items]
    words_ms = median_ms(lambda f: [verdict_of(c, a, f) for c, a in items])
    status_ms = median_ms(lambda f: [r.codes(f) for r in compiled])

    policy_items = [PolicyItem(pk=i + 1, clauses=c) for i, (c, _a) in enumerate(items)]
    by_id = dict(enumerate(facts))
    t = time.perf_counter()
    matrix = match_matrix(items=policy_items, facts=by_id)
    seconds = time.perf_counter() - t
    # the same outcomes as the explaining engine, on a sample
    for j in rng.sample(range(len(facts)), min(200, len(facts))):
        for k, (clauses, amount) in enumerate(items):
            expected = verdict_of(clauses, amount, facts[j]).outcome
            assert matrix.outcome(k + 1, j) == expected, (k, j)
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} ({os.cpu_count()} cores)\n")
    print("| work | time | target |\n| --- | ---: | ---: |")
    n = args.items
    print(
        f"| one enterprise × {n} items, every clause's words (median of 21) | {words_ms:.1f} ms"
        " | 200 ms |"
    )
    print(f"| one enterprise × {n} items, status only (median of 21) | {status_ms:.1f} ms | – |")
    print(f"| {n} items × {args.enterprises:,} enterprises (full matrix) | {seconds:.2f} s | 5 s |")
    print(f"\noutcomes: {matrix.counts()}")


if __name__ == "__main__":
    main()
