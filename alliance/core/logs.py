"""Logs an operator can search: one JSON object a line (``LOG_FORMAT=json``, the default) or
plain text (``LOG_FORMAT=text``, what ``scripts/dev.sh`` and debug mode use), each line with the
id of the request it belongs to.

The id comes from the ``X-Request-ID`` header when a proxy or load balancer sent a sane one
(letters, digits and ``._:-``, 8 to 128 characters), otherwise it is made here. It goes back in
the response's ``X-Request-ID`` header and on the error pages, so a member can quote it and the
operator finds every line of that request. Work done after the response for that request (the
after-commit thread: indexing, e-mail) logs under the same id."""

import json
import logging
import re
import sys
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from flask import Flask, request
from flask.logging import default_handler

HEADER = "X-Request-ID"
#: What we accept from a proxy: no spaces, quotes or newlines that could forge a log line.
SANE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request being handled (or whose after-commit work runs), else None."""
    return _request_id.get()


def set_request_id(value: str | None):
    """Make ``value`` the current request id (for a thread that works for a request); returns
    a token for ``reset_request_id``."""
    return _request_id.set(value)


def reset_request_id(token) -> None:
    """Undo ``set_request_id``."""
    _request_id.reset(token)


def request_id_from(header: str | None) -> str:
    """The proxy's id when it is sane, otherwise a new one."""
    if header and SANE_ID.match(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on every record that passes the handler ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = _request_id.get() or _id_from_access_log(record) or "-"
        return True


def _id_from_access_log(record: logging.LogRecord) -> str | None:
    """Gunicorn's access log line is written after the request: its id is the response
    header gunicorn hands over with the line (``deploy/gunicorn.conf.py``)."""
    if record.name != "gunicorn.access" or not hasattr(record.args, "__getitem__"):
        return None
    try:
        value = record.args["{x-request-id}o"]
    except (KeyError, TypeError, IndexError):
        return None
    return value if value and value != "-" else None


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request_id, and the
    traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or "-",
            "process": record.process,
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"


class _StandardError(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the moment (a test harness may replace it)."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def make_handler(log_format: str) -> logging.Handler:
    """The handler every line goes through: JSON or text, with the request id."""
    handler = _StandardError()
    handler.addFilter(RequestIdFilter())
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    handler.alliance_logs = True  # ours: replaced, not doubled, when another app is made
    return handler


def configure_logging(app: Flask) -> None:
    """One handler on the root logger in the configured format (``LOG_FORMAT``: ``json`` or
    ``text``; default text in debug mode, JSON otherwise) at ``LOG_LEVEL``, and a request id
    for every request."""
    log_format = app.config.get("LOG_FORMAT") or ("text" if app.debug else "json")
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "alliance_logs", False):
            root.removeHandler(handler)
    root.addHandler(make_handler(log_format))
    app.logger.removeHandler(default_handler)  # the app's lines go through the root's handler
    if not app.debug:
        logging.getLogger("alliance").setLevel(app.config.get("LOG_LEVEL") or "INFO")

    @app.before_request
    def take_a_request_id():
        request.environ["alliance.request_id"] = request_id_from(request.headers.get(HEADER))
        request.environ["alliance.request_id_token"] = _request_id.set(
            request.environ["alliance.request_id"]
        )

    @app.after_request
    def send_the_request_id(response):
        value = request.environ.get("alliance.request_id")
        if value:
            response.headers[HEADER] = value
        return response

    @app.teardown_request
    def forget_the_request_id(_error=None):
        token = request.environ.pop("alliance.request_id_token", None)
        if token is not None:
            try:
                _request_id.reset(token)
            except ValueError:  # set in another context (a streamed response): just clear it
                _request_id.set(None)

    app.jinja_env.globals["request_id"] = current_request_id
