"""Configuration: defaults here, then ``instance/config.py``, then environment variables."""

import os
import secrets
from pathlib import Path

#: Environment variables that override configuration, with the type they are read as.
ENV_SETTINGS: dict[str, type] = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "MAIL_BACKEND": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_USE_TLS": bool,
    "MAIL_USE_SSL": bool,
    "MAIL_DEFAULT_SENDER": str,
    "MAIL_GIVE_UP_AFTER_DAYS": int,
    "MAIL_WARN_AFTER_MINUTES": int,
    "MAIL_KEEP_SENT_DAYS": int,
    "RATELIMIT_STORAGE_URI": str,
    "RATELIMIT_KEY_PREFIX": str,
    "BACKGROUND": str,
    "WORKER_POLL_SECONDS": float,
    "WORKER_DAILY_HOUR": int,
    "SEARCH_INDEX_DIR": str,
    "SEARCH_BACKEND": str,
    "UPLOAD_DIR": str,
    "GROUP_DOCUMENT_MAX_MB": int,
    "GROUP_STORAGE_QUOTA_MB": int,
    "SEARCH_REBUILD_MEMORY_MB": int,
    "SEARCH_REBUILD_PROCS": int,
    "SITE_URL": str,
    "SESSION_COOKIE_SECURE": bool,
    "PREFERRED_URL_SCHEME": str,
    "TRUST_PROXY": bool,
    "SECURITY_CONTACT": str,
    "LOG_FORMAT": str,
    "LOG_LEVEL": str,
    "METRICS_ALLOWED_IPS": str,
    "METRICS_TOKEN": str,
    "HEARTBEAT_DIR": str,
}


