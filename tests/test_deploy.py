"""``deploy/gunicorn.conf.py`` serves the app: a real gunicorn (preloaded master, two workers)
on a free port with SQLite in a temporary folder answers ``/healthz`` and the home page,
counts the requests of both workers together in ``/metrics``, and logs JSON lines with the
request id."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "PROMETHEUS_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite'}",
        SEARCH_INDEX_DIR=str(tmp_path / "search"),
        UPLOAD_DIR=str(tmp_path / "uploads"),
        SECRET_KEY="gunicorn-test",
        SITE_URL="http://127.0.0.1",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
        LOG_FORMAT="json",
        PYTHONUNBUFFERED="1",
    )
    return env


def _get(port: int, path: str, **headers) -> tuple[int, str, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode(), dict(response.headers)


@pytest.fixture
def gunicorn(tmp_path):
    env = _environment(tmp_path)
    migrated = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app.py", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                str(GUNICORN),
                "--config",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
            ],
            cwd=tmp_path,  # the configuration finds the project by itself
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"gunicorn stopped (exit {process.returncode}):\n{log.read_text()}")
            try:
                if _get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not answer within 60 s:\n{log.read_text()}")
                time.sleep(0.2)
        yield port, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_gunicorn_from_the_deploy_configuration_serves_the_site(gunicorn):
    port, log = gunicorn
    status, body, _ = _get(port, "/healthz")
    assert status == 200 and body == "ok\n"
    for number in range(6):
        status, body, headers = _get(port, "/", **{"X-Request-ID": f"deploytest-{number:04d}"})
        assert status == 200 and "Alliantie" in body
        assert headers["X-Request-ID"] == f"deploytest-{number:04d}"

    # Both workers' requests, added up by prometheus-client's multiprocess mode.
    _, exposition, _ = _get(port, "/metrics")
    home = sum(
        sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
        if sample.name == "alliance_http_requests_total"
        and sample.labels.get("endpoint") == "pages.home"
    )
    assert home == 6

    time.sleep(0.3)  # the access log line is written after the response
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert {f"deploytest-{number:04d}" for number in range(6)} <= {
        line["request_id"] for line in access
    }
    assert any("workers from a frozen master" in line["message"] for line in lines)
