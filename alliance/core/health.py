"""When a dependency is down.

- The database: a request that cannot reach it gets a 503 with ``Retry-After`` and a short page
  in the visitor's language, made without the database (no base layout: that asks for the
  logged-in member). No restart is needed when it is back: the engine checks each pooled
  connection before use (``pool_pre_ping``) and opens new ones as they are needed.
- ``/readyz`` says which dependency is down (database, the Redis of the rate limits when
  configured, the search index, ...) with a 503, for monitoring. Load balancers keep asking
  ``/healthz``: with Redis or the index down the site still works, degraded."""

from collections.abc import Callable

from flask import Blueprint, Flask, Response, current_app, render_template, session
from flask_babel import force_locale
from sqlalchemy import exc, text

from alliance.extensions import db, limiter

#: Seconds after which a browser or client may try again.
RETRY_AFTER_SECONDS = 30

#: Errors that mean "the database cannot be reached or cannot answer now" (refused or dropped
#: connections, a locked SQLite file, a full connection pool), not a fault in a query.
DATABASE_UNAVAILABLE = (exc.OperationalError, exc.TimeoutError)

bp = Blueprint("health", __name__)
_checks: dict[str, Callable[[], object]] = {}


def configure_health(app: Flask, checks: dict[str, Callable[[], object]]) -> None:
    """The 503 page for a database that is down, and ``/readyz`` with the database, the rate
    limit storage and ``checks`` (name → a function that raises when that dependency is down)."""
    for error in DATABASE_UNAVAILABLE:
        app.register_error_handler(error, database_unavailable)
    _checks.update(checks)
    app.register_blueprint(bp)


def database_unavailable(error: Exception):
    """A 503 the visitor can read, with Retry-After; nothing in it needs the database."""
    current_app.logger.warning("database unavailable: %s", _first_line(error))
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the session is removed after the request
        pass
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    language = session.get("lang")
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    try:
        with force_locale(language):
            page = render_template("core/unavailable.html", language=language)
    except Exception:  # answer plainly rather than not at all
        current_app.logger.exception("the unavailable page failed")
        page = "<!doctype html><title>503</title><h1>503</h1>"
    return page, 503, headers


def _first_line(error: Exception) -> str:
    original = getattr(error, "orig", None) or error
    line = (str(original).strip().splitlines() or [type(original).__name__])[0][:300]
    # SQLite's extended code says which kind of "disk I/O error" (SQLITE_IOERR_SHORT_READ, …).
    code = getattr(original, "sqlite_errorname", None)
    return f"{line} ({code})" if code else line


def _database() -> None:
    try:
        db.session.execute(text("SELECT 1"))
    finally:
        db.session.rollback()


def _rate_limit_storage() -> None:
    if not limiter.storage.check():
        raise ConnectionError("no answer")


@bp.get("/readyz")
def readyz():
    """Each dependency ``ok`` or ``down``, one a line; 503 when any is down. For monitoring,
    not for the load balancer (``/healthz``)."""
    checks: dict[str, Callable[[], object]] = {"database": _database}
    if not (current_app.config.get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory"):
        checks["redis"] = _rate_limit_storage
    checks.update(_checks)
    lines, down = [], False
    for name, check in checks.items():
        try:
            check()
        except Exception as error:  # any failure means: not usable now
            down = True
            lines.append(f"{name}: down")  # the details (hosts, ports) go to the log only
            current_app.logger.warning("readyz: %s is down: %s", name, _first_line(error))
        else:
            lines.append(f"{name}: ok")
    return Response(
        "\n".join(lines) + "\n",
        status=503 if down else 200,
        mimetype="text/plain",
        headers={"Cache-Control": "no-store"},
    )
