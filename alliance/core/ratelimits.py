"""Where the rate limits (login, password reset) are counted, and what happens when that
storage is not what production needs.

- A Redis that is down must not stop anyone from logging in: Flask-Limiter falls back to
  counting in the memory of each process (``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``, on by
  default) and logs a warning; it goes back to Redis once Redis answers again. Short socket
  timeouts keep a Redis host that does not answer at all from holding each request.
- Counting in memory is right for one process only: with several gunicorn workers each worker
  counts for itself, so an attacker gets the attempts of every worker. A production start with
  more than one worker and no shared storage logs a warning at start-up."""

import argparse
import os
import shlex
import sys

from flask import Flask

#: Seconds a request waits for Redis before the limits go on in memory.
REDIS_TIMEOUT_SECONDS = 2


def configure_rate_limits(app: Flask) -> None:
    """Settings for the rate-limit storage, before the limiter is bound; the start-up warning."""
    uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if uri.startswith(("redis://", "rediss://", "redis+unix://")):
        options = dict(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})
        options.setdefault("socket_connect_timeout", REDIS_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", REDIS_TIMEOUT_SECONDS)
        app.config["RATELIMIT_STORAGE_OPTIONS"] = options
    if app.debug or app.testing or not uri.startswith("memory://"):
        return
    workers = gunicorn_workers(sys.argv, os.environ)
    if workers > 1:
        app.logger.warning(
            "Rate limits are counted in memory, per worker process, and gunicorn runs %d "
            "workers: each worker counts login attempts for itself, so an attacker gets %d times "
            "the attempts. Set RATELIMIT_STORAGE_URI to a Redis shared by all workers (for "
            "example redis://127.0.0.1:6379/0), or run one worker.",
            workers,
            workers,
        )


def _is_gunicorn(argv: list[str]) -> bool:
    program = argv[0] if argv else ""
    return "gunicorn" in os.path.basename(program) or f"gunicorn{os.sep}" in program


def _workers_option(arguments: list[str]) -> int | None:
    """``-w N`` / ``--workers N`` / ``--workers=N`` / ``-wN`` among gunicorn's arguments."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("-w", "--workers", type=int)
    try:
        known, _rest = parser.parse_known_args(arguments)
    except (SystemExit, ValueError):  # a malformed value: gunicorn itself refuses it
        return None
    return known.workers


def gunicorn_workers(argv: list[str], environ) -> int:
    """How many worker processes the gunicorn running this process starts; 1 outside gunicorn.

    Read the way gunicorn reads it, the highest first: the command line, ``GUNICORN_CMD_ARGS``,
    the configuration file gunicorn loaded (it keeps that module as ``__config__``), then
    ``WEB_CONCURRENCY``."""
    if not _is_gunicorn(argv):
        return 1
    found = _workers_option(argv[1:])
    if found is None:
        found = _workers_option(shlex.split(environ.get("GUNICORN_CMD_ARGS", "")))
    if found is None:
        config_file = sys.modules.get("__config__")
        found = getattr(config_file, "workers", None)
    if found is None:
        try:
            found = int(environ.get("WEB_CONCURRENCY", "1"))
        except ValueError:
            found = 1
    try:
        return int(found)
    except (TypeError, ValueError):
        return 1
