"""Gunicorn for Alliantie: ``gunicorn -c deploy/gunicorn.conf.py`` from anywhere (it changes to
the project folder and serves ``app:app``).

- The app is loaded once in the master (``preload_app``); the master then hides what it built
  from the garbage collector (``gc.freeze()``) before it forks the workers, so the workers share
  those pages with it instead of copying them at the first collection, and a collection walks
  only what a request makes.
- Workers: ``WEB_CONCURRENCY`` or 2 per core plus one (at most 12). Each worker is a process
  with its own database connections (PostgreSQL: mind ``max_connections``).
- Several workers count requests for ``/metrics`` together through prometheus-client's
  multiprocess mode: ``PROMETHEUS_MULTIPROC_DIR`` (the systemd unit sets
  ``/run/alliantie/prometheus``; without it a fresh temporary folder is used). The folder is
  emptied when the master starts, and a dead worker's gauges are removed.
- Logs: gunicorn's own lines and the access log are JSON lines too (``LOG_FORMAT``, default
  json), the access line with the request's id (``X-Request-ID``).
- Settings by environment: ``GUNICORN_BIND`` (default ``127.0.0.1:8000``), ``WEB_CONCURRENCY``,
  ``GUNICORN_TIMEOUT`` (default 30 s); command-line options win over this file."""

import gc
import glob
import os
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

chdir = os.path.dirname(HERE)
wsgi_app = "app:app"
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * (os.cpu_count() or 1) + 1, 12))
worker_class = "sync"
preload_app = True
# A worker silent this long is killed and replaced (a request stuck on a dead connection);
# on SIGTERM workers get this long to finish the requests in hand.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5  # behind a proxy that keeps connections open
# A fresh worker now and then (from the frozen master: cheap), against slow growth.
max_requests = 5000
max_requests_jitter = 500
# The workers' heartbeat files: in memory, never on a slow or full disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The proxy's X-Forwarded-* headers are trusted by the app itself (TRUST_PROXY=1).
forwarded_allow_ips = "127.0.0.1,::1"
proc_name = "alliantie"

# --- metrics from every worker (prometheus-client's multiprocess mode) ------------------------
# Set before the app is loaded: prometheus-client chooses its mode when it is first imported.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="alliantie-prometheus-")
_metrics_dir = os.environ["PROMETHEUS_MULTIPROC_DIR"]
os.makedirs(_metrics_dir, exist_ok=True)
for _old in glob.glob(os.path.join(_metrics_dir, "*.db")):  # figures of an earlier run
    os.remove(_old)

from prometheus_client import multiprocess  # noqa: E402  (only now: it reads the folder)

# --- logs -----------------------------------------------------------------------------------
_json = (os.environ.get("LOG_FORMAT") or "json") == "json"
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "WARNING", "handlers": []},  # the app adds its own (alliance/core/logs.py)
    "formatters": {
        "alliantie": (
            {"()": "alliance.core.logs.JsonFormatter"}
            if _json
            else {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
        )
    },
    "filters": {"request_id": {"()": "alliance.core.logs.RequestIdFilter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "alliantie",
            "filters": ["request_id"],
        }
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
    },
}


def when_ready(server):
    """The app is loaded in the master and the workers are not forked yet: freeze."""
    gc.collect()
    gc.freeze()
    server.log.info(
        "%d workers from a frozen master; metrics in %s", server.cfg.workers, _metrics_dir
    )


def post_fork(server, worker):
    """In the new worker: no database connection of the master's pool is used by two
    processes (the worker opens its own; the master's stay open for it)."""
    from alliance.extensions import db

    application = server.app.wsgi()  # the preloaded app
    with application.app_context():
        db.engine.dispose(close=False)


def child_exit(server, worker):
    """A worker ended: its live gauges no longer count (its counters do)."""
    multiprocess.mark_process_dead(worker.pid)
