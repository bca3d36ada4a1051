"""Server time of the cockpit and list pages on the demo data (issue 5: well under 300 ms).

Sets up a fresh data directory as `./run` does (plan, demo users, demo monitoring reports,
the index run computed from them), then requests every page in-process through Django's full stack
(middleware, sessions, templates, ORM on SQLite, or PostgreSQL with DATABASE_URL) and reports
the median and 95th percentile of the server time, and the number of queries, per page.

    python benchmarks/cockpit_pages.py [--repeat 50] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = [
    ("leader", "/cockpit/"),
    ("leader", "/cockpit/?status=away"),
    ("leader", "/cockpit/index/"),
    ("leader", "/cockpit/index/?DIM_INFLUENCE=2"),
    ("leader", "/cockpit/indicators/HIGH_TECH_ENTERPRISES/"),
    ("leader", "/cockpit/tasks/T01.M1/"),
    ("leader", "/cockpit/departments/STC/"),
    ("leader", "/cockpit/data/index.xlsx"),
    (None, "/open/"),
    (None, "/open-data/"),
    (None, "/open-data/indicators.csv"),
    (None, "/open-data/observations.json"),
    (None, "/open/comments/plan/"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="nengji-bench-"))
    env = {**os.environ, "NENGJI_DATA_DIR": str(data_dir)}
    env["PYTHONPATH"] = str(ROOT / "src")
    # the demo data of `./run`: users, demo monitoring reports, the index run computed from them
    for cmd in (["init", "--demo"], ["round", "demo"], ["init", "--demo"]):
        subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
            [sys.executable, "-m", "nengji", *cmd], env=env, check=True, capture_output=True
        )
    os.environ.update({"NENGJI_DATA_DIR": str(data_dir)})
    sys.path.insert(0, str(ROOT / "src"))
    from nengji.cli.django_setup import setup_django

    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from nengji.accounts.models import User

    setup_test_environment()
    clients = {None: Client()}
    leader = Client()
    leader.force_login(User.objects.filter(role="leader").first())
    clients["leader"] = leader
    print(f"{'page':48} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}")
    worst = 0.0
    for who, url in PAGES:
        client = clients[who]
        client.get(url, HTTP_HOST="127.0.0.1")  # warm up (template compilation, caches)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            response = client.get(url, HTTP_HOST="127.0.0.1")
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, HTTP_HOST="127.0.0.1")
        p95 = statistics.quantiles(times, n=20)[18]
        worst = max(worst, p95)
        print(
            f"{url:48} {statistics.median(times):8.1f} {p95:8.1f} {max(times):8.1f} "
            f"{len(queries):8d}"
        )
    print(f"worst p95: {worst:.1f} ms ({connection.vendor}, {args.repeat} requests per page)")


if __name__ == "__main__":
    main()
