"""Load on a running nengji: N concurrent clients for S seconds, per page p50/p95/p99 and
requests/s. Loopback only (it refuses any other host: this is a benchmark, not a weapon).

    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:8000 --clients 20 --seconds 30
    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:8000 --clients 10 --seconds 30 \\
        --pages /cockpit/ --login office:PASSWORD

Each client loops over the pages in turn (asyncio + httpx, one connection pool per client).
With --login, every client logs in through /accounts/login/ first (the cockpit is per user).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections import defaultdict
from urllib.parse import urlsplit

import httpx

PUBLIC = ["/open/", "/open-data/", "/open-data/indicators.json"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


async def login(client: httpx.AsyncClient, username: str, password: str) -> None:
    page = await client.get("/accounts/login/")
    token = client.cookies.get("csrftoken") or ""
    r = await client.post(
        "/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": str(page.url)},
    )
    if r.status_code not in (200, 302) or "sessionid" not in client.cookies:
        raise SystemExit(f"login as {username} failed ({r.status_code})")


async def one_client(
    base: str,
    pages: list[str],
    until: float,
    times: dict[str, list[float]],
    errors: dict[str, int],
    credentials: tuple[str, str] | None,
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=False) as client:
        if credentials:
            await login(client, *credentials)
        i = 0
        while time.perf_counter() < until:
            page = pages[i % len(pages)]
            i += 1
            start = time.perf_counter()
            try:
                r = await client.get(page)
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            elapsed = time.perf_counter() - start
            if ok:
                times[page].append(elapsed)
            else:
                errors[page] += 1


async def run(args: argparse.Namespace) -> int:
    host = urlsplit(args.url).hostname or ""
    if host not in LOOPBACK:
        raise SystemExit("benchmarks/load.py measures a local server only (127.0.0.1/localhost)")
    credentials = tuple(args.login.split(":", 1)) if args.login else None
    pages = args.pages or PUBLIC
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    start = time.perf_counter()
    until = start + args.seconds
    await asyncio.gather(
        *(
            one_client(args.url, pages, until, times, errors, credentials)  # type: ignore[arg-type]
            for _ in range(args.clients)
        )
    )
    wall = time.perf_counter() - start
    print(f"{args.clients} clients, {wall:.1f} s, {args.url}")
    print(f"{'page':40} {'n':>6} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>7}")
    total = 0
    for page in pages:
        t = times[page]
        total += len(t)
        print(
            f"{page:40} {len(t):6d} {errors[page]:4d} {quantile(t, 0.5) * 1000:8.0f} "
            f"{quantile(t, 0.95) * 1000:8.0f} {quantile(t, 0.99) * 1000:8.0f} {len(t) / wall:7.1f}"
        )
    allt = [x for p in pages for x in times[p]]
    if allt:
        print(
            f"{'all':40} {total:6d} {sum(errors.values()):4d} "
            f"{statistics.median(allt) * 1000:8.0f} {quantile(allt, 0.95) * 1000:8.0f} "
            f"{quantile(allt, 0.99) * 1000:8.0f} {total / wall:7.1f}"
        )
    return 0 if not errors else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="base URL of a local nengji server")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--pages", nargs="*", help="paths to load (default: the public pages)")
    parser.add_argument("--login", help="username:password; every client logs in first")
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 200 and 1 <= args.seconds <= 600):
        parser.error("--clients 1..200, --seconds 1..600")
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
