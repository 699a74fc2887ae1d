"""Real processes against the test database: ``flask worker`` and app servers (gunicorn),
configured through the environment as an operator would, and a small browser (urllib) that
keeps its cookies and can hand them from one server to another."""

import atexit
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

from alliance.extensions import db
from tests.conftest import csrf_token_from, free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def environment(app, **settings: str) -> dict[str, str]:
    """The environment of a process that shares the test app's database, search index, upload
    folder, secret key and SMTP server (``settings`` add or override variables)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = (app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {}).get("connect_args", {})
    if url.startswith("postgresql") and options.get("options"):  # the test's own schema
        url += "?options=" + urllib.parse.quote(options["options"])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "SITE_URL"))}
    env.update(
        DATABASE_URL=url,
        SEARCH_INDEX_DIR=app.config["SEARCH_INDEX_DIR"],
        UPLOAD_DIR=app.config["UPLOAD_DIR"],
        SECRET_KEY=app.config["SECRET_KEY"],
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(app.config["MAIL_PORT"]),
        SITE_URL=app.config["SITE_URL"],
        BACKGROUND="worker",
        WORKER_POLL_SECONDS="0.1",
        PYTHONUNBUFFERED="1",
        FLASK_APP="app.py",
    )
    env.update(settings)
    return env


def start(arguments: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start a program of the venv (``flask``, ``gunicorn``) in the project folder, its output
    in ``log``."""
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(BIN / arguments[0]), *arguments[1:]],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _started.append(process)
    return process


#: Every process a test started: one a failing test did not stop is killed when pytest ends
#: (a worker left polling the test database outlived a failed run once).
_started: list[subprocess.Popen] = []


@atexit.register
def _kill_the_left_over() -> None:
    for process in _started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def start_worker(app, log: Path, *arguments: str, **settings: str) -> subprocess.Popen:
    """``flask worker`` on the test database; returns once it says it has started."""
    process = start(["flask", "worker", *arguments], environment(app, **settings), log)
    wait_for(lambda: "started" in log.read_text(), 60, process, log)
    return process


def start_server(app, log: Path, **settings: str) -> tuple[subprocess.Popen, str]:
    """gunicorn (one process with threads) on a free port; returns it and its base URL at once
    (``serving`` waits until it answers)."""
    port = free_port()
    arguments = ["gunicorn", "-w", "1", "-k", "gthread", "--threads", "8", "-b"]
    process = start([*arguments, f"127.0.0.1:{port}", "app:app"], environment(app, **settings), log)
    return process, f"http://127.0.0.1:{port}"


def serving(process: subprocess.Popen, base: str, log: Path) -> None:
    """Wait until the server at ``base`` answers its home page."""

    def answers() -> bool:
        try:
            with urllib.request.urlopen(f"{base}/", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    wait_for(answers, 60, process, log)


def wait_for(condition, timeout: float, process: subprocess.Popen | None = None, log=None):
    """Wait until ``condition()`` holds; fail with the process's output when it stops first or
    the time is up."""
    deadline = time.monotonic() + timeout
    while not condition():
        if process is not None and process.poll() is not None:
            raise AssertionError(f"stopped with {process.returncode}:\n{_tail(log)}")
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s:\n{_tail(log)}")
        time.sleep(0.05)


def _tail(log: Path | None) -> str:
    return log.read_text()[-3000:] if log and log.exists() else ""


def stop(process: subprocess.Popen, timeout: float = 20) -> int:
    """SIGTERM, as systemd stops a service; its exit code (a process that does not stop in
    time is killed, and the test fails on its code)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return -9


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):
        return None


class Browser:
    """One browser: cookies kept here, so the same cookies can go to any server."""

    def __init__(self, cookies: dict[str, str] | None = None):
        self.cookies: dict[str, str] = dict(cookies or {})
        self._opener = urllib.request.build_opener(_NoRedirects())

    def request(self, url: str, data: dict | None = None) -> tuple[int, str, str]:
        """GET (or POST ``data``), following redirects; (status, body, final URL)."""
        for _hop in range(5):
            body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
            request = urllib.request.Request(url, data=body)
            if self.cookies:
                request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
            try:
                response = self._opener.open(request, timeout=30)
            except urllib.error.HTTPError as error:
                response = error
            with response:
                self._keep(response.headers.get_all("Set-Cookie") or [])
                status, text = response.status, response.read().decode()
                location = response.headers.get("Location")
            if status not in (301, 302, 303) or not location:
                return status, text, url
            url, data = urllib.parse.urljoin(url, location), None
        raise AssertionError("too many redirects")

    def _keep(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, url: str) -> tuple[int, str]:
        status, text, _url = self.request(url)
        return status, text

    def submit(self, form_url: str, data: dict, action: str | None = None) -> tuple[int, str, str]:
        """Open the page with the form, then post ``data`` with its CSRF token."""
        status, page, _url = self.request(form_url)
        assert status == 200, (status, form_url)
        return self.request(action or form_url, {"csrf_token": csrf_token_from(page), **data})


def count_in(app, statement) -> int:
    """A count from the shared database, read in a session of its own."""
    with app.app_context():
        try:
            return db.session.scalar(statement)
        finally:
            db.session.remove()
