"""The app's side of the benchmark: a fresh database and index in a temporary directory, the
corpus posted through the knowledge services as members would, and queries asked through the
app's own search service as a logged-in member.

Every use of the app's code is in this file, so that a restructuring of ``alliance/`` needs
changes here only."""

import atexit
import random
import re
import sys
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as `python bench/relevance/run.py`
    sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402

from alliance import create_app  # noqa: E402
from alliance.core.timeutil import utcnow  # noqa: E402
from alliance.extensions import db  # noqa: E402
from alliance.knowledge.services import (  # noqa: E402
    ItemChange,
    add_reply,
    post_item,
    record_decision,
    record_evaluation,
)
from alliance.members.models import Member  # noqa: E402
from alliance.search.backend import rebuild_index as rebuild  # noqa: E402
from alliance.search.services import SearchQuery, search  # noqa: E402
from alliance.themes.models import Theme  # noqa: E402

MIGRATIONS = ROOT / "migrations"
#: One author per perspective; each writes the replies of that perspective. Names share no
#: word with the queries (names are searchable too).
AUTHORS = {
    "beleid": "Anouk de Wit",
    "uitvoering": "Bart Jacobs",
    "maatschappij": "Carla Veenstra",
    "inwoner": "Dirk Hoekman",
    "onderzoek": "Eva Lindeman",
}
VIEWER = "Frank Mol"
ITEM_URL = re.compile(r"/kennisbank/(\d+)$")
#: Items are dated over about two years, in an order shuffled with this seed: the app breaks
#: ties by date, and the corpus files are written topic by topic.
DATE_SEED = 19


def _postgresql_schema(url: str) -> dict:
    """A schema of its own in the PostgreSQL database at ``url`` (dropped when the process
    ends), as the settings that put the app in it."""
    url = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", url)
    schema = f"relevance_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    atexit.register(drop)
    return {
        "DATABASE_URL": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
        "SEARCH_BACKEND": "postgresql",
    }


def make_app(directory: Path, backend: str = "whoosh", database_url: str = ""):
    """The app on an empty, migrated database: SQLite in ``directory`` with Whoosh, or (with
    ``backend="postgresql"``) a schema of its own in the PostgreSQL database at
    ``database_url``, searched with PostgreSQL."""
    directory.mkdir(parents=True, exist_ok=True)
    if backend == "postgresql":
        database = _postgresql_schema(database_url)
    else:
        database = {
            "DATABASE_URL": f"sqlite:///{directory / 'relevance.sqlite'}",
            "SEARCH_BACKEND": "whoosh",
        }
    app = create_app(
        {
            **database,
            "SEARCH_INDEX_DIR": str(directory / "search"),
            "SECRET_KEY": "relevance-bench-only",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "MAIL_BACKEND": "console",  # nothing is sent: no request runs the after-commit work
            "SITE_URL": "http://127.0.0.1",
        }
    )
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
    return app


def _member(name: str, perspective: str | None) -> Member:
    slug = name.lower().replace(" ", ".")
    member = Member(
        email=f"{slug}@relevance.example",
        name=name,
        password_hash="!",  # nobody logs in
        email_confirmed_at=utcnow(),
        perspective=perspective,
        public_fields=[],
    )
    db.session.add(member)
    return member


def load_corpus(app, corpus: list[dict], progress) -> dict[str, int]:
    """Post every corpus item with its replies, decision and evaluation through the knowledge
    services, commit, and build the search index. Returns corpus id → item id."""
    with app.app_context():
        authors = {perspective: _member(name, perspective) for perspective, name in AUTHORS.items()}
        _member(VIEWER, None)
        db.session.flush()
        themes = dict(db.session.execute(select(Theme.slug, Theme.id)).tuples().all())
        order = [item["id"] for item in corpus]
        random.Random(DATE_SEED).shuffle(order)
        days_ago = {corpus_id: 2 + 5 * rank for rank, corpus_id in enumerate(order)}
        now = utcnow()
        ids = {}
        for number, spec in enumerate(corpus, start=1):
            perspectives = list(AUTHORS)
            author = authors[perspectives[number % len(perspectives)]]
            item = post_item(
                author,
                ItemChange(
                    kind=spec["kind"],
                    title=spec["title"],
                    visibility=spec.get("visibility", "members"),
                    fields=dict(spec["fields"]),
                    theme_ids=[themes[slug] for slug in spec["themes"]],
                    tags=", ".join(spec["tags"]),
                ),
            )
            for reply in spec["replies"]:
                replier = authors[reply["perspective"]]
                add_reply(item, replier, reply["text"], reply["perspective"])
            if spec.get("decision"):
                record_decision(item, author, spec["decision"])
            if spec.get("outcome"):
                record_evaluation(item, author, spec["outcome"], spec["lesson"])
            created = now - timedelta(days=days_ago[spec["id"]])
            item.created_at = item.updated_at = item.last_activity_at = created
            ids[spec["id"]] = item.id
            if number % 20 == 0 or number == len(corpus):
                progress(f"posted {number}/{len(corpus)} items")
        db.session.commit()

        def indexed(kind: str, done: int, total: int) -> None:
            if kind == "item" and done == total:
                progress(f"indexed {done} items")

        rebuild(progress=indexed)
        db.session.remove()
    return ids


class AppSearch:
    """Asks the app's search service as a logged-in member, the way ``/zoeken`` does."""

    def __init__(self, app, ids: dict[str, int]):
        self.app = app
        self.corpus_ids = {item_id: corpus_id for corpus_id, item_id in ids.items()}

    def ask(self, text: str, typing: bool = False, depth: int = 10) -> tuple[list[str], dict]:
        """The corpus ids of the first ``depth`` items found (members and working groups
        left out), and what the app said besides (total, relaxed, corrected)."""
        with self.app.test_request_context():
            viewer = db.session.scalar(select(Member).where(Member.name == VIEWER))
            result = search(SearchQuery(text=text, typing=typing), viewer, page_size=2 * depth)
            found = []
            for hit in result.hits:
                match = ITEM_URL.search(hit.url)
                if match:
                    found.append(self.corpus_ids[int(match.group(1))])
            info = {
                "total": result.total,
                "relaxed": result.relaxed,
                "corrected_from": result.corrected_from,
                "suggestion": result.suggestion,
                "unavailable": result.unavailable,
            }
            db.session.remove()
        return found[:depth], info
