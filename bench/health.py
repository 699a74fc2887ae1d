"""The network-health benchmark: server time of /coordinatie/gezondheid and /jaarbeeld at
10,000 members and 100,000 items, without the figure cache (every request computes every
aggregate: "cold") and with it ("warm"), next to /healthz measured in the same run.

    python bench/health.py [--members 10000] [--items 100000] [--requests 40]
                           [--cold-requests 8] [--seed 1]

The database is the one of bench/pages.py (``benchdata.ensure_database``: the demo network
plus synthetic members and items spread over three years). The coordinator logs in with the
demo accounts' published two-step key. The bar (issue 21): p95 under 300 ms; the cache holds
figures at most ten minutes (``INSIGHT_CACHE_SECONDS``)."""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyotp  # noqa: E402
from benchdata import bench_config, ensure_database  # noqa: E402
from httpload import percentile  # noqa: E402
from sqlalchemy import event  # noqa: E402

DEMO_COORDINATOR = "coordinator@alliantie.example"
DEMO_PASSWORD = "alliantie-demo-2026"
DEMO_TOTP = "ALLIANTIEDEMOTWEESTAPSLOGINDEMOA"
BAR_MS = 300.0


def routes(year: int, month: str) -> list[tuple[str, str]]:
    return [
        ("hello world (reference)", "/healthz"),
        ("dashboard, last month", "/coordinatie/gezondheid"),
        ("dashboard, a quarter", f"/coordinatie/gezondheid?periode={year}-K3"),
        ("dashboard, a year", f"/coordinatie/gezondheid?periode={year}"),
        ("dashboard, a month, one theme", f"/coordinatie/gezondheid?periode={month}&thema=open-informatie"),
        ("jaarbeeld, this year", "/jaarbeeld"),
        ("jaarbeeld, last year", f"/jaarbeeld?jaar={year - 1}"),
        ("jaarbeeld, one theme", "/jaarbeeld?thema=open-technologie"),
    ]  # fmt: skip


def log_in(client) -> None:
    response = client.post("/inloggen", data={"email": DEMO_COORDINATOR, "password": DEMO_PASSWORD})
    assert response.status_code == 303, response.status_code
    response = client.post("/inloggen/code", data={"code": pyotp.TOTP(DEMO_TOTP).now()})
    assert response.status_code == 303 and "/inloggen" not in response.location, response.location


def measure(app, paths, requests: int, warmup: int) -> dict[str, list[float]]:
    """Wall-clock ms per request of each path, in shuffled rounds; and SQL statements."""
    client = app.test_client()
    log_in(client)
    counted: list[int] = [0]

    def count(*_args):
        counted[0] += 1

    from alliance.extensions import db

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    times: dict[str, list[float]] = {label: [] for label, _p in paths}
    statements: dict[str, int] = {}
    first: dict[str, float] = {}
    order = list(paths)
    for round_number in range(warmup + requests):
        random.shuffle(order)
        for label, path in order:
            counted[0] = 0
            began = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - began) * 1000
            assert response.status_code == 200, (path, response.status_code)
            if round_number == 0:
                first[label] = elapsed
            if round_number >= warmup:
                times[label].append(elapsed)
            statements[label] = counted[0]
    event.remove(engine, "before_cursor_execute", count)
    return {"times": times, "statements": statements, "first": first}


def report(title: str, result: dict, reference: str) -> None:
    print(f"\n{title}")
    print(
        f"{'page':34} {'first':>8} {'p50':>8} {'p95':>8} {'max':>8} {'p95÷ref':>8} {'SQL':>4}  bar"
    )
    ref95 = percentile(result["times"][reference], 0.95)
    for label, values in result["times"].items():
        p95 = percentile(values, 0.95)
        verdict = "" if label == reference else ("ok" if p95 < BAR_MS else "OVER 300 ms")
        print(
            f"{label:34} {result['first'][label]:8.1f} {statistics.median(values):8.1f} "
            f"{p95:8.1f} {max(values):8.1f} {p95 / ref95:8.1f} {result['statements'][label]:4d}"
            f"  {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=40, help="per page, with the cache")
    parser.add_argument("--cold-requests", type=int, default=8, help="per page, without it")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--cache-seconds", type=int, default=600)
    arguments = parser.parse_args()

    from alliance import create_app
    from alliance.core.timeutil import utcnow

    database = ensure_database(arguments.members, arguments.items, arguments.seed)
    now = utcnow()
    month = f"{now.year}-{now.month:02d}"
    paths = routes(now.year, month)
    for seconds, title in (
        (0, "Without the figure cache (cold: every request computes every figure)"),
        (arguments.cache_seconds, f"With the figure cache ({arguments.cache_seconds} s; warm)"),
    ):
        app = create_app({**bench_config(database), "INSIGHT_CACHE_SECONDS": seconds})
        warmup = arguments.warmup if seconds == 0 else 1
        count = arguments.cold_requests if seconds == 0 else arguments.requests
        result = measure(app, paths, count, warmup)
        report(title, result, "hello world (reference)")
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"\nLoad average of the machine at the end: {' '.join(load)} (2 cores, shared).")
    print(
        f"\n{arguments.members} members, {arguments.items} items; {arguments.cold_requests} "
        f"requests per page without the cache, {arguments.requests} with it; wall-clock ms "
        "around the Flask test client (in-process, SQLite). 'first': the first request."
    )


if __name__ == "__main__":
    main()
