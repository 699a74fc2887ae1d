"""The page benchmark: server time, SQL statements and throughput of the main pages.

    python bench/pages.py [--members 10000] [--items 100000] [--requests 200] [--seconds 10]
                          [--skip-gunicorn]

Every figure is printed next to the same figure for /healthz (a hello-world route of the same
app) measured in the same run, and next to the bar of docs/QUALITY.md. See bench/README.md.

New pages join the benchmark by adding a :class:`Route` to :data:`ROUTES` (and, when the path
needs an id from the database, a function to :data:`LOOKUPS`)."""

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from benchdata import (
    BENCH_EMAIL,
    BENCH_PASSWORD,
    OUT,
    ROOT,
    bench_config,
    bench_group,
    bench_group_post,
    bench_group_work,
    bench_item,
    bench_member_home,
    ensure_database,
)
from benchpeople import bench_conversation, bench_expert
from httpload import (
    Gunicorn,
    drive,
    log_in,
    machine_busy_seconds,
    own_cpu_seconds,
    percentile,
)
from pagereport import report_explained, report_server_time, report_throughput
from sqlalchemy import func, select
from sqlcount import (
    Statement,
    StatementCounter,
    repeated_statements,
    slow_statements,
    slowest_statement,
)


@dataclass(frozen=True)
class Route:
    """One page the benchmark requests.

    ``path`` may hold ``{placeholders}`` named after :data:`LOOKUPS`. ``list_setting`` names the
    config key that sets how many rows the page lists: the benchmark then checks that 5 and 500
    rows take the same number of SQL statements. ``under_load`` also drives it under gunicorn;
    ``throughput_bar`` holds it to the requests/s bar there (others are shown for information)."""

    label: str
    path: str
    logged_in: bool = True
    list_setting: str | None = None
    under_load: bool = False
    throughput_bar: bool = False


#: The hello-world route every figure is compared with: no template, no database.
REFERENCE = Route("hello world (reference)", "/healthz", under_load=True)

