"""A Locust mix of visitors and members against gunicorn on PostgreSQL with one ``flask worker``,
then: is every acknowledged post in the database, and does search find it?

    python bench/load/run.py                                   # 30 users for 2 minutes
    python bench/load/run.py --users 30 --spawn-rate 3 --time 2m --search-backend postgresql

Everything runs on loopback and is stopped and removed again at the end:

1. A fresh database ``alliance_load_<pid>`` on ``--server`` (CREATE DATABASE; dropped at the
   end unless ``--keep``), ``flask db upgrade``, ``flask demo-data --members M --items I``
   (the search index is rebuilt by it), and ``--accounts`` load-test members registered through
   the app's own services (``accounts.py``).
2. gunicorn from ``deploy/gunicorn.conf.py`` (``--workers`` sync workers, ``GUNICORN_BIND`` on a
   free loopback port) and one ``flask worker``, configured by the environment as an operator
   would: ``BACKGROUND=worker``, ``SEARCH_BACKEND`` (``--search-backend``; with Whoosh the
   servers and the worker share one ``SEARCH_INDEX_DIR``), rate limits counted in Redis
   (``--redis``, with a key prefix of this run) and ``TRUST_PROXY=1``: each simulated user sends
   its own ``X-Forwarded-For`` address, as the reverse proxy does for real people, so the
   per-address limits keep their production values and count per simulated user. No limit is
   switched off or raised.
3. ``locust --headless -u N -r R -t T`` with ``bench/load/locustfile.py`` (CSV and HTML report in
   the run's folder under ``bench/out/``).
4. The checks, with the servers still running: the worker drains the search outbox; every
   acknowledged post and reply (a 303 with its id) is in the database with its text; searching
   ``/zoeken`` for the unique word in it, logged in as a load-test member, finds it.
5. A table of p50/p95/max per kind of request, the failures and the checks. Exit status 1 on
   any failed request or check."""

import argparse
import json
import math
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import redis
import requests

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # loopback only
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
LOGGED_ERROR = re.compile(r'"level": "(ERROR|CRITICAL)"|^Traceback|\[(ERROR|CRITICAL)\]')


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=30, help="simulated users (-u)")
    parser.add_argument("--spawn-rate", type=float, default=3, help="users started a second (-r)")
    parser.add_argument("--time", default="2m", help="how long the load runs (-t)")
    parser.add_argument("--wait", default="0.5,2", help="think time between tasks, s: MIN,MAX")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--members", type=int, default=500, help="demo members")
    parser.add_argument("--items", type=int, default=5000, help="demo items")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--accounts", type=int, help="load-test members (default: --users)")
    parser.add_argument("--search-backend", choices=("whoosh", "postgresql"), default="whoosh")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/0",
        help="rate-limit storage ('' or memory:// counts per worker process)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and the index")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


