"""The database: engine settings per dialect and one commit per request."""

import threading

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from alliance.core import logs
from alliance.extensions import db, migrate

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _sqlite_begin_statement() -> str:
    """Writes take the write lock when they begin, so two writers never deadlock on an
    upgrade from a read lock ("database is locked"); plain page views stay concurrent readers."""
    if has_request_context() and request.method not in WRITE_METHODS and not _writes_on_get():
        return "BEGIN"
    return "BEGIN IMMEDIATE"


def _writes_on_get() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "writes_on_get", False))


def writes_on_get(view):
    """Mark a GET view that also writes (a group page remembers the visit): it takes the write
    lock when its transaction begins, like a POST, instead of failing to upgrade a read lock
    while another process writes."""
    view.writes_on_get = True
    return view


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql(_sqlite_begin_statement())


def configure_database(app: Flask) -> None:
    """Bind SQLAlchemy and Alembic, tune SQLite, and commit once at the end of each request.
    (``create_app`` has imported every model by then: ``alliance.models``.)"""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if url.startswith("sqlite"):
        options.setdefault("connect_args", {}).update(
            {"timeout": app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000, "check_same_thread": False}
        )
    else:
        options.setdefault("pool_pre_ping", True)
        # A database host that does not answer at all: a 503 after seconds, not minutes.
        options.setdefault("connect_args", {}).setdefault("connect_timeout", 5)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])

    @app.after_request
    def commit_the_request(response):
        """The one commit of a request: only when the response says it succeeded. Work that
        must follow the commit (sending e-mail) runs beside the response, never inside it."""
        callbacks = g.pop("after_commit", [])
        if response.status_code >= 400:
            db.session.rollback()
            return response
        db.session.commit()
        if callbacks and app.config["BACKGROUND"] == "worker":
            # A worker process drains the outboxes: what is left here is small (a file to
            # delete, a timestamp to note) and runs now, without a thread.
            _run_callbacks(app, callbacks)
        elif callbacks:
            # In a thread of its own: the response does not wait for it, and how long it takes
            # (an SMTP server, say) tells nothing about what the request found.
            thread = threading.Thread(
                target=_run_after_response,
                args=(app, callbacks, logs.current_request_id()),
                daemon=True,
            )
            with _background_lock:
                _background.add(thread)
            thread.start()
        return response


_background: set[threading.Thread] = set()
_background_lock = threading.Lock()


def wait_for_background_work(timeout: float = 30.0) -> None:
    """Wait until the after-commit work of earlier requests has finished (tests, shutdown)."""
    with _background_lock:
        running = list(_background)
    for thread in running:
        thread.join(timeout)


def _run_callbacks(app: Flask, callbacks: list) -> None:
    for callback in callbacks:
        try:
            callback()
        except Exception:  # the change is committed; a failing side effect is retried later
            app.logger.exception("after-commit work failed")
            db.session.rollback()


def _run_after_response(app: Flask, callbacks: list, request_id: str | None = None) -> None:
    logs.set_request_id(request_id)  # this thread's lines belong to the request
    with app.app_context():
        _run_callbacks(app, callbacks)
        db.session.remove()
    with _background_lock:
        _background.discard(threading.current_thread())


def after_commit(callback) -> None:
    """Run ``callback`` once this request's transaction has been committed (e.g. send e-mail)."""
    g.setdefault("after_commit", []).append(callback)


def drain_after_commit(drain) -> None:
    """Drain an outbox once this request's transaction has been committed: ``drain`` runs in
    a thread beside the response (``BACKGROUND = "threads"``, the embedded default), or not at
    all when ``flask worker`` processes drain the outboxes (``BACKGROUND = "worker"``): the
    rows wait for them."""
    if current_app.config["BACKGROUND"] != "worker":
        after_commit(drain)


def end_read_transaction() -> None:
    """End the current transaction before slow work (password hashing) when nothing has been
    written yet, so that a write request does not hold SQLite's write lock meanwhile."""
    session = db.session
    if not (session.new or session.dirty or session.deleted):
        session.rollback()


def id_batches(model, batch: int = 1000):
    """Every id of ``model``, oldest first, in lists of at most ``batch`` (keyset paging: each
    batch starts after the last id of the one before), for a rebuild that reads everything."""
    last = 0
    while True:
        ids = db.session.scalars(
            select(model.id).where(model.id > last).order_by(model.id).limit(batch)
        ).all()
        if not ids:
            return
        yield list(ids)
        last = ids[-1]