#: The pages under test, in the order they are printed. Later features append theirs here.
ROUTES: list[Route] = [
    # Issue 16: the home page as the loop. The member is in 3 groups, follows 20 items and has
    # 50 notifications (benchdata.bench_member_home); the visitor's counts are cached 5 minutes.
    Route("home, member", "/{bench_member_home}", under_load=True),
    Route("home, visitor", "/", logged_in=False, under_load=True),
    Route("lessons", "/lessen", list_setting="ITEMS_PAGE_SIZE"),
    Route("lessons, logged out", "/lessen", logged_in=False),
    Route("lessons Atom feed", "/lessen/feed.atom", logged_in=False),
    Route("directory, first page", "/leden", list_setting="DIRECTORY_PAGE_SIZE", under_load=True),
    Route("directory, text 'woo'", "/leden?q=woo", list_setting="DIRECTORY_PAGE_SIZE"),
    Route(
        "directory, two words", "/leden?q=gemeente%20utrecht", list_setting="DIRECTORY_PAGE_SIZE"
    ),
    Route(
        "directory, two filters",
        "/leden?perspectief=uitvoering&thema=open-informatie",
        list_setting="DIRECTORY_PAGE_SIZE",
    ),
    Route(
        "directory, 'Ik bied' tag", "/leden?bied=open%20source", list_setting="DIRECTORY_PAGE_SIZE"
    ),
    Route("directory, page 50", "/leden?pagina=50", list_setting="DIRECTORY_PAGE_SIZE"),
    Route("profile, most tags", "/leden/{member_with_most_tags}"),
    Route("knowledge base", "/kennisbank/", list_setting="ITEMS_PAGE_SIZE", under_load=True),
    Route(
        "kb, open dilemmas",
        "/kennisbank/?soort=dilemma&status=open",
        list_setting="ITEMS_PAGE_SIZE",
    ),
    Route("kb, theme", "/kennisbank/?thema=open-informatie", list_setting="ITEMS_PAGE_SIZE"),
    Route("kb, unanswered", "/kennisbank/?onbeantwoord=1", list_setting="ITEMS_PAGE_SIZE"),
    Route(
        "kb, research missing", "/kennisbank/?ontbreekt=onderzoek", list_setting="ITEMS_PAGE_SIZE"
    ),
    Route("kb, most recognised", "/kennisbank/?sorteer=recognised", list_setting="ITEMS_PAGE_SIZE"),
    Route("kb, page 50", "/kennisbank/?pagina=50", list_setting="ITEMS_PAGE_SIZE"),
    # The item page the throughput bar is about: an item with 50 replies. The same item with 5
    # replies shows that the statements do not grow with the replies.
    Route(
        "item, 50 replies",
        "/kennisbank/{item_with_50_replies}",
        under_load=True,
        throughput_bar=True,
    ),
    Route("item, 5 replies", "/kennisbank/{item_with_5_replies}"),
    Route("item, perspectives missing", "/kennisbank/{open_dilemma_missing_perspectives}"),
    # Issue 5: the group space of a working group with 500 actiepunten and 1,000 replies in its
    # private discussion (the bench member leads it), and one of its discussion posts.
    Route("group space, 500 tasks", "/werkgroepen/{bench_group}", under_load=True),
    Route("group discussion post", "/kennisbank/{bench_group_post}"),
    # Issue 18: the same space with 1,000 messages, 200 documents and 20 proposals besides.
    Route(
        "group space, 1,000 messages, 200 documents, 20 proposals",
        "/werkgroepen/{bench_group_work}?werk=1",
        under_load=True,
    ),
    Route("working groups", "/werkgroepen/"),
    Route("kb Atom feed, logged out", "/kennisbank/feed.atom", logged_in=False),
    Route("kb, logged out", "/kennisbank/", logged_in=False),
    Route("themes", "/themas/"),
    Route("theme page (with items)", "/themas/open-informatie"),
    Route("edit my profile", "/profiel/bewerken"),
    # Issue 17: a profile with 200 contributions (120 posts, 60 replies that helped, 20
    # lessons), its whole list, and the bench member's messages (50 conversations, 500 messages).
    Route("profile, 200 contributions", "/leden/{bench_expert}"),
    Route("profile, 200 contributions, logged out", "/leden/{bench_expert}", logged_in=False),
    Route("contributions, whole list", "/leden/{bench_expert}/bijdragen"),
    Route("messages, 500 messages", "/berichten", list_setting="MESSAGES_PAGE_SIZE"),
    Route("conversation", "/berichten/{bench_conversation}"),
    Route("login page, logged out", "/inloggen", logged_in=False),
]


def member_with_most_tags() -> int:
    """The confirmed member with the most *Ik bied* and *Ik zoek* tags (lowest id on a tie)."""
    from alliance.extensions import db
    from alliance.members.models import Member, MemberTag

    return db.session.scalar(
        select(MemberTag.member_id)
        .join(Member, Member.id == MemberTag.member_id)
        .where(Member.email_confirmed_at.is_not(None))
        .group_by(MemberTag.member_id)
        .order_by(func.count().desc(), MemberTag.member_id)
        .limit(1)
    )


def open_dilemma_missing_perspectives() -> int:
    """A named open dilemma that research and citizens have not answered yet: its page asks the
    perspective meter for members who could help."""
    from alliance.extensions import db
    from alliance.knowledge.models import Item

    return db.session.scalar(
        select(Item.id).where(
            Item.title == "Inkoopdata publiceren: ook de bedragen per leverancier?"
        )
    )


#: Values for the ``{placeholders}`` of paths, looked up in the benchmark database. The bench
#: items are made when the database is built (``benchdata.bench_item``); looking one up in an
#: older database of the same data version makes it there.
LOOKUPS = {
    "member_with_most_tags": member_with_most_tags,
    "item_with_50_replies": lambda: bench_item(50),
    "item_with_5_replies": lambda: bench_item(5),
    "open_dilemma_missing_perspectives": open_dilemma_missing_perspectives,
    "bench_group": bench_group,
    "bench_group_post": bench_group_post,
    # Makes the member's home data (once) and fills in nothing: the path stays "/".
    "bench_member_home": lambda: bench_member_home() and "",
    "bench_group_work": bench_group_work,
    "bench_expert": bench_expert,
    "bench_conversation": bench_conversation,
}

#: The bars of docs/QUALITY.md (Performance) that this benchmark measures.
BARS = {
    "server_p95_ms": 30.0,
    "sql_statements": 15,
    "throughput_share_of_reference": 0.40,
}

