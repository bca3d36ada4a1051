"""Benchmark: certificate signing and offline verification; the rights state as of a date.

    python benchmarks/techrights.py                          # SQLite in a temporary data dir
    python benchmarks/techrights.py --pg postgres://postgres@127.0.0.1:5432/postgres

Targets of issue 13: verifying 10,000 certificates offline under 5 s; with 100,000 achievements
and 300,000 rights entries, the rights state of one achievement as of any date under 50 ms.

The register is filled with bulk inserts (the services would take hours for 300,000 entries and
their rules are not what is measured here); the reads are the selector pages and the API call,
`rights_state(achievement_id=, as_of=)`. Signing and verifying use the real key store and the
real verifier on canonical JSON bytes, as `nengji cert verify` reads a file.
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


def _pg_scratch(url: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS nengji_bench_tr")
        conn.execute("CREATE DATABASE nengji_bench_tr")
    return url.rsplit("/", 1)[0] + "/nengji_bench_tr"


def _pg_drop(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS nengji_bench_tr")


def bench_signatures(n: int, data_dir: Path) -> list[tuple[str, str]]:
    from nengji.techrights import keys as keystore
    from nengji.techrights.signing import (
        certificate_verify,
        document_bytes,
        document_sign,
        key_id_of,
    )

    private = keystore.signing_key(data_dir)
    kid = key_id_of(private.public_key())
    keys = keystore.own_keyset(data_dir)
    payloads = [
        {
            "id": f"NJ-20260101-{i:010d}",
            "kind": "transaction",
            "issuer": "bench",
            "key_id": kid,
            "issued_at": "2026-01-01T00:00:00Z",
            "subject": {
                "achievement": {"type": "patent", "title": "一种测试方法", "identifier": f"ZL{i}"}
            },
            "parties": [{"role": "seller", "name": "某大学", "kind": "university", "code": "U1"}],
            "amounts": {"amount_yuan": f"{i}.00"},
            "dates": {"concluded_on": "2025-06-01"},
            "procedure": None,
            "demo": True,
        }
        for i in range(n)
    ]
    t0, c0 = time.perf_counter(), time.process_time()
    files = [document_bytes(document_sign(p, private_key=private)) for p in payloads]
    sign_s, sign_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    ok = sum(certificate_verify(f, keys=keys).ok for f in files)
    verify_s, verify_cpu = time.perf_counter() - t0, time.process_time() - c0
    assert ok == n
    # wall time depends on the machine's load; CPU time is what the work itself costs
    return [
        (
            f"sign {n:,} certificates (canonical JSON + Ed25519)",
            f"{sign_s:.2f} s wall, {sign_cpu:.2f} s CPU",
        ),
        (
            f"verify {n:,} certificate files offline (target < 5 s)",
            f"{verify_s:.2f} s wall, {verify_cpu:.2f} s CPU",
        ),
        ("verifications per CPU second", f"{n / verify_cpu:,.0f}"),
    ]


def fill_register(achievements: int, per: int) -> None:
    from django.db import transaction

    from nengji.core.models import Organisation
    from nengji.techrights.models import Achievement, RightEntry

    rng = random.Random(13)  # noqa: S311 - reproducible synthetic data
    with transaction.atomic():
        orgs = Organisation.objects.bulk_create(
            [
                Organisation(kind="enterprise", code=f"B{i:05d}", name_zh=f"企业{i}")
                for i in range(2000)
            ]
        )
        uni = Organisation.objects.create(kind="university", code="BU", name_zh="某大学")
    day0 = dt.date(2015, 1, 1)
    batch = 5000
    for start in range(0, achievements, batch):
        with transaction.atomic():
            rows = Achievement.objects.bulk_create(
                [
                    Achievement(
                        institution=uni,
                        kind="patent",
                        title=f"成果{i}",
                        identifier=f"ZLB{i:09d}",
                        is_service_invention=True,
                        inventors=["甲"],
                        registered_on=day0,
                        is_demo=True,
                    )
                    for i in range(start, min(start + batch, achievements))
                ]
            )
            entries = []
            for a in rows:
                day = day0
                entries.append(
                    RightEntry(
                        achievement=a,
                        seq=1,
                        kind="ownership",
                        effective_on=day,
                        holder=uni,
                        share=Decimal(100),
                        is_demo=True,
                    )
                )
                holder = uni
                for seq in range(2, per + 1):
                    day += dt.timedelta(days=rng.randint(30, 700))
                    if seq % 2 == 0:
                        buyer = rng.choice(orgs)
                        entries.append(
                            RightEntry(
                                achievement=a,
                                seq=seq,
                                kind="transfer",
                                effective_on=day,
                                holder=buyer,
                                from_holder=holder,
                                share=Decimal(100),
                                is_demo=True,
                            )
                        )
                        holder = buyer
                    else:
                        entries.append(
                            RightEntry(
                                achievement=a,
                                seq=seq,
                                kind="licence",
                                effective_on=day,
                                holder=rng.choice(orgs),
                                exclusive=False,
                                starts_on=day,
                                ends_on=day + dt.timedelta(days=1000),
                                is_demo=True,
                            )
                        )
            RightEntry.objects.bulk_create(entries)


def bench_state(samples: int) -> list[tuple[str, str]]:
    from django.db import connection

    from nengji.techrights.models import Achievement, RightEntry
    from nengji.techrights.selectors import rights_state

    ids = list(Achievement.objects.values_list("id", flat=True))
    rng = random.Random(7)  # noqa: S311 - reproducible sampling
    timings = []
    for _ in range(samples):
        pk = rng.choice(ids)
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 4000))
        t0 = time.perf_counter()
        rights_state(achievement_id=pk, as_of=day)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    return [
        (
            f"register size ({connection.vendor})",
            f"{len(ids):,} achievements, {RightEntry.objects.count():,} entries",
        ),
        (
            f"rights state as of a random date, median of {samples} (target < 50 ms)",
            f"{statistics.median(timings):.2f} ms",
        ),
        ("… 95th percentile", f"{timings[int(0.95 * len(timings))]:.2f} ms"),
        ("… slowest", f"{timings[-1]:.2f} ms"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--certificates", type=int, default=10_000)
    parser.add_argument("--achievements", type=int, default=100_000)
    parser.add_argument("--entries-per-achievement", type=int, default=3)
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--pg", help="a PostgreSQL server URL (a scratch database is made)")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="nengji-bench-"))
    os.environ["NENGJI_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = _pg_scratch(args.pg) if args.pg else ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "nengji.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    rows = bench_signatures(args.certificates, data_dir)
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    fill_register(args.achievements, args.entries_per_achievement)
    rows.append(("filling the register (bulk insert)", f"{time.perf_counter() - t0:.1f} s"))
    rows += bench_state(args.samples)
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    if args.pg:
        from django.db import connections

        connections.close_all()
        _pg_drop(args.pg)


if __name__ == "__main__":
    main()
