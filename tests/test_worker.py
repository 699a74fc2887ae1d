"""``flask worker`` as a real process: it indexes and sends what the app committed (the web
process leaves that to it when ``BACKGROUND = "worker"``), stops cleanly on SIGTERM after the
message in hand, and two workers at once send each message exactly once."""

import re
import threading
import time
from datetime import date, datetime

import pytest
from sqlalchemy import func, insert, select

from alliance import create_app
from alliance.extensions import db
from alliance.mail.models import OutgoingMail
from alliance.search.models import SearchOutbox
from alliance.worker.runner import Worker
from alliance.worker.schedule import run_due_jobs, take
from tests.processes import count_in, environment, start, start_worker, stop, wait_for
from tests.test_notify import reply_as
from tests.test_search import ask

DILEMMA = {
    "kind": "dilemma",
    "title": "Zonnepanelen op het stadhuis: melden we de subsidie?",
    "tension": "Openheid tegen de onderhandelingspositie.",
    "visibility": "members",
}


def test_a_misspelt_background_setting_stops_the_start():
    with pytest.raises(ValueError, match="BACKGROUND"):
        create_app({"TESTING": True, "BACKGROUND": "workers"})


def _backlog(app, count: int) -> None:
    """``count`` messages waiting in the outbox, committed at once."""
    with app.app_context():
        db.session.execute(
            insert(OutgoingMail),
            [
                {
                    "recipient": f"ontvanger{n}@example.org",
                    "subject": f"Bericht {n}",
                    "text_body": f"Tekst {n}.",
                    "attempts": 0,
                }
                for n in range(count)
            ],
        )
        db.session.commit()
        db.session.remove()


def _done(log) -> dict[str, int]:
    """What a stopped worker says it did."""
    found = re.search(r"stopped; (\d+) indexed, (\d+) sent, (\d+) failed", log.read_text())
    assert found, log.read_text()[-2000:]
    return dict(zip(("indexed", "sent", "failed"), map(int, found.groups()), strict=True))


def test_the_worker_indexes_and_sends_what_the_app_committed(
    app, client, auth, make_member, mailbox, tmp_path
):
    app.config["BACKGROUND"] = "worker"
    member = make_member()
    auth.login(member)
    assert client.post("/kennisbank/nieuw?soort=dilemma", data=DILEMMA).status_code == 303
    client.post("/uitloggen")
    client.post("/wachtwoord-vergeten", data={"email": member.email})
    # The web process started no thread for it: the change waits in the outbox.
    time.sleep(0.3)
    assert count_in(app, select(func.count(SearchOutbox.id))) >= 1
    assert mailbox.to(member.email, wait=0) == []

    log = tmp_path / "worker.log"
    worker = start_worker(app, log)
    try:
        assert len(mailbox.to(member.email, wait=10)) == 1
        auth.login(member)
        wait_for(lambda: ask(client, "zonnepanelen") == [DILEMMA["title"]], 10, worker, log)
    finally:
        assert stop(worker) == 0, log.read_text()[-2000:]
    assert _done(log)["sent"] == 1 and _done(log)["indexed"] >= 1

    # --once: one pass for cron, then it exits by itself.
    _backlog(app, 1)
    beats = tmp_path / "beats"
    once = start(
        ["flask", "worker", "--once"],
        environment(app, HEARTBEAT_DIR=str(beats)),
        tmp_path / "once.log",
    )
    assert once.wait(timeout=60) == 0, (tmp_path / "once.log").read_text()[-2000:]
    assert len(mailbox.to("ontvanger0@example.org", wait=0)) == 1
    # Its sign of life for /metrics (alliance_worker_heartbeat_timestamp_seconds).
    assert abs(float((beats / "worker").read_text()) - time.time()) < 120


def test_sigterm_stops_the_worker_after_the_message_in_hand(app, mailbox, tmp_path):
    log = tmp_path / "worker.log"
    worker = start_worker(app, log, "--batch", "50")
    try:
        _backlog(app, 100)
        wait_for(lambda: len(mailbox.messages) >= 3, 20, worker, log)
    finally:
        code = stop(worker, timeout=10)
    assert code == 0, log.read_text()[-2000:]

    sent = count_in(app, select(func.count()).where(OutgoingMail.sent_at.is_not(None)))
    claimed = count_in(app, select(func.count()).where(OutgoingMail.claimed_at.is_not(None)))
    assert 3 <= sent < 100  # stopped in the middle of the backlog
    assert claimed == 0  # the rest was given back, not left claimed for ten minutes
    assert len(mailbox.messages) == sent == _done(log)["sent"]  # none sent but not recorded