#: A statement whose median time reaches this is printed with its SQL.
SLOW_STATEMENT_MS = 2.0


def build_app(database: Path):
    """The app on the bench database, with rate limiting off."""
    from alliance import create_app, freeze_long_lived_objects
    from alliance.extensions import limiter

    app = create_app(bench_config(database))
    limiter.enabled = False
    freeze_long_lived_objects(app)  # as app.py does for a real server
    return app


def resolve_paths(app, routes: list[Route]) -> dict[Route, str]:
    """Each route's path with its placeholders filled in from the database."""
    with app.app_context():
        values = {name: lookup() for name, lookup in LOOKUPS.items()}
    return {route: route.path.format(**values) for route in routes}


def logged_in_client(app):
    """A test client that logged in through the real login form."""
    client = app.test_client()
    response = client.post("/inloggen", data={"email": BENCH_EMAIL, "password": BENCH_PASSWORD})
    if response.status_code != 303:
        raise RuntimeError(f"could not log in as {BENCH_EMAIL}: HTTP {response.status_code}")
    return client


def measure_server_time(
    app, paths: dict[Route, str], requests: int, warmup: int, log=print
) -> tuple[dict[Route, dict], float]:
    """Time ``requests`` GETs of every route in-process, in shuffled rounds so that a slow
    moment of the machine hits all routes alike; count the SQL statements of each request.

    Returns the figures per route, and how many cores other processes kept busy meanwhile."""
    from alliance.extensions import db

    clients = {True: logged_in_client(app), False: app.test_client()}
    with app.app_context():
        counter = StatementCounter(db.engine)
    samples: dict[Route, list[float]] = {route: [] for route in paths}
    cpu_samples: dict[Route, list[float]] = {route: [] for route in paths}
    statement_counts: dict[Route, list[int]] = {route: [] for route in paths}
    sql_ms: dict[Route, list[float]] = {route: [] for route in paths}
    sql_times: dict[Route, dict[str, list[float]]] = {route: {} for route in paths}
    sql_parameters: dict[Route, dict[str, object]] = {route: {} for route in paths}
    last: dict[Route, list[Statement]] = {}
    sizes: dict[Route, int] = {}
    order = list(paths)
    rng = random.Random(0)
    log(
        f"Server time: {warmup} warm-up and {requests} timed requests for each of "
        f"{len(paths)} routes…"
    )
    started = time.perf_counter()
    own_before, machine_before = own_cpu_seconds(), machine_busy_seconds()
    for round_number in range(-warmup, requests):
        rng.shuffle(order)
        for route in order:
            counter.take()
            began, began_cpu = time.perf_counter(), time.thread_time()
            response = clients[route.logged_in].get(paths[route])
            elapsed, cpu = time.perf_counter() - began, time.thread_time() - began_cpu
            statements = counter.take()
            if response.status_code != 200:
                raise RuntimeError(f"{paths[route]} answered {response.status_code}")
            if round_number >= 0:
                samples[route].append(elapsed * 1000)
                cpu_samples[route].append(cpu * 1000)
                sql_ms[route].append(sum(statement.seconds for statement in statements) * 1000)
                for statement in statements:
                    sql_times[route].setdefault(statement.sql, []).append(statement.seconds * 1000)
                    sql_parameters[route][statement.sql] = statement.parameters
                statement_counts[route].append(len(statements))
                last[route], sizes[route] = statements, len(response.data)
            response.close()
        if round_number >= 0 and (round_number + 1) % max(1, requests // 4) == 0:
            log(f"  {round_number + 1}/{requests} rounds")
    with app.app_context():
        counter.stop(db.engine)
    other = (machine_busy_seconds() - machine_before) - (own_cpu_seconds() - own_before)
    other_cores = max(0.0, other) / (time.perf_counter() - started)
    figures = {
        route: {
            "path": paths[route],
            "p50_ms": percentile(samples[route], 0.50),
            "p95_ms": percentile(samples[route], 0.95),
            "max_ms": max(samples[route]),
            "cpu_p50_ms": percentile(cpu_samples[route], 0.50),
            "sql_p50_ms": percentile(sql_ms[route], 0.50),
            "sql_statements": max(statement_counts[route]),
            "sql_statements_min": min(statement_counts[route]),
            "response_bytes": sizes[route],
            "repeated_statements": repeated_statements(last[route]),
            "statements": [
                {"ms": round(statement.seconds * 1000, 3), "sql": " ".join(statement.sql.split())}
                for statement in last[route]
            ],
            "slowest_statement": slowest_statement(sql_times[route]),
            "slow_statements": slow_statements(
                sql_times[route], SLOW_STATEMENT_MS, sql_parameters[route]
            ),
        }
        for route in paths
    }
    return figures, other_cores


def check_list_lengths(app, paths: dict[Route, str], lengths=(5, 500)) -> list[dict]:
    """For each route with a ``list_setting``: its SQL statements at each list length."""
    from alliance.extensions import db

    client = logged_in_client(app)
    with app.app_context():
        counter = StatementCounter(db.engine)
    results = []
    for route, path in paths.items():
        if not route.list_setting:
            continue
        saved = app.config[route.list_setting]
        counts, sizes = {}, {}
        try:
            for length in lengths:
                app.config[route.list_setting] = length
                client.get(path)  # warm: the first request of a length may load more
                counter.take()
                response = client.get(path)
                counts[length], sizes[length] = len(counter.take()), len(response.data)
                if response.status_code != 200:
                    raise RuntimeError(f"{path} answered {response.status_code}")
        finally:
            app.config[route.list_setting] = saved
        results.append(
            {
                "path": path,
                "setting": route.list_setting,
                "statements": counts,
                "response_bytes": sizes,
                "same": len(set(counts.values())) == 1,
            }
        )
    with app.app_context():
        counter.stop(db.engine)
    return results


def measure_throughput(
    database: Path,
    paths: dict[Route, str],
    seconds: float,
    threads: int,
    workers: int,
    stamp: str,
    log=print,
) -> dict:
    """Requests/s of the reference and the ``under_load`` routes under gunicorn, same server."""
    log_path = OUT / f"gunicorn-{stamp}.log"
    log(f"Throughput: gunicorn -w {workers} on loopback ({log_path.relative_to(ROOT)})…")
    results: dict = {"routes": {}}
    with Gunicorn(database, workers, log_path) as server:
        cookie = log_in(server.port, BENCH_EMAIL, BENCH_PASSWORD)
        for route, path in paths.items():
            if not route.under_load:
                continue
            drive(server, path, cookie, min(2.0, seconds), threads)  # warm-up, not counted
            log(f"  {path}: {seconds:g} s with {threads} threads…")
            result = drive(server, path, cookie, seconds, threads)
            results["routes"][route] = asdict(result)
        results["worker_rss_mib"] = server.worker_rss_mib()
    return results


def explain_slow_pages(app, server: dict[Route, dict]) -> list[dict]:
    """For every page over the p95 bar: its statements with a median of
    :data:`SLOW_STATEMENT_MS` or more (at most three), each with SQLite's query plan for the
    parameters it was last sent with."""
    from alliance.extensions import db

    explained = []
    for route, figures in server.items():
        if route is REFERENCE or figures["p95_ms"] <= BARS["server_p95_ms"]:
            continue
        statements = []
        for statement in figures["slow_statements"]:
            with app.app_context():
                plan = explain(db.engine, statement["sql"], statement["parameters"])
            statements.append(statement | {"plan": plan})
        explained.append(
            {
                "label": route.label,
                "path": figures["path"],
                "p95_ms": figures["p95_ms"],
                "statements": statements,
            }
        )
    return explained


def explain(engine, sql: str, parameters) -> list[str]:
    """``EXPLAIN QUERY PLAN`` of one statement, as indented lines (SQLite only)."""
    if engine.dialect.name != "sqlite":
        return []
    connection = engine.raw_connection()
    try:
        rows = connection.cursor().execute(f"EXPLAIN QUERY PLAN {sql}", parameters or ()).fetchall()
    finally:
        connection.close()
    depth: dict[int, int] = {0: 0}
    lines = []
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, 0) + 1
        lines.append("  " * (depth[node] - 1) + detail)
    return lines


