"""The loop of ``flask worker``: drain the search outbox, send the mail that is due, and run
the jobs on a schedule, again and again, until told to stop (SIGTERM, SIGINT) after the job in
hand.

Several workers may run at once, on one machine or several:
- mail: each takes other messages (``claim_due``: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL);
- search: the Whoosh index has one writer at a time (its ``write.lock`` in the index folder);
  a worker that finds it taken leaves the outbox to the one that has it;
- the jobs on a schedule: each day's (or week's) run is taken by one worker (``schedule.take``).
On SQLite (one machine) a worker also holds a file lock next to the database file for each
pass, so one drains at a time and a second one waits as a stand-by."""

import fcntl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask

from alliance.core import heartbeat
from alliance.extensions import db
from alliance.mail.services import claim_due, give_up_old_mail, release, send_claimed
from alliance.mail.upkeep import warn_if_backlog_is_old
from alliance.search.backend import drain_outbox
from alliance.worker.schedule import run_due_jobs

#: Seconds between two looks at the jobs on a schedule and the age of the mail outbox.
UPKEEP_EVERY = 60.0
#: Seconds between two heartbeats (a file write).
HEARTBEAT_EVERY = 5.0


@dataclass
class Done:
    """What a worker has done so far."""

    indexed: int = 0
    sent: int = 0
    failed: int = 0
    jobs: int = 0

    def __str__(self) -> str:
        return f"{self.indexed} indexed, {self.sent} sent, {self.failed} failed, {self.jobs} jobs"


@contextmanager
def pass_lock(app: Flask) -> Iterator[bool]:
    """On SQLite: the file lock ``<database file>.worker.lock``, without waiting (False: another
    worker is in a pass). On PostgreSQL: always True, the rows are claimed one by one."""
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        yield True
        return
    with open(f"{url.database}.worker.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Worker:
    """One worker process. ``stop()`` (from a signal handler) ends it after the job in hand."""

    def __init__(self, app: Flask, batch: int = 20):
        self.app = app
        self.batch = batch
        self.stopping = threading.Event()
        self.done = Done()
        self._upkeep_at = 0.0
        self._beat_at = 0.0

    def stop(self, *_signal) -> None:
        """Finish the job in hand, then leave the loop."""
        self.stopping.set()

    def run(self, once: bool = False) -> Done:
        """Pass after pass until stopped (or one pass with ``once``); a pass that finds work
        is followed at once by the next, an idle one by a pause of WORKER_POLL_SECONDS."""
        poll = float(self.app.config["WORKER_POLL_SECONDS"])
        while not self.stopping.is_set():
            try:
                busy = self.one_pass(force_upkeep=once)
            except Exception:  # the database away, say: log it, try again after a pause
                self.app.logger.exception("worker: a pass failed")
                busy = False
            self._beat()
            if once:
                break
            if not busy:
                self.stopping.wait(poll)
        return self.done

    def one_pass(self, force_upkeep: bool = False) -> bool:
        """Drain the search outbox, send the due mail, and every minute the upkeep and the jobs
        on a schedule. True when there was anything to do."""
        with pass_lock(self.app) as ours:
            if not ours:
                return False
            with self.app.app_context():
                try:
                    before = (self.done.indexed, self.done.sent, self.done.failed)
                    if force_upkeep or time.monotonic() >= self._upkeep_at:
                        self._upkeep()
                    self.done.indexed += drain_outbox(wait=0, stop=self.stopping.is_set)
                    self._send_mail()
                    return before != (self.done.indexed, self.done.sent, self.done.failed)
                finally:
                    db.session.remove()

    def _beat(self) -> None:
        """A sign of life for /metrics (alliance_worker_heartbeat_timestamp_seconds), at most
        every few seconds: also while idle, also when another worker holds the pass."""
        if time.monotonic() < self._beat_at:
            return
        self._beat_at = time.monotonic() + HEARTBEAT_EVERY
        with self.app.app_context():
            try:
                heartbeat.beat("worker")
            except OSError:  # a read-only instance folder must not stop the work
                self.app.logger.warning("worker: could not write the heartbeat", exc_info=True)

    def _upkeep(self) -> None:
        self._upkeep_at = time.monotonic() + UPKEEP_EVERY
        self.done.jobs += len(run_due_jobs())
        give_up_old_mail()
        warn_if_backlog_is_old()

    def _send_mail(self) -> None:
        while not self.stopping.is_set():
            claimed = claim_due(self.batch)
            if not claimed:
                return
            for position, (message_id, email) in enumerate(claimed):
                if self.stopping.is_set():
                    release([later for later, _email in claimed[position:]])
                    return
                if send_claimed(message_id, email):
                    self.done.sent += 1
                else:
                    self.done.failed += 1
