"""Fixtures for every test: the app on a real database (SQLite file, or PostgreSQL when
``DATABASE_URL`` says so), a real SMTP server on loopback, a live server for the browser, and
factories that make members."""

import functools
import os
import re
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from sqlalchemy import create_engine, delete, insert, select, text

from alliance import create_app
from alliance.core.database import wait_for_background_work
from alliance.core.storage import storage
from alliance.extensions import db, limiter
from alliance.pages.home import forget_visitor_counts
from alliance.search.index import create_empty as create_empty_index

TEST_PASSWORD = "groene appels in de herfst"
#: The search tests run on either backend: Whoosh (the default) or, with
#: ``SEARCH_BACKEND=postgresql`` and a PostgreSQL ``DATABASE_URL``, PostgreSQL's full-text
#: search (CI runs them a second time so). The app reads the variable like every setting.
POSTGRESQL_SEARCH = os.environ.get("SEARCH_BACKEND") == "postgresql"
whoosh_only = pytest.mark.skipif(
    POSTGRESQL_SEARCH, reason="about the Whoosh index itself (its folder, its outbox drain)"
)
#: The TOTP secret the factory gives coordinators and administrators (their powers need it).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TEST_TOTP_SECRET, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or ``steps_ahead`` periods later)."""
    import pyotp

    totp = pyotp.TOTP(secret)
    return totp.at(time.time() + steps_ahead * totp.interval)


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- mail: a real SMTP server on loopback ---------------------------------------------------


class Mailbox:
    """Collects what the SMTP server receives."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def to(self, address: str, wait: float = 5.0) -> list[EmailMessage]:
        """Messages sent to ``address``; waits up to ``wait`` seconds for the first one, as the
        app sends mail beside the response, not inside it."""
        deadline = time.monotonic() + wait
        while True:
            found = [m for m in self.messages if m["To"] == address]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.02)

    @staticmethod
    def text(message: EmailMessage) -> str:
        return message.get_body(("plain",)).get_content()

    def link(self, address: str, path_fragment: str) -> str:
        """The first link in the newest message to ``address`` whose URL contains
        ``path_fragment``."""
        for message in reversed(self.to(address)):
            for url in re.findall(r"https?://\S+", self.text(message)):
                if path_fragment in url:
                    return url
        raise AssertionError(f"no link with {path_fragment!r} in mail to {address}")


@pytest.fixture(scope="session")
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    """The messages the app sent during this test, through real SMTP."""
    box: Mailbox = smtp_server.handler
    box.clear()
    return box


# --- database -------------------------------------------------------------------------------


def database_settings(tmp_path_factory) -> tuple[dict, callable]:
    """Engine settings for a database of our own, and a function that removes it again."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        url = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", url)
        schema = f"test_{uuid.uuid4().hex[:12]}"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))

        def drop():
            with admin.connect() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

        options = {"connect_args": {"options": f"-csearch_path={schema}"}}
        return {"DATABASE_URL": url, "SQLALCHEMY_ENGINE_OPTIONS": options}, drop
    path = tmp_path_factory.mktemp("db") / "test.sqlite"
    return {"DATABASE_URL": f"sqlite:///{path}"}, lambda: None


@pytest.fixture(scope="session")
def live_port():
    return free_port()