def report_reply_growth(server: dict[Route, dict], out=print) -> None:
    """The SQL statements of the item page with 5 and with 50 replies: they must be the same."""
    counts = {
        route.label: figures["sql_statements"]
        for route, figures in server.items()
        if route.label in ("item, 5 replies", "item, 50 replies")
    }
    if len(counts) == 2:
        same = len(set(counts.values())) == 1
        out(
            "\nSQL statements of the item page: "
            + ", ".join(f"{label} → {n}" for label, n in counts.items())
            + (": same, ok" if same else ": GROWS WITH THE REPLIES")
        )


def git_revision() -> str:
    """The commit the benchmark ran on, with ``+dirty`` when the tree has changes."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    revision = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    return revision + ("+dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def parse_arguments(argv=None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--members",
        type=int,
        default=10000,
        help="synthetic members in the database (default 10000)",
    )
    parser.add_argument(
        "--items",
        type=int,
        default=100000,
        help="synthetic knowledge-base items in the database (default 100000)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the demo data (default 1)")
    parser.add_argument(
        "--requests",
        type=int,
        default=200,
        help="timed requests per route in-process (default 200)",
    )
    parser.add_argument(
        "--warmup", type=int, default=20, help="untimed requests per route first (default 20)"
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=10,
        help="seconds of load per route under gunicorn (default 10)",
    )
    parser.add_argument(
        "--threads", type=int, default=4, help="client threads for the load (default 4)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--skip-gunicorn", action="store_true", help="measure in-process only")
    parser.add_argument(
        "--only",
        default="",
        help="only the routes whose label contains this text (and the reference)",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="build the database again even if one of this size exists",
    )
    return parser.parse_args(argv)


def _json_ready(figures: dict[Route, dict]) -> dict[str, dict]:
    return {route.path: value for route, value in figures.items()}


def main(argv=None) -> int:
    """Build or reuse the database, measure, print the tables and write the JSON."""
    args = parse_arguments(argv)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    OUT.mkdir(parents=True, exist_ok=True)
    database = ensure_database(args.members, args.items, args.seed, args.fresh)

    routes = [REFERENCE, *(route for route in ROUTES if args.only in route.label)]
    app = build_app(database)
    paths = resolve_paths(app, routes)
    load_before = os.getloadavg()
    server, other_cores = measure_server_time(app, paths, args.requests, args.warmup)
    list_checks = check_list_lengths(app, paths)
    explained = explain_slow_pages(app, server)
    from alliance.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # gunicorn gets the database to itself

    throughput = None
    if not args.skip_gunicorn:
        throughput = measure_throughput(
            database, paths, args.seconds, args.threads, args.workers, stamp
        )

    out_lines: list[str] = []

    def out(line: str = "") -> None:
        print(line)
        out_lines.append(line)

    out(
        f"\nPage benchmark {stamp}, commit {git_revision()}, "
        f"python bench/pages.py {' '.join(sys.argv[1:] if argv is None else argv)}".rstrip()
    )
    out(
        f"database: {database.name} ({args.members} synthetic members, {args.items} synthetic "
        f"items + the demo network and its knowledge base), "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs"
    )
    out(
        f"load average (1 min) at the start {load_before[0]:.1f}, at the end "
        f"{os.getloadavg()[0]:.1f}; the benchmark itself needs about 2 (workers + client)"
    )
    report_server_time(
        server, REFERENCE, list_checks, args.requests, other_cores, BARS, SLOW_STATEMENT_MS, out
    )
    report_reply_growth(server, out)
    report_explained(explained, BARS, out)
    if throughput:
        report_throughput(throughput, REFERENCE, args.seconds, args.threads, BARS, out)

    result_path = OUT / f"pages-{stamp}.json"
    result_path.write_text(
        json.dumps(
            {
                "stamp": stamp,
                "commit": git_revision(),
                "arguments": vars(args),
                "database": database.name,
                "bars": BARS,
                "load_average_start": load_before,
                "other_cores_busy_in_process": other_cores,
                "server_time": _json_ready(server),
                "list_length_check": list_checks,
                "explained": explained,
                "throughput": (
                    {
                        "routes": _json_ready(throughput["routes"]),
                        "worker_rss_mib": throughput["worker_rss_mib"],
                    }
                    if throughput
                    else None
                ),
                "printed": out_lines,
            },
            indent=2,
            ensure_ascii=False,
            default=str,
        )
    )
    print(f"\nFigures written to {result_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
