"""The search benchmark: index rebuild speed and /zoeken server time, against SQLite FTS5.

    python bench/search.py [--members 10000] [--items 100000] [--procs 2] [--rounds 5]
                           [--fresh-index]

On the database of the page benchmark (``benchdata.ensure_database``) it builds the Whoosh index
with ``alliance.search.index.rebuild`` in-process (things/s), and in the same run an SQLite FTS5
table over the same items (rows/s) as the reference. Then a fixed, seeded mix of queries goes
through ``GET /zoeken`` with the Flask test client, anonymous and logged in, cold (a fresh
searcher for every query) and warm (asked again); the equivalent FTS5 MATCH queries run on the
same corpus. Figures are printed next to the bars of docs/QUALITY.md. See bench/README.md."""

import argparse
import hashlib
import json
import os
import platform
import random
import resource
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from benchdata import BENCH_EMAIL, OUT, ROOT, bench_config, ensure_database
from httpload import percentile
from pages import git_revision, logged_in_client

#: The bars of docs/QUALITY.md (Performance) that this benchmark measures.
BARS = {"http_p95_ms": 100.0, "http_p50_ms": 30.0, "rebuild_per_s": 1000.0}

#: Source files whose change makes an index built earlier unfit for reuse.
INDEX_SOURCES = ("schema.py", "documents.py", "analysis.py", "index.py")


# ---------------------------------------------------------------------------------------------
# The query mix


@dataclass(frozen=True)
class Query:
    """One search as a visitor asks it. ``filters`` use the /zoeken parameter names; a theme is
    given by slug and turned into its id. ``typing`` sends ``HX-Request: true`` (the results
    fragment, the last word as a prefix)."""

    category: str
    text: str
    filters: tuple[tuple[str, str], ...] = ()
    typing: bool = False

    @property
    def label(self) -> str:
        shown = self.text + (" ▌" if self.typing else "")
        if self.filters:
            shown += " [" + ", ".join(f"{k}={v}" for k, v in self.filters) + "]"
        return shown or "(filters only)"


#: Words and phrases of the demo corpus (alliance/demo/item_vocabulary.py, vocabulary.py),
#: per category. Common: in the sentences most items are made of. Rare: the tails of the
#: subject lists and words of the hand-written items only.
COMMON = (
    "gemeente",
    "inwoners",
    "juristen",
    "pilot",
    "budget",
    "leverancier",
    "checklist",
    "raad",
    "persoonsgegevens",
    "bestuur",
    "gegevens",
    "openheid",
)
RARE = (
    "klokkenluidersregeling",
    "leveranciersmanagement",
    "wetsanalyse",
    "soevereiniteit",
    "inventarislijst",
    "omgevingsgesprekken",
    "intervisie",
    "TenderNed",
    "subsidieregister",
    "nevenfuncties",
    "vissers",
    "burgerberaad",
)
AND_POOL = (
    "woo",
    "termijn",
    "algoritme",
    "inwoners",
    "pilot",
    "raad",
    "leverancier",
    "budget",
    "chatbot",
    "archief",
    "juristen",
    "AVG",
    "burgerpanel",
    "terugkoppeling",
    "inkoopdata",
    "website",
    "brieven",
    "uitspraken",
)
PHRASES = (
    '"actieve openbaarmaking"',
    '"gewone taal"',
    '"open source software"',
    '"moeite hebben met lezen"',
    '"vaste werkwijze"',
    '"direct duidelijk"',
    '"sociaal domein"',
    '"persoonsgegevens gelakt"',
    '"kleine gemeente"',
    '"landelijke afspraken"',
)
PREFIXES = (
    "openb",
    "informatiehuish",
    "algor",
    "particip",
    "anonimis",
    "burgerber",
    "klokkenl",
    "actieve openb",
    "open sou",
    "woo-verz",
    "gemeente utr",
    "lak",
)
INFLECTIONS = (
    "ervaringen",
    "dilemma's",
    "gemeenten",
    "inwoner",
    "documenten",
    "algoritmes",
    "brieven",
    "gepubliceerd",
    "uitspraken",
    "besluiten",
)
SYNONYMS = (
    "Woo",
    "Wob",
    "wob-verzoek",
    "OSS",
    "archivering",
    "inspraak",
    "AVG",
    "GDPR",
    "weglakken",
    "wet open overheid",
)
OPERATORS = ("woo OF wob", "algoritme NIET register", "inwoners EN budget")
#: Filters attached to some common words (``filtered``) and asked without text.
FILTER_SETS = (
    (("soort", "dilemma"), ("status", "open")),
    (("soort", "ervaring"),),
    (("thema", "open-informatie"),),
    (("status", "besloten"),),
    (("jaar", "{year}"),),
    (("soort", "dilemma"), ("thema", "open-technologie"), ("jaar", "{year}")),
    (("status", "geevalueerd"), ("thema", "open-communicatie")),
)
FILTERED_WORDS = ("gemeente", "woo", "algoritme", "inwoners", "pilot", "open data", "juristen")