class Defaults:
    """Settings that work out of the box for development on the embedded default (SQLite)."""

    SECRET_KEY = "dev-only-change-me"  # replaced by instance/secret_key unless set (see below)
    DATABASE_URL = ""  # empty: SQLite file in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLITE_BUSY_TIMEOUT_MS = 15000

    # Sessions and cookies
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = None  # None: Secure unless debugging, testing or served over plain http
    SESSION_COOKIE_NAME = "alliantie_session"
    REMEMBER_COOKIE_NAME = "alliantie_remember"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION_DAYS = 30
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 14

    # Language
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")

    # Mail: "console" prints messages, "smtp" sends them.
    MAIL_BACKEND = "console"
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 25
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_DEFAULT_SENDER = "Alliantie Open Overheid <noreply@alliantie.example>"
    # Mail that cannot be sent is tried again with growing pauses (one minute, doubling up to an
    # hour) and given up only when it is this many days old: an outage of the mail server loses
    # nothing. Giving up logs a WARNING.
    MAIL_GIVE_UP_AFTER_DAYS = 7
    # A WARNING in the log (from ``flask mail send`` and ``flask mail status``) while the oldest
    # message still waiting is older than this: something for monitoring to alert on.
    MAIL_WARN_AFTER_MINUTES = 60
    # Sent mail is deleted after this many days. Mail quotes people by name and repeats what
    # they posted (also in private working groups), so a copy should not outlive its use: two
    # weeks is enough to answer "did you get my mail?" and to look into a delivery problem.
    MAIL_KEEP_SENT_DAYS = 14

    # Work after a commit (indexing for search, sending e-mail): "threads" does it in a thread
    # of the web process beside each response (the embedded default: nothing else to run);
    # "worker" leaves it to ``flask worker`` processes (README: "More than one machine"), and
    # web processes start no threads for it. ``flask worker`` checks the outboxes every
    # WORKER_POLL_SECONDS and makes the digests and reminders at WORKER_DAILY_HOUR (local time,
    # BABEL_DEFAULT_TIMEZONE; the weekly digest on Monday).
    BACKGROUND = "threads"
    WORKER_POLL_SECONDS = 1.0
    WORKER_DAILY_HOUR = 7

    # Rate limits (Flask-Limiter): memory unless RATELIMIT_STORAGE_URI points at Redis. When
    # Redis is down the limits go on in each process's memory, with a warning in the log, and
    # no request fails because of it (alliance/core/ratelimits.py).
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_KEY_PREFIX = ""  # several networks on one Redis: a prefix of each network's own
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_HEADERS_ENABLED = True
    # Login (alliance/accounts/throttle.py): every attempt per address; failed attempts per
    # account and address (tight: it cannot lock the member out elsewhere); failed attempts per
    # account from all addresses together (slow, against guessing from many addresses; a
    # login link by e-mail lets the member past both account limits).
    LOGIN_LIMITS_PER_ADDRESS = "20 per minute; 200 per day"
    LOGIN_LIMITS_PER_ACCOUNT_AND_ADDRESS = "5 per minute; 30 per hour"
    LOGIN_LIMITS_PER_ACCOUNT = "20 per hour"
    RESET_LIMITS = "5 per minute; 20 per hour"

    # The open-data API (/api/v1/): requests per address. The licence of the open data
    # (None: CC BY 4.0; or a dict with id, name and url).
    API_RATE_LIMITS = "120 per minute; 5000 per hour"
    # The network-health figures (/coordinatie/gezondheid, /jaarbeeld) are kept this many
    # seconds per process (at most 600): computing them all costs about a second at 100,000
    # items (bench/health.py); 0 computes them on every request.
    INSIGHT_CACHE_SECONDS = 600
    OPEN_DATA_LICENCE: dict | None = None

    # Passwords
    PASSWORD_MIN_LENGTH = 12
    PASSWORD_MAX_LENGTH = 128
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4
    RESET_TOKEN_MAX_AGE = 60 * 60  # one hour
    CONFIRM_TOKEN_MAX_AGE = 60 * 60 * 24 * 7
    INVITE_TOKEN_MAX_AGE = 60 * 60 * 24 * 30

    SITE_URL = "http://127.0.0.1:5000"
    PREFERRED_URL_SCHEME = "http"
    TRUST_PROXY = False
    SECURITY_CONTACT = "mailto:security@alliantie.example"
    DIRECTORY_PAGE_SIZE = 24
    # Messages: conversations per page of /berichten, messages shown of a conversation, and
    # the limit for new accounts (younger than this many days) against spam.
    MESSAGES_PAGE_SIZE = 20
    CONVERSATION_PAGE_SIZE = 50
    MESSAGES_NEW_ACCOUNT_DAYS = 14
    MESSAGES_NEW_PER_HOUR = 5
    MESSAGES_NEW_PER_DAY = 20
    ITEMS_PAGE_SIZE = 20
    # Search: the index directory (default instance/search; keep it out of backups, it is
    # rebuilt from the database) and results per page.
    SEARCH_INDEX_DIR = None
    SEARCH_PAGE_SIZE = 10
    # Where search looks: "whoosh" (the index folder above; the embedded default) or
    # "postgresql" (full-text search in the database itself: a table of search documents kept
    # in the same transaction as every change; only with a PostgreSQL DATABASE_URL).
    SEARCH_BACKEND = "whoosh"
    # Uploaded files (profile photos, documents of working groups): a folder of this machine,
    # default instance/uploads. Back it up with the database (``alliance.core.storage``).
    UPLOAD_DIR = None
    # Documents of working groups: the largest file, and what one group may keep in all (every
    # version counted; a deleted document counts until it is removed after 30 days).
    GROUP_DOCUMENT_MAX_MB = 25
    GROUP_STORAGE_QUOTA_MB = 500
    # Postings a rebuild keeps in memory per indexing process before it spills sorted runs to
    # disk and merges them again (which costs a third of a rebuild). About 1 GB per process
    # holds 50,000 items; lower it on a small server, at the cost of a slower rebuild.
    SEARCH_REBUILD_MEMORY_MB = 2048
    # Indexing processes of the rebuild that loading demo data ends with (None: two, or one on
    # a single core). Whoosh forks them from the process that loads; a process that serves
    # requests on SQLite at the same time (the test suite) must say 1: a fork that carries open
    # SQLite connections can corrupt the database file (sqlite.org/howtocorrupt.html, 2.6).
    SEARCH_REBUILD_PROCS = None
    # Development pages (/ontwikkeling: the mail sent since start, the demo people by role and
    # perspective). None: only in debug mode (scripts/dev.sh). They show every message with its
    # links, so never switch them on for a real network.
    DEV_PAGES = None
    # Logs: "json" (one object a line, with the request id) or "text". None: text in debug mode
    # (scripts/dev.sh), JSON otherwise. LOG_LEVEL is the level of the app's own loggers.
    LOG_FORMAT = None
    LOG_LEVEL = "INFO"
    # /metrics (Prometheus): answered only to these addresses (comma-separated addresses or
    # networks) or to a request with "Authorization: Bearer <METRICS_TOKEN>"; anyone else gets
    # a 404. Empty token: no token works.
    METRICS_ALLOWED_IPS = "127.0.0.1, ::1"
    METRICS_TOKEN = ""
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024


def _instance_secret(instance: Path) -> str:
    """No known default key ever signs a real cookie or link: without SECRET_KEY set, a random
    key is made once and kept in ``instance/secret_key`` (readable by the owner only), so that
    several workers and restarts share it."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        draft = instance / f".secret_key.{os.getpid()}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)  # atomic: when workers start together, the first one wins
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def _parse(value: str, kind: type):
    if kind is bool:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return kind(value)


def load_config(app, overrides: dict | None = None) -> None:
    """Fill ``app.config``: defaults, then ``instance/config.py``, then the environment, then
    ``overrides`` (used by tests)."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for name, kind in ENV_SETTINGS.items():
        if name in os.environ:
            app.config[name] = _parse(os.environ[name], kind)
    if overrides:
        app.config.update(overrides)
    if app.config["BACKGROUND"] not in ("threads", "worker"):  # a typo would mean threads
        raise ValueError(f"BACKGROUND is 'threads' or 'worker', not {app.config['BACKGROUND']!r}")
    if app.config["SECRET_KEY"] == Defaults.SECRET_KEY and not app.testing:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if app.config["SESSION_COOKIE_SECURE"] is None:
        plain = app.debug or app.testing or app.config["SITE_URL"].startswith("http://")
        app.config["SESSION_COOKIE_SECURE"] = not plain
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    url = app.config.get("DATABASE_URL") or app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = "sqlite:///" + str(Path(app.instance_path) / "alliantie.sqlite")
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