@pytest.fixture(scope="session")
def app(tmp_path_factory, smtp_server, live_port):
    """The app, once per test session, on a freshly migrated database of its own."""
    from flask_migrate import upgrade

    settings, drop = database_settings(tmp_path_factory)
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_server.port,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8192,
            "ARGON2_PARALLELISM": 1,
            "SITE_URL": f"http://127.0.0.1:{live_port}",
            "SERVER_NAME": None,
            "SEARCH_INDEX_DIR": str(tmp_path_factory.mktemp("search")),
            "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
            "INSIGHT_CACHE_SECONDS": 0,  # every test's own figures
            # No forked indexing processes in this process: they would carry its open SQLite
            # connections (the live server's, the race tests' threads) across the fork.
            "SEARCH_REBUILD_PROCS": 1,
            **settings,
        }
    )
    with application.app_context():
        upgrade(directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
        create_empty_index()
        reference = {
            "theme": [
                dict(row._mapping)
                for row in db.session.execute(select(db.metadata.tables["theme"]))
            ]
        }
    application.extensions["test_reference_data"] = reference
    application.test_client_class = BufferedClient
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    drop()


class BufferedClient(FlaskClient):
    """Reads each response whole and closes it, as a real server does once it has sent it
    (no file handles left open behind a test)."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@functools.cache
def _may_switch_off_triggers() -> bool:
    """Whether this PostgreSQL role may set session_replication_role (superusers may)."""
    return bool(
        db.session.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
    )


def reset_database(application) -> None:
    """Empty every table and put the reference data (themes) back as the migration made it.
    First wait for the after-commit work of the last test (indexing, e-mail): on PostgreSQL a
    TRUNCATE beside it would deadlock."""
    wait_for_background_work()
    with application.app_context():
        tables = list(reversed(db.metadata.sorted_tables))
        postgresql = db.engine.dialect.name == "postgresql"
        if postgresql and not _may_switch_off_triggers():
            names = ", ".join(f'"{t.name}"' for t in tables)
            db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        elif postgresql:
            # DELETE with the foreign-key triggers off for this transaction, then every id
            # sequence back to 1: what TRUNCATE ... RESTART IDENTITY does, at a twentieth of the
            # cost on small tables (TRUNCATE makes new files for all of them: ~200 ms a test).
            db.session.execute(text("SET LOCAL session_replication_role = replica"))
            for table in tables:
                db.session.execute(delete(table))
            db.session.execute(
                text(
                    "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c"
                    " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
                )
            )
        else:
            for table in tables:
                db.session.execute(delete(table))
        for name, rows in application.extensions["test_reference_data"].items():
            if rows:
                db.session.execute(insert(db.metadata.tables[name]), rows)
                if db.engine.dialect.name == "postgresql":  # rows came with their ids
                    db.session.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                            f'(SELECT MAX(id) FROM "{name}"))'
                        )
                    )
        db.session.commit()
        create_empty_index()


@pytest.fixture(autouse=True)
def _clean_state(request):
    """Every test starts from an empty database and fresh rate limits."""
    if "app" not in request.fixturenames:
        yield
        return
    application = request.getfixturevalue("app")
    saved = dict(application.config)
    yield
    application.config.clear()
    application.config.update(saved)
    reset_database(application)
    forget_visitor_counts()  # the visitor's home keeps its counts 5 minutes
    with application.app_context():
        limiter.reset()
        storage().remove_all()  # ids start again at 1: no file of a member before


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def csrf_on(app):
    """Switch CSRF protection on for this test (it is off for the other client tests)."""
    app.config["WTF_CSRF_ENABLED"] = True


# --- factories ------------------------------------------------------------------------------


@dataclass
class MemberInfo:
    """What a test needs to know of a member it made."""

    id: int
    email: str
    name: str
    password: str


@pytest.fixture
def make_member(app):
    """``make_member(name=..., perspective=..., offers=[...], role=...)``: a confirmed member
    (``welcomed=False``: one whose first login still leads to the welcome)."""
    from alliance.core.passwords import hash_password
    from alliance.core.timeutil import utcnow
    from alliance.members.models import Member
    from alliance.members.services import ProfileChange, update_profile
    from alliance.themes.models import Theme

    counter = iter(range(1, 10_000))
    hashes: dict[str, str] = app.extensions.setdefault("test_password_hashes", {})

    def hashed(password: str) -> str:
        """The Argon2 hash of a password, made once per test session (members share one)."""
        if password not in hashes:
            hashes[password] = hash_password(password)
        return hashes[password]

    def make(
        name: str | None = None,
        email: str | None = None,
        password: str = TEST_PASSWORD,
        role: str = "member",
        confirmed: bool = True,
        organisation: str = "",
        organisation_type: str | None = None,
        perspective: str | None = None,
        themes: list[str] = (),
        offers: list[str] = (),
        seeks: list[str] = (),
        bio: str = "",
        public_fields: list[str] = (),
        locale: str | None = None,
        two_factor: bool | None = None,
        welcomed: bool = True,
    ) -> MemberInfo:
        number = next(counter)
        name = name or f"Lid {number}"
        email = email or f"lid{number}@example.org"
        with app.test_request_context(method="POST"):
            member = Member(
                email=email.lower(),
                name=name,
                password_hash=hashed(password),
                role=role,
                locale=locale,
                public_fields=[],
                email_confirmed_at=utcnow() if confirmed else None,
                # A member made here has had their first hour (the welcome after the first
                # login) unless the test says otherwise.
                welcome_seen_at=utcnow() if welcomed else None,
            )
            if two_factor if two_factor is not None else role != "member":
                member.totp_secret = TEST_TOTP_SECRET
                member.totp_enabled_at = utcnow()
            db.session.add(member)
            db.session.flush()
            theme_ids = list(db.session.scalars(select(Theme.id).where(Theme.slug.in_(themes))))
            update_profile(
                member,
                ProfileChange(
                    name=name,
                    organisation=organisation,
                    organisation_type=organisation_type,
                    perspective=perspective,
                    theme_ids=theme_ids,
                    offers=", ".join(offers),
                    seeks=", ".join(seeks),
                    bio=bio,
                    public_fields=list(public_fields),
                ),
            )
            db.session.commit()
            info = MemberInfo(member.id, member.email, name, password)
            db.session.remove()
        return info

    return make


class AuthActions:
    """Log a test client in and out through the real login form."""

    def __init__(self, client):
        self.client = client

    def login(self, member: MemberInfo | str, password: str = TEST_PASSWORD, remember=False):
        email = member.email if isinstance(member, MemberInfo) else member
        if isinstance(member, MemberInfo):
            password = member.password
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        response = self.client.post("/inloggen", data=data)
        if response.status_code == 303 and response.location.endswith("/inloggen/code"):
            return self.second_step()
        return response

    def second_step(self):
        """The code step of two-step login, with the code the app would show now. A code
        works once, and tests log the same account in often within one period: the step used
        last is forgotten first."""
        from alliance.members.models import Member

        with self.client.application.app_context():
            data = self.client.get("/inloggen/code")  # keeps the pending login alive
            assert data.status_code == 200, data.status_code
            with self.client.session_transaction() as session:
                member_id = session["2fa"]["id"]
            member = db.session.get(Member, member_id)
            member.totp_last_step = 0
            secret = member.totp_secret
            db.session.commit()
            db.session.remove()
        return self.client.post("/inloggen/code", data={"code": totp_code(secret)})

    def logout(self):
        return self.client.post("/uitloggen")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def csrf_token_from(html: str) -> str:
    """The CSRF token in a rendered form."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


# --- browser tests are required in CI --------------------------------------------------------

_skipped_browser_tests: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and "tests/browser/" in report.nodeid.replace("\\", "/"):
        _skipped_browser_tests.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """With REQUIRE_BROWSER=1 (CI), a skipped browser test fails the run."""
    if os.environ.get("REQUIRE_BROWSER") == "1" and _skipped_browser_tests:
        print(f"\n{len(_skipped_browser_tests)} browser tests were skipped but are required:")
        for nodeid in _skipped_browser_tests[:10]:
            print("  ", nodeid)
        session.exitstatus = 1


@pytest.fixture
def make_item(app, make_member):
    """``make_item(kind="dilemma", visibility="members", author=..., anonymous=False, ...)``:
    an item posted through the service; returns its id."""
    from alliance.knowledge.services import ItemChange, post_item
    from alliance.members.models import Member
    from alliance.themes.models import Theme

    def make(
        kind: str = "dilemma",
        title: str = "Mogen we e-mails van de wethouder openbaar maken?",
        visibility: str = "members",
        author: MemberInfo | None = None,
        anonymous: bool = False,
        group_id: int | None = None,
        themes: list[str] = (),
        tags: str = "",
        fields: dict | None = None,
    ) -> int:
        author = author or make_member()
        main = "tension" if kind == "dilemma" else "what_we_did"
        with app.test_request_context(method="POST"):
            theme_ids = list(db.session.scalars(select(Theme.id).where(Theme.slug.in_(themes))))
            item = post_item(
                db.session.get(Member, author.id),
                ItemChange(
                    kind=kind,
                    title=title,
                    visibility=visibility,
                    anonymous=anonymous,
                    group_id=group_id,
                    theme_ids=theme_ids,
                    tags=tags,
                    fields=fields or {main: "Openheid tegen privacy."},
                ),
            )
            db.session.commit()
            item_id = item.id
            db.session.remove()
        return item_id

    return make


@pytest.fixture
def drain(app):
    """``drain()``: index every committed change now (what the app does after each request in
    a thread of its own, and what ``flask search drain`` does)."""
    from alliance.search.index import drain_outbox

    def run() -> int:
        with app.app_context():
            done = drain_outbox(wait=30)
            db.session.remove()
            return done

    return run


def count_statements(app, client, url: str) -> int:
    """How many SQL statements one page costs (the page must answer 200)."""
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


@pytest.fixture
def make_group(app, make_member):
    """``make_group(lead=..., members=[...], join_policy=..., size_cap=...)``: a group through
    the services; returns its id."""
    from datetime import timedelta

    from alliance.core.timeutil import utcnow
    from alliance.extensions import db
    from alliance.groups import services
    from alliance.groups.models import Membership
    from alliance.members.models import Member

    def make(lead=None, members=(), join_policy="open", size_cap=8, name="Open source inkopen"):
        lead = lead or make_member()
        with app.test_request_context(method="POST"):
            group = services.start_group(
                db.session.get(Member, lead.id),
                services.GroupChange(
                    name=name,
                    opgave="Hoe kopen we open source software in?",
                    deliverable="Een modelbestek",
                    ends_on=utcnow().date() + timedelta(days=60),
                    join_policy=join_policy,
                    size_cap=size_cap,
                ),
            )
            for member in members:
                membership = Membership(
                    group_id=group.id, member_id=member.id, state="member", joined_at=utcnow()
                )
                db.session.add(membership)
            services._recount(group)
            db.session.commit()
            group_id = group.id
            db.session.remove()
        return group_id

    return make