def query_mix(seed: int, year: int) -> list[Query]:
    """The fixed mix: hand-picked words of the corpus, combined with a seeded generator."""
    rng = random.Random(seed)
    queries = [Query("common term", word) for word in COMMON]
    queries += [Query("rare term", word) for word in RARE]
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < 10:
        first, second = rng.sample(AND_POOL, 2)
        pairs.add((first, second))
    queries += [Query("two-word AND", f"{a} {b}") for a, b in sorted(pairs)]
    queries += [Query("phrase", text) for text in PHRASES]
    queries += [Query("typed prefix", text, typing=True) for text in PREFIXES]
    queries += [Query("inflection", word) for word in INFLECTIONS]
    queries += [Query("synonym", word) for word in SYNONYMS]
    queries += [Query("operators", text) for text in OPERATORS]
    for word, filters in zip(FILTERED_WORDS, FILTER_SETS, strict=True):
        filled = tuple((name, value.format(year=year)) for name, value in filters)
        queries.append(Query("with filters", word, filled))
    queries.append(Query("with filters", "gemeente", (("sorteer", "date"),)))
    queries.append(Query("with filters", "woo", (("soort", "member"),)))
    queries.append(Query("with filters", "openb", (("soort", "dilemma"),), typing=True))
    for filters in FILTER_SETS[:3]:
        queries.append(Query("filters only", "", filters))
    return queries


# ---------------------------------------------------------------------------------------------
# The app and the index


def index_directory(database: Path, procs: int) -> Path:
    """Where the index of this database, built with this code and ``procs``, lives."""
    digest = hashlib.sha1()
    for name in INDEX_SOURCES:
        digest.update((ROOT / "alliance" / "search" / name).read_bytes())
    return OUT / f"search-index-{database.stem}-p{procs}-{digest.hexdigest()[:8]}"


def build_app(database: Path, index_dir: Path):
    from alliance import create_app
    from alliance.extensions import limiter

    app = create_app(bench_config(database) | {"SEARCH_INDEX_DIR": str(index_dir)})
    limiter.enabled = False
    return app


def ensure_index(app, index_dir: Path, procs: int, fresh: bool, log=print) -> dict:
    """Rebuild the index in-process (timed) unless one for this corpus and code exists."""
    from alliance.search import Progress
    from alliance.search.index import current_target, rebuild, status

    figures_path = index_dir / "bench-rebuild.json"
    with app.app_context():
        target = current_target()
        if target is not None and target.is_dir() and figures_path.exists() and not fresh:
            figures = json.loads(figures_path.read_text())
            log(
                f"Index: reusing {index_dir.relative_to(ROOT)} (built {figures['stamp']}; "
                "--fresh-index builds it again)"
            )
            return figures | {"reused": True}
        log(f"Index: rebuilding into {index_dir.relative_to(ROOT)} with --procs {procs}…")
        started, cpu_before = time.perf_counter(), _cpu_seconds()
        load_before = os.getloadavg()[0]
        things = rebuild(Progress(), procs=procs)
        seconds = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_before
        state = status()
    figures = {
        "stamp": datetime.now().strftime("%Y%m%d-%H%M%S"),
        "procs": procs,
        "things": things,
        "seconds": seconds,
        "per_s": things / seconds,
        # CPU seconds of this process and its indexing processes: what the rebuild costs,
        # which a busy machine inflates far less than the time on the clock.
        "cpu_seconds": cpu,
        "per_cpu_s": things / max(cpu, 1e-9),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "documents": state["documents"],
        "segments": state["segments"],
        "bytes": sum(p.stat().st_size for p in Path(state["directory"]).iterdir()),
    }
    figures_path.write_text(json.dumps(figures, indent=2))
    log(
        f"Index: {things} things ({state['documents']} documents, {state['segments']} "
        f"segments) in {seconds:.1f} s, {things / seconds:,.0f}/s; {cpu:.1f} CPU s "
        f"({things / max(cpu, 1e-9):,.0f} per CPU second; load {figures['load_before']:.1f} "
        f"before, {figures['load_after']:.1f} after)"
    )
    return figures | {"reused": False}


