"""A database that is down gives a friendly 503 with Retry-After, in the visitor's language,
rendered without the database; the site recovers by itself once the database is back; and
``/readyz`` says which dependency is down."""

import os
import socket
import threading

import pytest

from alliance import create_app
from alliance.extensions import db, limiter
from tests.conftest import free_port

DUTCH = "Even niet beschikbaar"
ENGLISH = "Temporarily unavailable"


def app_on(app, database_url: str, **settings):
    """Another app like the test app, on the database at ``database_url`` (with the test
    schema when that is the test app's PostgreSQL)."""
    engine_options = {}
    if database_url.split(":")[0] == app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]:
        connect_args = app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args", {})
        engine_options["connect_args"] = {
            k: v for k, v in connect_args.items() if k in ("options", "timeout")
        }
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
            "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
            **settings,
        }
    )


def close(server) -> None:
    with server.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def rebind_limiter(app):
    """Each new app binds the one limiter of the process; give it back to the test app."""
    yield
    limiter.init_app(app)
    limiter._storage_dead = False


def assert_unavailable(response, text: str) -> None:
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert text in response.text
    assert "Traceback" not in response.text and "OperationalError" not in response.text
    assert "Content-Security-Policy" in response.headers  # still our headers


def test_postgresql_refusing_connections_gives_a_friendly_503(app, rebind_limiter, caplog):
    # Nothing listens on this port: every connection is refused.
    server = app_on(app, f"postgresql://postgres@127.0.0.1:{free_port()}/test")
    try:
        browser = server.test_client()
        assert_unavailable(browser.get("/"), DUTCH)
        assert_unavailable(browser.get("/kennisbank/"), DUTCH)
        assert_unavailable(
            browser.post("/inloggen", data={"email": "a@example.org", "password": "x" * 12}),
            DUTCH,
        )
        # The language is in the session, not in the database.
        assert browser.post("/taal", data={"lang": "en", "next": "/"}).status_code == 303
        english = browser.get("/agenda/")
        assert_unavailable(english, ENGLISH)
        assert 'lang="en"' in english.text
        # The load balancer's check stays cheap and green.
        assert browser.get("/healthz").status_code == 200
        assert any("database" in r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    finally:
        close(server)


def test_an_unreadable_sqlite_file_gives_a_503_and_the_site_recovers_without_restart(
    app, make_member, tmp_path, rebind_limiter
):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the test database is PostgreSQL (see the proxy test below)")
    real = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    member = make_member()
    missing = tmp_path / "mounted"  # a volume not mounted (yet): the file cannot be opened
    server = app_on(app, f"sqlite:///{missing / os.path.basename(real)}")
    try:
        browser = server.test_client()
        assert_unavailable(browser.get("/"), DUTCH)
        assert browser.get("/readyz").status_code == 503

        os.symlink(os.path.dirname(real), missing)  # the volume is back
        assert browser.get("/").status_code == 200
        login = browser.post("/inloggen", data={"email": member.email, "password": member.password})
        assert login.status_code == 303
        assert browser.get("/readyz").status_code == 200
    finally:
        close(server)


class CuttableLink:
    """A TCP link to the database that can be cut and restored, as a network or a restarting
    database server would: while cut, connections are refused and open ones are dropped."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def restore(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.05)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self) -> None:
        listener, self.listener = self.listener, None
        listener.close()
        with self.lock:
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self.sockets.clear()

    def _accept(self, listener) -> None:
        while self.listener is listener:
            try:
                client, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass


def test_postgresql_going_away_gives_503_and_coming_back_needs_no_restart(
    app, make_member, rebind_limiter
):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("needs the PostgreSQL test database (DATABASE_URL)")
    from sqlalchemy.engine import make_url

    real = make_url(url)
    link = CuttableLink(real.host or "127.0.0.1", real.port or 5432)
    link.restore()
    member = make_member()
    server = app_on(app, real.set(host="127.0.0.1", port=link.port).render_as_string(False))
    try:
        browser = server.test_client()
        assert browser.get("/").status_code == 200  # a pooled connection now exists

        link.cut()
        assert_unavailable(browser.get("/"), DUTCH)
        ready = browser.get("/readyz")
        assert ready.status_code == 503 and "database: down" in ready.text

        link.restore()
        assert browser.get("/").status_code == 200
        login = browser.post("/inloggen", data={"email": member.email, "password": member.password})
        assert login.status_code == 303
        assert browser.get("/readyz").status_code == 200
    finally:
        close(server)
        if link.listener is not None:
            link.cut()


# --- /readyz -------------------------------------------------------------------------------------


def test_readyz_says_every_dependency_is_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert "database: ok" in response.text and "search index: ok" in response.text
    assert "redis" not in response.text  # not configured: the limits are counted in memory


def test_readyz_names_a_redis_that_is_down(app, rebind_limiter):
    server = app_on(
        app, app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0"
    )
    try:
        response = server.test_client().get("/readyz")
        assert response.status_code == 503
        assert "redis: down" in response.text and "database: ok" in response.text
    finally:
        close(server)


def test_readyz_names_a_missing_search_index(app, tmp_path, rebind_limiter):
    server = app_on(app, app.config["SQLALCHEMY_DATABASE_URI"], SEARCH_INDEX_DIR=str(tmp_path))
    try:
        response = server.test_client().get("/readyz")
        assert response.status_code == 503
        assert "search index: down" in response.text and "database: ok" in response.text
        assert server.test_client().get("/").status_code == 200  # the site itself works
    finally:
        close(server)
