"""Gunicorn on loopback, a login over HTTP, and a bounded load loop against one path.

The load comes from threads in the benchmark's own process, one new connection per request
(gunicorn's sync workers close the connection after each response anyway). The machine is
shared with the server, so the process also reports how much CPU the load itself took and how
much CPU the workers spent per request: the second figure does not depend on the client."""

import http.client
import math
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from benchdata import ROOT

HOST = "127.0.0.1"  # loopback only
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` 0.95 → p95) of ``values``; 0.0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(len(ordered) * share - 1e-9))  # 1e-9: 0.95 * 200 is not 190.0…01
    return ordered[rank - 1]


def machine_busy_seconds() -> float:
    """CPU seconds all processes on this machine have spent busy since boot (/proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def own_cpu_seconds() -> float:
    """User + system CPU seconds of this process (all its threads) so far."""
    times = os.times()
    return times.user + times.system


def _proc_stat(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text.rsplit(")", 1)[1].split()


class Gunicorn:
    """``gunicorn -w N`` serving ``bench/wsgi.py`` on a free loopback port; a context manager
    that always stops the server it started."""

    def __init__(self, database: Path, workers: int, log_path: Path):
        self.database = database
        self.workers = workers
        self.log_path = log_path
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self._log = None

    def __enter__(self) -> "Gunicorn":
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--bind",
            f"{HOST}:{self.port}",
            "--pythonpath",
            f"{ROOT},{ROOT / 'bench'}",
            "--log-level",
            "warning",
            "--error-logfile",
            "-",
            "wsgi:app",
        ]
        env = dict(os.environ, BENCH_DATABASE=str(self.database))
        self._log = open(self.log_path, "w")  # noqa: SIM115  (closed in stop())
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def _wait_until_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start; see {self.log_path}")
            try:
                status, _ = request(self.port, "/healthz")
            except OSError:
                status = None
            if status == 200 and len(self.worker_pids()) == self.workers:
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        """Stop gunicorn (gracefully, then by force) and close its log."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def worker_pids(self) -> list[int]:
        """The process ids of the workers (the children of the gunicorn master)."""
        master = self.process.pid
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if int(_proc_stat(int(entry.name))[1]) == master:
                        pids.append(int(entry.name))
                except (OSError, IndexError, ValueError):
                    continue  # a process that ended while we looked
        return pids

    def worker_cpu_seconds(self) -> float:
        """User + system CPU time used so far by the current workers."""
        total = 0
        for pid in self.worker_pids():
            try:
                fields = _proc_stat(pid)
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / CLOCK_TICKS

    def worker_rss_mib(self) -> float:
        """The resident memory of the largest worker, in MiB."""
        largest = 0
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        largest = max(largest, int(line.split()[1]))
            except OSError:
                continue
        return largest / 1024


def request(
    port: int,
    path: str,
    cookie: str = "",
    method: str = "GET",
    body: str | None = None,
    timeout: float = 30.0,
) -> tuple[int, http.client.HTTPResponse]:
    """One request on a new connection; the body is read, the response returned for headers."""
    headers = {"Connection": "close"}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response
    finally:
        connection.close()


def log_in(port: int, email: str, password: str) -> str:
    """Log in through POST /inloggen; returns the ``Cookie`` header of the session."""
    status, response = request(
        port, "/inloggen", method="POST", body=urlencode({"email": email, "password": password})
    )
    if status != 303:
        raise RuntimeError(f"login over HTTP answered {status}, expected 303")
    cookies = [header.split(";", 1)[0] for header in response.msg.get_all("Set-Cookie") or []]
    cookie = "; ".join(cookies)
    status, _ = request(port, "/profiel/bewerken", cookie)
    if status != 200:
        raise RuntimeError(f"logged in over HTTP, but a members' page answered {status}")
    return cookie


@dataclass
class LoadResult:
    """What a load loop against one path measured."""

    path: str
    seconds: float
    requests: int
    errors: int
    requests_per_second: float
    latency_p50_ms: float
    latency_p95_ms: float
    server_cpu_ms_per_request: float
    client_cpu_share: float  # CPU seconds of this process per wall second (2.0 = both cores)
    other_cpu_share: float  # the same for everything else on the machine (other jobs, gunicorn
    #                         master, kernel): high means the figures are noisy
    first_error: str = ""


def drive(server: Gunicorn, path: str, cookie: str, seconds: float, threads: int) -> LoadResult:
    """``threads`` threads send GET ``path`` back to back until ``seconds`` have passed."""
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors: list[list[str]] = [[] for _ in range(threads)]
    start = threading.Barrier(threads + 1)
    deadline = 0.0

    def worker(index: int) -> None:
        start.wait()
        mine, failed = latencies[index], errors[index]
        while (began := time.perf_counter()) < deadline:
            try:
                status, _ = request(server.port, path, cookie)
            except OSError as error:
                failed.append(repr(error))
                continue
            if status != 200:
                failed.append(f"HTTP {status}")
            else:
                mine.append(time.perf_counter() - began)

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    cpu_before, client_before = server.worker_cpu_seconds(), own_cpu_seconds()
    machine_before = machine_busy_seconds()
    began = time.perf_counter()
    deadline = began + seconds
    start.wait()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - began
    cpu_after, client_after = server.worker_cpu_seconds(), own_cpu_seconds()
    machine = machine_busy_seconds() - machine_before

    done = [value for values in latencies for value in values]
    failures = [message for messages in errors for message in messages]
    client_cpu = client_after - client_before
    other_cpu = max(0.0, machine - client_cpu - (cpu_after - cpu_before))
    return LoadResult(
        path=path,
        seconds=round(elapsed, 2),
        requests=len(done),
        errors=len(failures),
        requests_per_second=len(done) / elapsed,
        latency_p50_ms=percentile(done, 0.50) * 1000,
        latency_p95_ms=percentile(done, 0.95) * 1000,
        server_cpu_ms_per_request=(cpu_after - cpu_before) * 1000 / max(1, len(done)),
        client_cpu_share=client_cpu / elapsed,
        other_cpu_share=other_cpu / elapsed,
        first_error=failures[0] if failures else "",
    )
