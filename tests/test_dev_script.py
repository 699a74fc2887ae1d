"""``scripts/dev.sh``, the README's first command: it always brings the app up, in debug mode,
with the demo network in an empty database and a database with real members served as it is."""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_") and k != "SITE_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite'}",
        SEARCH_INDEX_DIR=str(tmp_path / "search"),
        UPLOAD_DIR=str(tmp_path / "uploads"),
        SECRET_KEY="dev-script-test",
        MAIL_BACKEND="console",
        PYTHONUNBUFFERED="1",
    )
    return env


def _serve(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, int]:
    """Start dev.sh on a free port; return once the home page answers."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(ROOT / "scripts" / "dev.sh"), "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the reloader's child in the same group, stopped together
        )
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dev.sh stopped (exit {process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                if response.status == 200:
                    return process, port
        except OSError:
            time.sleep(0.5)
    _stop(process)
    pytest.fail(f"dev.sh did not serve within 240 s:\n{log.read_text()}")


def _stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _flask(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _reset_link_on_the_mailbox_page(port: int) -> str:
    """Ask for a password reset of a demo account through the form, and read the link from
    the development mailbox."""
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with opener.open(f"{base}/wachtwoord-vergeten", timeout=10) as response:
        token = re.search(r'name="csrf_token" value="([^"]+)"', response.read().decode())
    data = urllib.parse.urlencode(
        {"csrf_token": token.group(1), "email": "lid@alliantie.example"}
    ).encode()
    opener.open(f"{base}/wachtwoord-vergeten", data=data, timeout=10).close()
    for _ in range(50):
        with opener.open(f"{base}/ontwikkeling/post", timeout=10) as response:
            found = re.search(
                r'href="(http[^"]+/wachtwoord-herstellen/[^"]+)"', response.read().decode()
            )
        if found:
            return found.group(1)
        time.sleep(0.2)
    raise AssertionError("no reset mail on the development mailbox page")


def test_dev_script_starts_again_after_a_real_member_registered(tmp_path):
    env = _environment(tmp_path)
    first_log = tmp_path / "first.log"
    process, port = _serve(env, first_log)
    try:
        link = _reset_link_on_the_mailbox_page(port)
    finally:
        _stop(process)
    first = first_log.read_text()
    assert link.startswith(f"http://127.0.0.1:{port}/"), link  # mail follows --port
    assert "members added" in first, first  # the demo network went into the empty database
    assert "Debugger is active" in first, first  # debug mode: reloader and debugger on

    made = _flask(
        env,
        "create-admin",
        "--email",
        "echt@gemeente.example.nl",
        "--password",
        "een echt wachtwoord van mij",
        "--name",
        "Echt Lid",
    )
    assert made.returncode == 0, made.stdout + made.stderr

    second_log = tmp_path / "second.log"
    process, port = _serve(env, second_log)
    try:
        second = second_log.read_text()
        assert "real members" in second and "members added" not in second, second
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/inloggen", timeout=5) as response:
            assert response.status == 200
    finally:
        _stop(process)
    with sqlite3.connect(tmp_path / "dev.sqlite") as connection:
        found = connection.execute(
            "SELECT count(*) FROM member WHERE email = 'echt@gemeente.example.nl'"
        ).fetchone()
    assert found == (1,)