def _cpu_seconds() -> float:
    """User and system CPU time of this process and of its children that have ended."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _postgresql_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def ensure_postgresql_corpus(args, log=print) -> bool:
    """The same demo data as the SQLite corpus, in the PostgreSQL database (once): the
    migrations, then ``flask demo-data`` with the same size and seed. True when it was built
    now (its search documents then need a rebuild: demo data is written in bulk)."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(_postgresql_url(args.database_url))
    with engine.connect() as connection:
        migrated = "item" in inspect(connection).get_table_names()
        items = connection.execute(text("SELECT count(*) FROM item")).scalar() if migrated else 0
    engine.dispose()
    if items >= args.items and not args.fresh:
        log(f"PostgreSQL corpus: reusing {args.database_url} ({items} items)")
        return False
    if items:
        raise SystemExit(
            f"{args.database_url} holds {items} items, not {args.items}: give an empty database"
        )
    env = dict(
        os.environ,
        FLASK_APP="app.py",
        DATABASE_URL=args.database_url,
        SEARCH_BACKEND="postgresql",
        SECRET_KEY="bench-only-not-a-secret",
    )
    log(f"PostgreSQL corpus: migrations and demo data into {args.database_url}…")
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [
            *flask,
            "demo-data",
            *("--members", str(args.members), "--items", str(args.items)),
            *("--seed", str(args.seed), "--no-search-index"),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return True


def build_postgresql_app(url: str):
    """The app on the PostgreSQL corpus, searching with PostgreSQL."""
    from alliance import create_app
    from alliance.extensions import limiter

    config = bench_config(Path("unused")) | {
        "DATABASE_URL": url,
        "SEARCH_BACKEND": "postgresql",
    }
    app = create_app(config)
    limiter.enabled = False
    return app


def ensure_postgresql_index(app, fresh: bool, log=print) -> dict:
    """``flask search rebuild`` on PostgreSQL (timed), unless the table is filled already."""
    from sqlalchemy import text

    from alliance.extensions import db
    from alliance.search import Progress, postgres

    with app.app_context():
        count = postgres.status()["documents"]
        if count and not fresh:
            log(f"Index: reusing the {count} PostgreSQL search documents (--fresh-index: again)")
            seconds, things = None, None
        else:
            log("Index: rebuilding the PostgreSQL search documents…")
            started = time.perf_counter()
            things = postgres.rebuild(Progress())
            seconds = time.perf_counter() - started
        documents_count = postgres.status()["documents"]
        size = db.session.execute(
            text("SELECT pg_total_relation_size('search_document')")
        ).scalar()
        db.session.remove()
    return {
        "stamp": datetime.now().strftime("%Y%m%d-%H%M%S"),
        "procs": 1,
        "things": things or documents_count,
        "seconds": seconds or 0.0,
        "per_s": (things / seconds) if seconds else 0.0,
        "documents": documents_count,
        "segments": 0,
        "bytes": size,
        "reused": seconds is None,
        "backend": "postgresql",
    }


def corpus_facts(app) -> dict:
    """Counts, the most common year, the theme ids and the bench member's groups."""
    from sqlalchemy import extract, func, select

    from alliance.core.audience import group_ids_of
    from alliance.extensions import db
    from alliance.groups.models import WorkingGroup
    from alliance.knowledge.models import Item
    from alliance.members.models import Member
    from alliance.themes.models import Theme

    with app.app_context():
        year_of = extract("year", Item.created_at)
        years = db.session.execute(
            select(year_of, func.count()).group_by(year_of).order_by(func.count().desc())
        ).all()
        member = db.session.scalar(select(Member).where(Member.email == BENCH_EMAIL))
        facts = {
            "items": db.session.scalar(select(func.count()).select_from(Item)),
            "members": db.session.scalar(select(func.count()).select_from(Member)),
            "groups": db.session.scalar(select(func.count()).select_from(WorkingGroup)),
            "years": {str(int(year)): count for year, count in years},
            "themes": {slug: tid for tid, slug in db.session.execute(select(Theme.id, Theme.slug))},
            "member_groups": sorted(group_ids_of(member)),
        }
        db.session.remove()
    return facts


# ---------------------------------------------------------------------------------------------
# The FTS5 reference


def build_fts(app, database: Path, path: Path, log=print) -> dict:
    """An FTS5 table of every item with the text the index gets (title; the item's text
    fields, tags and replies), read with the same loader as the rebuild; the insert is timed."""
    from alliance.extensions import db
    from alliance.search import documents

    for candidate in (path, Path(f"{path}-journal")):
        candidate.unlink(missing_ok=True)
    log(f"FTS5: reading the items' text and inserting into {path.relative_to(ROOT)}…")
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE VIRTUAL TABLE item_fts USING fts5(title, body, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    read_s = insert_s = 0.0
    rows = 0
    with app.app_context():
        total = documents.count("item")
        connection.execute("BEGIN")
        for ids in documents.all_ids("item"):
            began = time.perf_counter()
            batch = []
            for ref, docs in documents.load("item", ids).items():
                for doc in docs:
                    batch.append((ref, doc.title, f"{doc.body}\n{doc.tags}\n{doc.replies}"))
            db.session.rollback()
            middle = time.perf_counter()
            connection.executemany(
                "INSERT INTO item_fts(rowid, title, body) VALUES (?, ?, ?)", batch
            )
            insert_s += time.perf_counter() - middle
            read_s += middle - began
            rows += len(batch)
            if rows % 20000 < len(batch):
                log(f"   item: {rows:>7} of {total}")
        began = time.perf_counter()
        connection.commit()
        insert_s += time.perf_counter() - began
        db.session.remove()
    connection.close()
    figures = {
        "rows": rows,
        "read_s": read_s,
        "insert_s": insert_s,
        "insert_per_s": rows / insert_s,
        "read_insert_per_s": rows / (read_s + insert_s),
        "bytes": path.stat().st_size,
    }
    log(
        f"FTS5: {rows} rows inserted in {insert_s:.1f} s ({rows / insert_s:,.0f}/s); reading "
        f"them took {read_s:.1f} s"
    )
    return figures


def _fts_string(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def fts_match(query: Query) -> str | None:
    """The FTS5 MATCH expression of the same words: a word, a "phrase", the last word as
    ``"prefix"*`` while typing, OR/NOT/AND as FTS5 operators. No stemming, no synonyms."""
    from alliance.search.engine import AND_WORDS, NOT_WORDS, OR_WORDS, TOKEN

    tokens = list(TOKEN.finditer(query.text))
    parts = []
    for index, match in enumerate(tokens):
        quoted, raw = match.group(1), match.group(2)
        if quoted is not None:
            parts.append(_fts_string(quoted))
        elif raw in AND_WORDS:
            continue
        elif raw in OR_WORDS:
            parts.append("OR")
        elif raw in NOT_WORDS:
            parts.append("NOT")
        else:
            last = index == len(tokens) - 1
            parts.append(_fts_string(raw) + ("*" if query.typing and last else ""))
    return " ".join(parts) or None


def fts_sql(query: Query, viewer: str, facts: dict) -> tuple[str, str, list] | None:
    """(the first-page SQL, the COUNT(*) SQL, parameters) for FTS5; None when FTS5 has no
    equivalent (members and groups are not in the FTS5 table)."""
    filters = dict(query.filters)
    if filters.get("soort") in ("member", "group"):
        return None
    match = fts_match(query)
    where, parameters = [], []
    if match:
        where.append("item_fts MATCH ?")
        parameters.append(match)
    if viewer == "anonymous":
        where.append("+i.visibility = 'public'")
    else:
        groups = ",".join(str(g) for g in facts["member_groups"]) or "NULL"
        where.append(
            f"(+i.visibility IN ('public', 'members') OR "
            f"(+i.visibility = 'group' AND +i.group_id IN ({groups})))"
        )
    if filters.get("soort"):
        where.append("+i.kind = ?")
        parameters.append(filters["soort"])
    if filters.get("status"):
        where.append("+i.status = ?")
        parameters.append(filters["status"])
    if filters.get("jaar"):
        where.append("+i.created_at >= ? AND +i.created_at < ?")
        parameters += [f"{filters['jaar']}-01-01", f"{int(filters['jaar']) + 1}-01-01"]
    if filters.get("thema"):
        where.append("i.id IN (SELECT item_id FROM corpus.item_theme WHERE theme_id = ?)")
        parameters.append(facts["themes"][filters["thema"]])
    # CROSS JOIN: SQLite then always walks the full-text matches first (given the choice, it
    # sometimes walks an item index and evaluates MATCH per row: seconds). The unary + keeps
    # the filters off the item indexes, so a list without words walks ix_item_created_at.
    source = (
        "item_fts CROSS JOIN corpus.item i ON i.id = item_fts.rowid" if match else "corpus.item i"
    )
    condition = " AND ".join(where)
    by_date = filters.get("sorteer") == "date" or not match
    order = "i.created_at DESC" if by_date else "item_fts.rank"
    page = f"SELECT i.id, i.title FROM {source} WHERE {condition} ORDER BY {order} LIMIT 10"
    count = f"SELECT COUNT(*) FROM {source} WHERE {condition}"
    return page, count, parameters


def fts_connect(fts_path: Path, database: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(f"file:{fts_path}?mode=ro", uri=True)
    connection.execute("ATTACH DATABASE ? AS corpus", (f"file:{database}?mode=ro",))
    return connection


def run_fts(connection, statement) -> tuple[float, int]:
    """Milliseconds for the first page and the count, and the count."""
    page, count, parameters = statement
    began = time.perf_counter()
    connection.execute(page, parameters).fetchall()
    total = connection.execute(count, parameters).fetchone()[0]
    return (time.perf_counter() - began) * 1000, total


# ---------------------------------------------------------------------------------------------
# Measuring


VIEWERS = ("anonymous", "member")


@dataclass
class Case:
    """One query asked by one viewer, with everything measured about it."""

    query: Query
    viewer: str
    url: str
    fts: tuple | None
    fragment: bool = True  # typing: sent as htmx (False: the full page with the last word*)
    errors: list[str] = field(default_factory=list)
    total: int | None = None
    relaxed: bool = False
    corrected_from: str | None = None
    suggestion: str | None = None
    cold_ms: float = 0.0
    cold_search_ms: float = 0.0
    warm_ms: list[float] = field(default_factory=list)
    warm_search_ms: list[float] = field(default_factory=list)
    response_bytes: int = 0
    fts_total: int | None = None
    fts_cold_ms: float | None = None
    fts_warm_ms: list[float] = field(default_factory=list)


def make_cases(queries: list[Query], facts: dict) -> list[Case]:
    cases = []
    for query in queries:
        parameters = {"q": query.text} if query.text else {}
        for name, value in query.filters:
            parameters[name] = str(facts["themes"][value]) if name == "thema" else value
        url = "/zoeken?" + urlencode(parameters)
        for viewer in VIEWERS:
            cases.append(Case(query, viewer, url, fts_sql(query, viewer, facts)))
    return cases


class SearchTimer:
    """Wraps ``services.search`` (in this process only) to time it and keep its result."""

    def __init__(self):
        from alliance.search import services

        self.services = services
        self.original = services.search
        self.seconds = 0.0
        self.result = None

        def timed(*args, **kwargs):
            began = time.perf_counter()
            self.result = self.original(*args, **kwargs)
            self.seconds = time.perf_counter() - began
            return self.result

        services.search = timed

    def take(self) -> tuple[float, object]:
        seconds, result, self.seconds, self.result = self.seconds, self.result, 0.0, None
        return seconds * 1000, result

    def restore(self) -> None:
        self.services.search = self.original


def ask(clients: dict, case: Case, timer: SearchTimer) -> tuple[float, float, object] | None:
    """Time one request; None (and the error kept) when it did not answer 200."""
    headers = {"HX-Request": "true"} if case.query.typing and case.fragment else {}
    began = time.perf_counter()
    response = clients[case.viewer].get(case.url, headers=headers)
    elapsed = (time.perf_counter() - began) * 1000
    search_ms, result = timer.take()
    status, case.response_bytes = response.status_code, len(response.data)
    response.close()
    if status != 200:
        case.errors.append(f"HTTP {status}")
        return None
    return elapsed, search_ms, result


def as_full_page(case: Case) -> None:
    """Ask a typed prefix on the full page, the last word with ``*`` (the same prefix search
    without the htmx fragment), for when the fragment does not work."""
    text = case.query.text + "*"
    parameters = {"q": text, **{k: v for k, v in parse_qsl(case.url.split("?", 1)[1]) if k != "q"}}
    case.url, case.fragment = "/zoeken?" + urlencode(parameters), False


def _backend_cpu_s(app) -> float:
    """CPU seconds used so far by the PostgreSQL server processes serving this database (the
    work of a query is done there, not in this process)."""
    from sqlalchemy import text

    from alliance.extensions import db

    with app.app_context():
        pids = db.session.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        ).scalars().all()
        db.session.remove()
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def measure(
    app,
    cases: list[Case],
    rounds: int,
    fts_path: Path,
    database: Path,
    log=print,
    backend: str = "whoosh",
) -> dict:
    """Cold: every case once on a fresh searcher (as right after the index was opened or
    changed). Warm: one untimed round, then ``rounds`` shuffled timed rounds. FTS5 the same:
    cold on a new connection per query, warm on one connection."""
    from alliance.search import engine

    clients = {"anonymous": app.test_client(), "member": logged_in_client(app)}
    timer = SearchTimer()
    rng = random.Random(0)
    order = list(cases)
    try:
        began = time.perf_counter()
        ask(clients, cases[0], timer)
        first_wall = (time.perf_counter() - began) * 1000
        log(
            f"First search after start (opens the index, compiles the templates): "
            f"{first_wall:.0f} ms"
        )
        ask(clients, next(c for c in cases if c.viewer == "member"), timer)  # untimed
        typing = [case for case in cases if case.query.typing]
        fragment_error = None
        for case in typing:  # the htmx fragment, untimed: does it work at all?
            if ask(clients, case, timer) is None:
                fragment_error = f"{case.url} with HX-Request answered {case.errors[-1]}"
                break
        if fragment_error:
            log(
                f"WARNING: {fragment_error}; typed prefixes are asked as the full page with "
                "the last word*, and marked so"
            )
            for case in typing:
                case.errors.clear()
                as_full_page(case)
        view_ms = [0.0]
        if backend == "whoosh":
            view_ms = []
            with app.app_context():
                for _attempt in range(5):
                    engine.forget_views()
                    began = time.perf_counter()
                    engine.current_view()
                    view_ms.append((time.perf_counter() - began) * 1000)
        log(f"Cold: {len(cases)} searches, each on a fresh searcher…")
        rng.shuffle(order)
        for case in order:
            if backend == "whoosh":
                engine.forget_views()
            answer = ask(clients, case, timer)
            if answer is None:
                continue
            case.cold_ms, case.cold_search_ms, result = answer
            case.total = result.total
            case.relaxed = result.relaxed
            case.corrected_from = result.corrected_from
            case.suggestion = result.suggestion
        log(f"Warm: 1 untimed and {rounds} timed rounds of {len(cases)} searches…")
        cpu = {"app_s": 0.0, "database_s": 0.0, "wall_s": 0.0, "requests": 0}
        for round_number in range(-1, rounds):
            rng.shuffle(order)
            if round_number == 0:
                began_cpu, began_wall = time.process_time(), time.perf_counter()
                began_backend = _backend_cpu_s(app) if backend == "postgresql" else 0.0
            for case in order:
                if round_number >= 0:
                    cpu["requests"] += 1
                answer = ask(clients, case, timer)
                if answer is not None and round_number >= 0:
                    case.warm_ms.append(answer[0])
                    case.warm_search_ms.append(answer[1])
        cpu["app_s"] = time.process_time() - began_cpu
        cpu["wall_s"] = time.perf_counter() - began_wall
        if backend == "postgresql":
            cpu["database_s"] = _backend_cpu_s(app) - began_backend
        log(
            f"Warm rounds: {cpu['requests']} searches, wall {cpu['wall_s']:.1f} s, CPU of this "
            f"process {cpu['app_s']:.1f} s + of the database server {cpu['database_s']:.1f} s"
            f" = {1000 * (cpu['app_s'] + cpu['database_s']) / max(cpu['requests'], 1):.1f} ms"
            " CPU per search on average"
        )
    finally:
        timer.restore()

    log("FTS5: the same queries, cold (a new connection each) and warm…")
    rng.shuffle(order)
    for case in order:
        if case.fts is None:
            continue
        connection = fts_connect(fts_path, database)
        case.fts_cold_ms, case.fts_total = run_fts(connection, case.fts)
        connection.close()
    connection = fts_connect(fts_path, database)
    for round_number in range(-1, rounds):
        rng.shuffle(order)
        for case in order:
            if case.fts is not None:
                elapsed, _total = run_fts(connection, case.fts)
                if round_number >= 0:
                    case.fts_warm_ms.append(elapsed)
    connection.close()
    return {
        "first_search_ms": first_wall,
        "fragment_error": fragment_error,
        "fresh_view_ms": sorted(view_ms)[len(view_ms) // 2],
        "cpu": cpu,
    }


# ---------------------------------------------------------------------------------------------
# Report


def summarise(all_cases: list[Case]) -> dict:
    cases = [c for c in all_cases if not c.errors]
    cold = [c.cold_ms for c in cases]
    warm = [ms for c in cases for ms in c.warm_ms]
    fts_cases = [c for c in cases if c.fts is not None]
    fts_cold = [c.fts_cold_ms for c in fts_cases]
    fts_warm = [ms for c in fts_cases for ms in c.fts_warm_ms]

    def p(values, share):
        return percentile(values, share) if values else None

    figures = {
        "searches": len(all_cases),
        "errors": len(all_cases) - len(cases),
        "cold_p50": p(cold, 0.5),
        "cold_p95": p(cold, 0.95),
        "warm_p50": p(warm, 0.5),
        "warm_p95": p(warm, 0.95),
        "warm_search_p50": p([ms for c in cases for ms in c.warm_search_ms], 0.5),
        "cold_search_p50": p([c.cold_search_ms for c in cases], 0.5),
        "fts_cold_p50": p(fts_cold, 0.5),
        "fts_cold_p95": p(fts_cold, 0.95),
        "fts_warm_p50": p(fts_warm, 0.5),
        "fts_warm_p95": p(fts_warm, 0.95),
        "no_hits": sum(1 for c in cases if not c.total),
        "fts_no_hits": sum(1 for c in fts_cases if not c.fts_total),
        "fts_searches": len(fts_cases),
    }
    for phase in ("cold", "warm"):
        ours, theirs = figures[f"{phase}_p95"], figures[f"fts_{phase}_p95"]
        figures[f"{phase}_ratio"] = ours / theirs if ours and theirs else None
    return figures


def _f(value, digits=1, width=6) -> str:
    if value is None:
        return "–".rjust(width)
    return f"{value:{width}.{digits}f}"


def _mark(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def report(
    cases, categories, rebuild, fts_build, facts, extra, args, stamp, database, index_dir, out=print
) -> dict:
    out(
        f"\nSearch benchmark {stamp}, commit {git_revision()}, "
        f"python bench/search.py {' '.join(sys.argv[1:])}".rstrip()
    )
    out(
        f"database: {database.name} ({facts['members']} members, {facts['groups']} working "
        f"groups, {facts['items']} items), {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    if rebuild.get("backend") == "postgresql":
        out(f"index: PostgreSQL, {args.database_url} (SEARCH_BACKEND=postgresql)")
    else:
        out(f"index: {index_dir.relative_to(ROOT)}")
    if extra.get("dirty"):
        out(f"uncommitted changes in the code under test when it started: {extra['dirty']}")

    out(
        "\nIndex rebuild"
        + (
            f" (REUSED: measured {rebuild['stamp']}, not in this run; "
            "--fresh-index measures it again)"
            if rebuild["reused"]
            else ""
        )
    )
    engine_name = (
        "PostgreSQL, alliance.search.postgres.rebuild()"
        if rebuild.get("backend") == "postgresql"
        else f"Whoosh, alliance.search.index.rebuild(procs={rebuild['procs']})"
    )
    out(
        f"  {engine_name}: "
        f"{rebuild['things']} things (members + groups + items) → {rebuild['documents']} "
        f"documents in {rebuild['segments']} segments, {rebuild['bytes'] / 2**20:.0f} MiB"
    )
    out(
        f"      {rebuild['seconds']:.1f} s = {rebuild['per_s']:,.0f} things/s (reading the "
        f"database included)   bar ≥ {BARS['rebuild_per_s']:,.0f}/s: "
        f"{_mark(rebuild['per_s'] >= BARS['rebuild_per_s'])}"
    )
    out(
        f"  FTS5 reference: {fts_build['rows']} items, insert {fts_build['insert_s']:.1f} s = "
        f"{fts_build['insert_per_s']:,.0f} rows/s; with reading the same text "
        f"({fts_build['read_s']:.1f} s) {fts_build['read_insert_per_s']:,.0f} rows/s; "
        f"{fts_build['bytes'] / 2**20:.0f} MiB"
    )
    out(
        f"  Ours ÷ FTS5 (both with reading): "
        f"{rebuild['per_s'] / fts_build['read_insert_per_s']:.2f}"
    )

    out(
        f"\nQueries: {len(cases) // len(VIEWERS)} distinct, each as anonymous and as "
        f"{BENCH_EMAIL} = {len(cases)} searches; cold once each, warm {args.rounds} rounds. "
        f"HTTP = ms around client.get('/zoeken?…') in-process; search() = the part of it spent "
        f"in services.search; FTS5 = first page (LIMIT 10) + COUNT(*)."
    )
    out(
        f"First search after start (opens the index, compiles the templates, not counted): "
        f"{extra['first_search_ms']:.0f} ms; a fresh searcher view alone (what every cold "
        f"search pays, and every search after the index changed): {extra['fresh_view_ms']:.0f} ms"
    )
    header = (
        f"{'category':<15} {'n':>3} │ {'HTTP cold':^13} │ {'HTTP warm':^13} │ "
        f"{'search()':^13} │ {'FTS5 cold':^13} │ {'FTS5 warm':^13} │ {'p95 ÷ FTS5':^13} │"
        f" {'no hits':^9} │ {'err':>3}"
    )
    out("\n" + header)
    out(
        f"{'':<15} {'':>3} │ {'p50':>6} {'p95':>6} │ {'p50':>6} {'p95':>6} │ {'cold':>6} "
        f"{'warm':>6} │ {'p50':>6} {'p95':>6} │ {'p50':>6} {'p95':>6} │ {'cold':>6} "
        f"{'warm':>6} │ {'ours':>4} {'FTS':>4} │"
    )
    out("─" * len(header))
    rows = {}

    def line(label, group):
        s = summarise(group)
        rows[label] = s
        out(
            f"{label:<15} {s['searches']:>3} │ {_f(s['cold_p50'])} {_f(s['cold_p95'])} │ "
            f"{_f(s['warm_p50'])} {_f(s['warm_p95'])} │ {_f(s['cold_search_p50'])} "
            f"{_f(s['warm_search_p50'])} │ {_f(s['fts_cold_p50'])} {_f(s['fts_cold_p95'])} │ "
            f"{_f(s['fts_warm_p50'])} {_f(s['fts_warm_p95'])} │ {_f(s['cold_ratio'])} "
            f"{_f(s['warm_ratio'])} │ {s['no_hits']:>4} {s['fts_no_hits']:>4} │ "
            f"{s['errors']:>3}"
        )

    for category in categories:
        group = [c for c in cases if c.query.category == category]
        marked = category + ("*" if any(c.query.typing and not c.fragment for c in group) else "")
        line(marked, group)
    out("─" * len(header))
    for viewer in VIEWERS:
        line(viewer, [c for c in cases if c.viewer == viewer])
    line("overall", cases)
    overall = rows["overall"]
    out(
        "(n: searches = queries × 2 viewers; search() columns are p50s; 'no hits': searches that found nothing, of those FTS5 "
        "could ask; 'err': searches that did not answer 200, left out of the figures)"
    )
    if extra["fragment_error"]:
        out(
            f"* NOT AS TYPED: {extra['fragment_error']}, so these were asked as the full page "
            "with the last word* (the same prefix search, a bigger page to render)."
        )
    failed = [c for c in cases if c.errors]
    for case in failed:
        out(f"  ERROR {case.errors[0]} ×{len(case.errors)}: {case.url} ({case.viewer})")

    out("\nBars (docs/QUALITY.md), all queries together:")
    for phase in ("warm", "cold"):
        p95, p50 = overall[f"{phase}_p95"], overall[f"{phase}_p50"]
        out(
            f"  HTTP {phase}: p95 {p95:.1f} ms (bar ≤ {BARS['http_p95_ms']:.0f}: "
            f"{_mark(p95 <= BARS['http_p95_ms'])}), p50 {p50:.1f} ms (bar ≤ "
            f"{BARS['http_p50_ms']:.0f}: {_mark(p50 <= BARS['http_p50_ms'])}); "
            f"ours p95 ÷ FTS5 p95 = {overall[f'{phase}_ratio']:.1f}"
        )
    out(
        f"  Rebuild: {rebuild['per_s']:,.0f} things/s (bar ≥ {BARS['rebuild_per_s']:,.0f}: "
        f"{_mark(rebuild['per_s'] >= BARS['rebuild_per_s'])})"
        + (" — reused, from an earlier run" if rebuild["reused"] else "")
    )

    out(
        "\nResults found by both engines (FTS5: items only, exact words, no stemming or "
        "synonyms; ours: every kind the viewer may read):"
    )
    samples = [
        c
        for c in cases
        if c.query.text in SAMPLE_QUERIES
        and c.fts is not None
        and not c.query.filters
        and not c.errors
    ]
    out(f"  {'query':<34} {'viewer':<10} {'ours':>7} {'FTS5':>7}")
    for case in samples:
        out(f"  {case.query.label:<34} {case.viewer:<10} {case.total:>7} {case.fts_total:>7}")

    odd = [c for c in cases if not c.errors and (not c.total or c.relaxed or c.corrected_from)]
    out("\nSearches that found nothing, or only by relaxing or correcting the words:")
    for case in odd:
        how = (
            "nothing"
            if not case.total
            else "relaxed (not every word)"
            if case.relaxed
            else f"corrected to {case.suggestion!r}"
        )
        fts = "n/a" if case.fts is None else case.fts_total
        out(
            f"  {case.query.category:<13} {case.query.label:<40} {case.viewer:<10} {how}; "
            f"ours {case.total}, FTS5 {fts}"
        )
    if not odd:
        out("  none")

    slowest = sorted((c for c in cases if not c.errors), key=lambda c: -percentile(c.warm_ms, 0.5))[
        :10
    ]
    out("\nSlowest searches (warm p50 of each; HTTP ms, search() ms, cold ms, results):")
    for case in slowest:
        out(
            f"  {percentile(case.warm_ms, 0.5):6.1f} {percentile(case.warm_search_ms, 0.5):6.1f}"
            f" {case.cold_ms:6.1f} {case.total:>7}  {case.query.category:<13} "
            f"{case.query.label} ({case.viewer})"
        )
    return rows


SAMPLE_QUERIES = ("gemeente", '"actieve openbaarmaking"', "woo termijn", "ervaringen", "openb")


def dirty_files() -> str:
    """The app's files with uncommitted changes (the tree is shared: say what was measured)."""
    import subprocess

    lines = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no", "alliance", "templates"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    return ", ".join(line[3:] for line in lines.splitlines())


def parse_arguments(argv=None) -> argparse.Namespace:
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
        "--procs", type=int, default=2, help="indexing processes for the rebuild (default 2)"
    )
    parser.add_argument(
        "--rounds", type=int, default=5, help="timed warm rounds over all queries (default 5)"
    )
    parser.add_argument(
        "--query-seed", type=int, default=1, help="seed of the query mix (default 1)"
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="build the database again even if one of this size exists",
    )
    parser.add_argument(
        "--backend",
        choices=("whoosh", "postgresql"),
        default="whoosh",
        help="the app's search backend; postgresql: the corpus (the same demo data, built "
        "once with flask demo-data) in --database-url, searched with PostgreSQL",
    )
    parser.add_argument(
        "--database-url",
        default="postgresql://postgres@127.0.0.1:5432/pgsearch_bench",
        help="the PostgreSQL database of --backend postgresql (created beforehand, may be empty)",
    )
    parser.add_argument(
        "--fresh-index",
        action="store_true",
        help="rebuild the index even if one for this corpus exists",
    )
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_arguments(argv)
    dirty = dirty_files()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    OUT.mkdir(parents=True, exist_ok=True)
    database = ensure_database(args.members, args.items, args.seed, args.fresh)
    index_dir = index_directory(database, args.procs)
    app = build_app(database, index_dir)
    fts_app = app  # the SQLite corpus: read for the FTS5 reference
    if args.backend == "postgresql":
        built = ensure_postgresql_corpus(args)
        app = build_postgresql_app(args.database_url)
        rebuild = ensure_postgresql_index(app, args.fresh_index or built)
    else:
        rebuild = ensure_index(app, index_dir, args.procs, args.fresh_index)
    fts_path = OUT / f"search-fts5-{database.stem}.sqlite"
    fts_build = build_fts(fts_app, database, fts_path)
    facts = corpus_facts(app)
    year = int(max(facts["years"], key=facts["years"].get))
    queries = query_mix(args.query_seed, year)
    categories = list(dict.fromkeys(q.category for q in queries))
    cases = make_cases(queries, facts)
    extra = measure(app, cases, args.rounds, fts_path, database, backend=args.backend)
    extra["dirty"] = dirty

    printed: list[str] = []

    def out(line: str = "") -> None:
        print(line)
        printed.append(line)

    rows = report(
        cases, categories, rebuild, fts_build, facts, extra, args, stamp, database, index_dir, out
    )
    result_path = OUT / f"search-{stamp}.json"
    result_path.write_text(
        json.dumps(
            {
                "stamp": stamp,
                "commit": git_revision(),
                "arguments": vars(args),
                "database": database.name,
                "index": str(index_dir.relative_to(ROOT)),
                "bars": BARS,
                "rebuild": rebuild,
                "fts_build": fts_build,
                "corpus": facts,
                "first_search_ms": extra["first_search_ms"],
                "fresh_view_ms": extra["fresh_view_ms"],
                "cpu": extra["cpu"],
                "fragment_error": extra["fragment_error"],
                "uncommitted_app_files": extra["dirty"],
                "summary": rows,
                "searches": [
                    asdict(case)
                    | {
                        "query": asdict(case.query),
                        "label": case.query.label,
                        "fts": list(case.fts) if case.fts else None,
                    }
                    for case in cases
                ],
                "printed": printed,
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