def test_two_workers_at_once_send_each_message_exactly_once(app, mailbox, tmp_path):
    """On PostgreSQL both workers send (each takes other messages: FOR UPDATE SKIP LOCKED);
    on SQLite they take turns (a file lock). Never a message twice."""
    count = 200
    logs = [tmp_path / "one.log", tmp_path / "two.log"]
    env = environment(app)
    workers = [start(["flask", "worker", "--batch", "5"], env, log) for log in logs]
    try:
        for worker, log in zip(workers, logs, strict=True):
            wait_for(lambda log=log: "started" in log.read_text(), 60, worker, log)
        _backlog(app, count)
        wait_for(
            lambda: (
                count_in(app, select(func.count()).where(OutgoingMail.sent_at.is_not(None)))
                == count
            ),
            60,
        )
    finally:
        codes = [stop(worker) for worker in workers]
    assert codes == [0, 0]
    recipients = [message["To"] for message in mailbox.messages]
    assert len(recipients) == count
    assert len(set(recipients)) == count
    done = [_done(log)["sent"] for log in logs]
    assert sum(done) == count
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        assert min(done) > 0, done  # they worked side by side, not one after the other


# --- the jobs on a schedule ------------------------------------------------------------------

DAILY, WEEKLY = ["reminders", "digest-daily", "mail-purge"], ["digest-weekly"]


def test_the_jobs_come_due_at_the_hour_and_run_once_a_period(app):
    app.config["WORKER_DAILY_HOUR"] = 7  # local time: 06:00 UTC in December (Amsterdam)
    with app.app_context():
        # A Monday. The first run ever catches up the day and week before.
        assert sorted(run_due_jobs(datetime(2026, 12, 7, 5, 30))) == sorted(DAILY + WEEKLY)
        assert run_due_jobs(datetime(2026, 12, 7, 5, 59)) == []
        assert sorted(run_due_jobs(datetime(2026, 12, 7, 6, 0))) == sorted(DAILY + WEEKLY)
        assert run_due_jobs(datetime(2026, 12, 7, 18, 0)) == []
        assert sorted(run_due_jobs(datetime(2026, 12, 8, 6, 30))) == sorted(DAILY)  # Tuesday
        assert run_due_jobs(datetime(2026, 12, 13, 22, 0)) == DAILY  # Sunday 23:00 local
        assert sorted(run_due_jobs(datetime(2026, 12, 14, 6, 1))) == sorted(DAILY + WEEKLY)
        db.session.remove()


def test_workers_taking_a_period_at_the_same_moment_run_it_once(app):
    """The first run of a job (the row is made) and a later one (a conditional UPDATE), taken by
    four workers at once, each with its own connection."""
    for period in (date(2026, 12, 7), date(2026, 12, 8)):
        barrier = threading.Barrier(4)
        taken = []

        def worker(period=period, barrier=barrier, taken=taken):
            with app.app_context():
                barrier.wait()
                taken.append(take("reminders", period))
                db.session.remove()

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(taken) == [False, False, False, True], period


def test_a_worker_pass_sends_the_daily_digest_once(
    app, client, auth, make_member, make_item, mailbox
):
    app.config["BACKGROUND"] = "worker"
    app.config["WORKER_DAILY_HOUR"] = 0
    follower = make_member(name="Fenna Volger")
    auth.login(follower)
    item_id = make_item(title="Dilemma over de digest")
    client.post(f"/kennisbank/{item_id}/volg", data={"aan": "1"})
    reply_as(app, make_member(name="Bram"), item_id)
    assert mailbox.to(follower.email, wait=0.3) == []  # a reply in a followed post: daily

    Worker(app).run(once=True)
    [digest] = mailbox.to(follower.email)
    assert "Dilemma over de digest" in mailbox.text(digest)
    Worker(app).run(once=True)  # the same day again: no second digest
    assert len(mailbox.to(follower.email, wait=0.3)) == 1
