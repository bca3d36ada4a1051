"""Benchmark: voucher clearing and balances at the issue's scale, on PostgreSQL.

    python benchmarks/vouchers_clearing.py --pg postgres://postgres@127.0.0.1:5432/postgres
    python benchmarks/vouchers_clearing.py --pg URL --enterprises 2000 --orders 20000  # smaller

(Re)creates a scratch database `nengji_bench_vouchers` on that server and drops it afterwards.
Four regions, N enterprises (each with one granted quota a year), M orders over three years
(each paid: a reservation, a redemption and a release on the ledger, a claim, and for the
cross-region ones a clearing entry), written in bulk with the rows the services write. Then
timed, as the CLI, API and pages call them: `clearing_report` of one quarter (gross flows, net
pairs, positions), `quota_balance` of one enterprise's quota, and `reconcile` over everything.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DB = "nengji_bench_vouchers"


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def _timed(fn, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), max(runs)


def build(n_ent: int, n_orders: int) -> None:
    from django.utils import timezone

    from nengji.core.models import Organisation
    from nengji.registry.models import Enterprise
    from nengji.registry.uscc import uscc_check_character
    from nengji.vouchers.models import (
        Claim,
        ClearingEntry,
        ClearingPeriod,
        Institution,
        LedgerEntry,
        Order,
        Partner,
        Programme,
        Quota,
    )
    from nengji.vouchers.services.claims import clearing_parts
    from nengji.vouchers.services.periods import period_bounds, period_code

    rng = random.Random(7)  # noqa: S311 - synthetic data, reproducible
    now = timezone.now()
    years = (2023, 2024, 2025)
    regions = [
        Organisation.objects.create(kind="region", code=f"R{i}", name_zh=f"地区{i}")
        for i in range(4)
    ]
    programmes = {}
    for r in regions:
        for y in years:
            p = Programme.objects.create(
                region=r,
                year=y,
                name=f"{r.code}-{y}",
                budget_fen=10**12,
                enterprise_cap_fen=50_000_000,
                team_cap_fen=10_000_000,
                coverage="0.5",
                categories=["testing"],
                applicant_kinds=["sme"],
                valid_from=dt.date(y, 1, 1),
                valid_until=dt.date(y, 12, 31),
            )
            Partner.objects.bulk_create(
                Partner(programme=p, region=o, service_share="0.2") for o in regions if o != r
            )
            programmes[(r.pk, y)] = p
    insts = []
    for r in regions:
        for j in range(25):
            first = f"91{r.pk:06d}MB{j:07d}"
            code = first + uscc_check_character(first)
            org = Organisation.objects.create(kind="provider", code=code, name_zh=code)
            insts.append(
                Institution.objects.create(
                    organisation=org,
                    region=r,
                    uscc=code,
                    name=f"机构{code[-6:]}",
                    legal_rep="x",
                    address="x",
                    phone="x",
                    categories=["testing"],
                    self_evaluation="x",
                )
            )
    Institution.objects.update(state="admitted")
    ent_rows = []
    for i in range(n_ent):
        first = f"91{i % 4:06d}MA{i:07d}"
        ent_rows.append(
            Enterprise(
                uscc=first + uscc_check_character(first),
                name_zh=f"企业{i}",
                district=regions[i % 4],
            )
        )
    ents = Enterprise.objects.bulk_create(ent_rows, batch_size=5000)
    quota_rows = [
        Quota(
            programme=programmes[(e.district_id, y)],
            enterprise=e,
            applicant_kind="sme",
            requested_fen=50_000_000,
            granted_fen=50_000_000,
            legal_rep="x",
            address="x",
            phone="x",
            applied_at=now,
        )
        for e in ents
        for y in years
    ]
    quotas = Quota.objects.bulk_create(quota_rows, batch_size=5000)
    Quota.objects.update(state="granted")
    LedgerEntry.objects.bulk_create(
        (LedgerEntry(quota=q, kind="grant", amount_fen=q.granted_fen, at=now) for q in quotas),
        batch_size=10000,
    )
    by_ent_year = {(q.enterprise_id, q.programme.year): q for q in quotas}
    periods = {}
    for y in years:
        for qn in range(1, 5):
            code = f"{y}Q{qn}"
            a, b = period_bounds(code)
            periods[code] = ClearingPeriod.objects.create(code=code, starts_on=a, ends_on=b)
    ClearingPeriod.objects.exclude(code="2025Q4").update(state="closed")
    chunk = 20000
    for start in range(0, n_orders, chunk):
        orders, specs = [], []
        for _ in range(min(chunk, n_orders - start)):
            e = ents[rng.randrange(n_ent)]
            day = dt.date(rng.choice(years), rng.randint(1, 12), rng.randint(1, 28))
            q = by_ent_year[(e.pk, day.year)]
            inst = insts[rng.randrange(len(insts))]
            voucher = rng.randint(1, 200) * 10_000
            orders.append(
                Order(
                    quota=q,
                    institution=inst,
                    category="testing",
                    contract_fen=voucher * 2,
                    voucher_fen=voucher,
                    starts_on=day,
                    ends_on=day,
                    placed_on=day,
                )
            )
            specs.append((q, inst, voucher, day))
        orders = Order.objects.bulk_create(orders, batch_size=5000)
        claims = []
        for o, (q, inst, voucher, day) in zip(orders, specs, strict=True):
            mode = "tongdui" if o.pk % 2 else "tongyong"
            claims.append(
                Claim(
                    order=o,
                    mode=mode,
                    amount_fen=voucher,
                    invoice_no=f"I{o.pk}",
                    issuing_region_id=q.programme.region_id,
                    service_region_id=inst.region_id,
                    service_share="0.2" if q.programme.region_id != inst.region_id else "0",
                    submitted_at=now,
                    paid_fen=voucher,
                    paid_on=day,
                    payment_ref=f"P{o.pk}",
                )
            )
        claims = Claim.objects.bulk_create(claims, batch_size=5000)
        ledger, clearing = [], []
        for c, o in zip(claims, orders, strict=True):
            ledger.append(
                LedgerEntry(
                    quota_id=o.quota_id, kind="reserve", amount_fen=o.voucher_fen, order=o, at=now
                )
            )
            ledger.append(
                LedgerEntry(
                    quota_id=o.quota_id,
                    kind="redeem",
                    amount_fen=c.amount_fen,
                    order=o,
                    claim=c,
                    at=now,
                )
            )
            c.service_share = Decimal(c.service_share)
            for d, cr, amount in clearing_parts(c, c.amount_fen):
                clearing.append(
                    ClearingEntry(
                        period=periods[period_code(c.paid_on)],
                        claim=c,
                        debtor_id=d,
                        creditor_id=cr,
                        amount_fen=amount,
                        at=now,
                    )
                )
        LedgerEntry.objects.bulk_create(ledger, batch_size=10000)
        ClearingEntry.objects.bulk_create(clearing, batch_size=10000)
        print(f"  {start + len(orders):,} orders written", flush=True)
    Order.objects.update(state="claimed")
    Claim.objects.update(state="paid")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", required=True, help="a PostgreSQL server URL")
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--orders", type=int, default=200_000)
    args = parser.parse_args()
    os.environ["NENGJI_DATA_DIR"] = tempfile.mkdtemp(prefix="nengji-bench-")
    _admin(args.pg, f"DROP DATABASE IF EXISTS {DB}")
    _admin(args.pg, f"CREATE DATABASE {DB}")
    os.environ["DATABASE_URL"] = args.pg.rsplit("/", 1)[0] + "/" + DB
    os.environ["DJANGO_SETTINGS_MODULE"] = "nengji.web.settings"
    try:
        import django
        from django.core.management import call_command
        from django.db import connection

        django.setup()
        call_command("migrate", verbosity=0)
        t = time.perf_counter()
        build(args.enterprises, args.orders)
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        print(f"built in {time.perf_counter() - t:.0f} s")

        from nengji.vouchers.clearing import clearing_report
        from nengji.vouchers.models import ClearingPeriod, Quota
        from nengji.vouchers.reconcile import reconcile
        from nengji.vouchers.selectors import quota_balance

        period = ClearingPeriod.objects.get(code="2025Q1")
        q_ids = list(Quota.objects.values_list("pk", flat=True)[:: max(1, args.enterprises // 50)])
        clearing_med, clearing_max = _timed(lambda: clearing_report(period=period).as_json(), 9)
        balances = []
        for qid in q_ids:
            t = time.perf_counter()
            quota_balance(quota=qid)
            balances.append(time.perf_counter() - t)
        t = time.perf_counter()
        problems = reconcile()
        reconcile_s = time.perf_counter() - t
        report = clearing_report(period=period)
        print("| work | median | max | target |\n| --- | ---: | ---: | ---: |")
        print(
            f"| clearing of one quarter ({args.orders:,} orders in all) | "
            f"{clearing_med * 1000:.0f} ms | {clearing_max * 1000:.0f} ms | < 5 s |"
        )
        print(
            f"| one enterprise's balance ({len(balances)} quotas) | "
            f"{statistics.median(balances) * 1000:.1f} ms | {max(balances) * 1000:.1f} ms "
            f"| < 50 ms |"
        )
        print(f"| reconcile (everything) | {reconcile_s:.1f} s | | |")
        print(f"balanced: {report.balanced}; reconcile differences: {len(problems)}")
    finally:
        from django.db import connections

        connections.close_all()
        _admin(args.pg, f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