class Run:
    """One run: its database, folder, environment and processes."""

    def __init__(self, options: argparse.Namespace):
        self.options = options
        stamp = time.strftime("%Y%m%d-%H%M%S")
        self.out = ROOT / "bench" / "out" / f"load-{stamp}-{os.getpid()}"
        self.out.mkdir(parents=True)
        self.database = f"alliance_load_{os.getpid()}"
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.processes: dict[str, subprocess.Popen] = {}
        self.redis = self._rate_limit_storage(options.redis)
        self.env = self._environment()

    # --- setup -----------------------------------------------------------------------------

    def _rate_limit_storage(self, uri: str) -> str:
        if not uri or uri.startswith("memory://"):
            return "memory://"
        try:
            redis.Redis.from_url(uri, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            say(f"Redis at {uri} does not answer ({error}): rate limits counted per process")
            return "memory://"
        return uri

    def _environment(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("FLASK_", "GUNICORN_", "WEB_CONCURRENCY", "SEARCH_"))
        }
        env.update(
            DATABASE_URL=f"{self.options.server}/{self.database}",
            SECRET_KEY=secrets.token_urlsafe(32),
            SEARCH_BACKEND=self.options.search_backend,
            SEARCH_INDEX_DIR=str(self.out / "search"),
            UPLOAD_DIR=str(self.out / "uploads"),
            HEARTBEAT_DIR=str(self.out / "heartbeat"),
            PROMETHEUS_MULTIPROC_DIR=str(self.out / "prometheus"),
            BACKGROUND="worker",
            SITE_URL=self.base,
            TRUST_PROXY="1",
            RATELIMIT_STORAGE_URI=self.redis,
            RATELIMIT_KEY_PREFIX=f"alliance-load-{os.getpid()}",
            MAIL_BACKEND="console",
            LOG_FORMAT="json",
            GUNICORN_BIND=f"{HOST}:{self.port}",
            WEB_CONCURRENCY=str(self.options.workers),
            FLASK_APP="app.py",
            PYTHONPATH=str(ROOT),
            PYTHONUNBUFFERED="1",
        )
        return env

    def create_database(self) -> None:
        with psycopg.connect(f"{self.options.server}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')

    def drop_database(self) -> None:
        with psycopg.connect(f"{self.options.server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def sql(self, statement: str, *parameters) -> list[tuple]:
        with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as connection:
            return connection.execute(statement, parameters).fetchall()

    def program(self, name: str, *arguments: str) -> None:
        """Run a program of the venv to its end (its output in ``<name>.log``)."""
        log = self.out / f"{name}.log"
        with log.open("w") as output:
            done = subprocess.run(
                [*arguments], cwd=ROOT, env=self.env, stdout=output, stderr=subprocess.STDOUT
            )
        if done.returncode:
            raise SystemExit(f"{' '.join(arguments)} failed:\n{log.read_text()[-3000:]}")

    def set_up(self) -> None:
        started = time.monotonic()
        say(f"database {self.database}, folder {self.out.relative_to(ROOT)}")
        self.create_database()
        self.program("migrate", str(BIN / "flask"), "db", "upgrade")
        o = self.options
        self.program(
            "demo-data",
            *(str(BIN / "flask"), "demo-data", "--members", str(o.members)),
            *("--items", str(o.items), "--seed", str(o.seed)),
        )
        accounts = o.accounts or o.users
        self.program(
            "accounts", sys.executable, str(HERE / "accounts.py"), str(accounts), str(self.accounts)
        )
        say(
            f"set up in {time.monotonic() - started:.0f} s: {o.members} demo members, "
            f"{o.items} demo items, {accounts} load-test members"
        )

    @property
    def accounts(self) -> Path:
        return self.out / "accounts.json"

    @property
    def acks(self) -> Path:
        return self.out / "acknowledged.jsonl"

    # --- processes -------------------------------------------------------------------------

    def start(self, name: str, *arguments: str, env: dict | None = None) -> subprocess.Popen:
        with (self.out / f"{name}.log").open("w") as output:
            process = subprocess.Popen(
                [*arguments],
                cwd=ROOT,
                env=env or self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes[name] = process
        return process

    def wait_for(self, name: str, condition, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            process = self.processes[name]
            if process.poll() is not None or time.monotonic() > deadline:
                log = (self.out / f"{name}.log").read_text()[-3000:]
                raise SystemExit(f"{name} did not start (exit {process.returncode}):\n{log}")
            time.sleep(0.2)

    def start_servers(self) -> None:
        self.start("gunicorn", str(BIN / "gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"))
        self.wait_for("gunicorn", self._answers, 120)
        self.start("worker", str(BIN / "flask"), "worker")
        self.wait_for("worker", lambda: "started" in (self.out / "worker.log").read_text(), 60)
        say(
            f"gunicorn ({self.options.workers} workers) at {self.base}, one flask worker; "
            f"search: {self.options.search_backend}; rate limits: {self.redis}"
        )

    def _answers(self) -> bool:
        try:
            return requests.get(f"{self.base}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def stop(self, name: str, timeout: float = 40) -> int | None:
        process = self.processes.pop(name, None)
        if process is None:
            return None
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            return process.wait()

    # --- the load --------------------------------------------------------------------------

    def locust_command(self) -> list[str]:
        o = self.options
        return [
            str(BIN / "locust"),
            *("-f", str(HERE / "locustfile.py"), "--headless"),
            *("-u", str(o.users), "-r", str(o.spawn_rate), "-t", o.time),
            *("--host", self.base, "--csv", str(self.out / "locust")),
            *("--json-file", str(self.out / "locust")),  # Locust adds ".json"
            *("--html", str(self.out / "locust.html")),
            *("--stop-timeout", "30", "--only-summary"),
        ]

    def load(self) -> int:
        env = dict(
            self.env,
            LOAD_ACCOUNTS=str(self.accounts),
            LOAD_ACKS=str(self.acks),
            LOAD_WAIT=self.options.wait,
        )
        command = self.locust_command()
        say(
            "locust: "
            + shlex.join(Path(part).name if part == command[0] else part for part in command)
        )
        process = self.start("locust", *command, env=env)
        return process.wait()

    # --- the checks ------------------------------------------------------------------------

    def acknowledged(self) -> list[dict]:
        if not self.acks.exists():
            return []
        return [json.loads(line) for line in self.acks.read_text().splitlines() if line]

    def wait_until_drained(self, timeout: float = 120) -> tuple[bool, float]:
        """Seconds until the search outbox is empty (the worker indexed every change)."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            try:
                waiting = self.sql("SELECT count(*) FROM search_outbox")[0][0]
            except psycopg.errors.UndefinedTable:  # a search backend without an outbox
                waiting = 0
            if waiting == 0:
                return True, time.monotonic() - started
            time.sleep(0.2)
        return False, time.monotonic() - started

    def missing_from_database(self, acks: list[dict]) -> list[str]:
        items = {a["id"]: a for a in acks if a["kind"] == "item"}
        replies = {a["id"]: a for a in acks if a["kind"] == "reply"}
        missing = []
        rows = dict(self.sql("SELECT id, title FROM item WHERE id = ANY(%s)", list(items)))
        for item_id, ack in items.items():
            if rows.get(item_id) != ack["title"]:
                missing.append(f"item {item_id} {ack['title']!r}: {rows.get(item_id)!r}")
        rows = {
            reply_id: (item_id, body)
            for reply_id, item_id, body in self.sql(
                "SELECT id, item_id, body FROM reply WHERE id = ANY(%s)", list(replies)
            )
        }
        for reply_id, ack in replies.items():
            item_id, body = rows.get(reply_id, (None, ""))
            if item_id != ack["item"] or ack["word"] not in body:
                missing.append(f"reply {reply_id} on item {ack['item']}: not there")
        return missing

    def not_found_by_search(self, acks: list[dict]) -> tuple[list[str], list[float]]:
        """Search for each acknowledged write's unique word, logged in as a load-test member:
        the item (or the item the reply is on) must be among the hits."""
        browser = requests.Session()
        browser.headers["X-Forwarded-For"] = "10.78.0.1"
        data = json.loads(self.accounts.read_text())
        page = browser.get(f"{self.base}/inloggen", timeout=30).text
        answer = browser.post(
            f"{self.base}/inloggen",
            data={
                "csrf_token": CSRF.search(page).group(1),
                "email": data["emails"][0],
                "password": data["password"],
                "next": "",
            },
            allow_redirects=False,
            timeout=30,
        )
        if answer.status_code != 303:
            return [f"the checking login answered {answer.status_code}"], []
        missing, seconds = [], []
        # The control: a word nobody posted finds no item (else the check below proves nothing).
        control = browser.get(f"{self.base}/zoeken?q=kzqqqqqqqqqq", timeout=30)
        if control.status_code != 200 or re.search(r'href="/kennisbank/\d+', control.text):
            missing.append(f"the control search found an item ({control.status_code})")
        for ack in acks:
            item_id = ack["id"] if ack["kind"] == "item" else ack["item"]
            started = time.perf_counter()
            response = browser.get(
                f"{self.base}/zoeken?{urlencode({'q': ack['word']})}", timeout=30
            )
            seconds.append(time.perf_counter() - started)
            found = re.search(rf'href="/kennisbank/{item_id}["#]', response.text)
            if response.status_code != 200 or not found:
                missing.append(f"{ack['kind']} {ack['id']} ({ack['word']}): {response.status_code}")
        return missing, seconds

    def logged_errors(self) -> list[str]:
        """Lines of the servers' and the worker's logs at ERROR or worse, and tracebacks: a
        failure that answered well (in a hook after the response, in the worker) shows here."""
        found = []
        for name in ("gunicorn", "worker"):
            for line in (self.out / f"{name}.log").read_text(errors="replace").splitlines():
                if LOGGED_ERROR.search(line):
                    found.append(f"{name}.log: {line[:300]}")
        return found


# --- the report ------------------------------------------------------------------------------


def read_stats(path: Path) -> list[dict]:
    """Locust's final figures (``--json-file``, written after the last user stopped; its CSV
    is written when the time is up and misses the requests of the users' last tasks): a row per
    kind of request and one for all."""
    entries = json.loads(path.read_text()) if path.exists() else []
    if not entries:
        return []
    started = min(entry["start_time"] for entry in entries)
    ended = max(entry["last_request_timestamp"] or started for entry in entries)
    seconds = max(ended - started, 1e-9)
    rows = [_row(entry["name"], entry["method"], [entry], seconds) for entry in entries]
    rows.sort(key=lambda row: row["name"])
    return [*rows, _row("all requests", "", entries, seconds)]


def _row(name: str, method: str, entries: list[dict], seconds: float) -> dict:
    times: Counter = Counter()
    for entry in entries:
        times.update({int(ms): count for ms, count in entry["response_times"].items()})
    count = sum(entry["num_requests"] for entry in entries)
    return {
        "name": name,
        "method": method,
        "requests": count,
        "failures": sum(entry["num_failures"] for entry in entries),
        "per_second": count / seconds,
        "p50": _percentile(times, 0.50),
        "p95": _percentile(times, 0.95),
        "max": max(entry["max_response_time"] for entry in entries),
    }


def _percentile(times: Counter, share: float) -> int:
    """Nearest-rank percentile of Locust's response times (ms; Locust keeps them exact below
    100 ms, to 10 ms below 1 s and to 100 ms above)."""
    rank, seen = max(1, math.ceil(sum(times.values()) * share - 1e-9)), 0
    for ms in sorted(times):
        seen += times[ms]
        if seen >= rank:
            return ms
    return 0


def stats_table(rows: list[dict]) -> str:
    lines = [
        f"| {'kind of request':<38} | {'method':<6} | {'requests':>8} | {'failed':>6} | "
        f"{'req/s':>5} | {'p50 ms':>6} | {'p95 ms':>6} | {'max ms':>6} |",
        f"|{'-' * 40}|{'-' * 8}|{'-' * 10}|{'-' * 8}|{'-' * 7}|{'-' * 8}|{'-' * 8}|{'-' * 8}|",
    ]
    for row in rows:
        lines.append(
            f"| {row['name']:<38} | {row['method']:<6} | {row['requests']:>8} | "
            f"{row['failures']:>6} | {row['per_second']:>5.1f} | {row['p50']:>6} | "
            f"{row['p95']:>6} | {row['max']:>6.0f} |"
        )
    return "\n".join(lines)


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> int:
    options = arguments()
    if not (BIN / "locust").exists():
        raise SystemExit("Locust is not installed: .venv/bin/pip install -r bench/requirements.txt")
    run = Run(options)
    failures: list[str] = []
    try:
        say(f"load average {load_average()} (2 cores shared)")
        run.set_up()
        run.start_servers()
        load_before = load_average()
        locust_status = run.load()
        load_after = load_average()
        say(f"locust ended ({locust_status}); load average {load_before} → {load_after}")
        rows = read_stats(run.out / "locust.json")
        errors = rows[-1]["failures"] if rows else -1
        if not rows:
            failures.append(f"no figures from Locust (see {run.out.name}/locust.log)")
        elif errors:
            failures.append(f"{errors} failed requests (see {run.out.name}/locust_failures.csv)")
        if locust_status:
            failures.append(f"locust exited with {locust_status}")

        acks = run.acknowledged()
        items = sum(1 for ack in acks if ack["kind"] == "item")
        drained, drain_seconds = run.wait_until_drained()
        if not drained:
            failures.append(f"the search outbox was not empty after {drain_seconds:.0f} s")
        in_database = run.missing_from_database(acks)
        by_search, search_seconds = run.not_found_by_search(acks)
        failures += [f"not in the database: {what}" for what in in_database]
        failures += [f"not found by search: {what}" for what in by_search]
        logged = run.logged_errors()
        failures += logged

        print()
        print(
            f"Locust, {options.users} users ({options.spawn_rate}/s), {options.time}, "
            f"think time {options.wait} s; gunicorn {options.workers} sync workers + one "
            f"flask worker; PostgreSQL; search {options.search_backend}; "
            f"{options.members} demo members, {options.items} demo items"
        )
        print(f"load average before {load_before}, after {load_after}")
        print()
        print(stats_table(rows))
        print("(ms as the client saw them; Locust keeps them to 10 ms above 100, 100 ms above 1 s)")
        print()
        checks = [
            ("failed requests", "0" if errors == 0 else str(errors)),
            ("acknowledged posts / replies", f"{items} / {len(acks) - items}"),
            (
                "search outbox drained by the worker",
                f"{'yes' if drained else 'NO'}, {drain_seconds:.1f} s after the load",
            ),
            ("acknowledged writes missing from the database", str(len(in_database))),
            (
                "acknowledged writes not found by /zoeken",
                f"{len(by_search)} of {len(acks)}"
                + (f" (search p50 {_median(search_seconds) * 1000:.0f} ms)" if acks else ""),
            ),
            ("errors in the logs of gunicorn and the worker", str(len(logged))),
        ]
        for label, value in checks:
            print(f"  {label:<48} {value}")
        summary = {
            "command": sys.argv,
            "locust": run.locust_command(),
            "stats": rows,
            "checks": dict(checks),
            "failures": failures,
        }
        (run.out / "summary.json").write_text(json.dumps(summary, indent=1))
    except KeyboardInterrupt:
        failures.append("interrupted")
    finally:
        for name in ("locust", "worker", "gunicorn"):
            run.stop(name)
        if not options.keep:
            run.drop_database()
            for folder in ("search", "uploads"):
                subprocess.run(["rm", "-rf", str(run.out / folder)], check=False)
    print()
    if failures:
        print("FAILED:")
        for failure in failures[:50]:
            print(f"  {failure}")
        return 1
    print(
        f"OK: 0 errors, every acknowledged write in the database and found by search "
        f"(logs and reports in {run.out.relative_to(ROOT)})"
    )
    return 0


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


if __name__ == "__main__":
    sys.exit(main())
