"""The mail outbox through a long SMTP outage (pauses that grow, an age limit in days rather
than a count), what ``flask mail status`` tells the operator, and how long sent mail is kept."""

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from alliance.core.database import wait_for_background_work
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.mail.models import OutgoingMail
from tests.conftest import free_port
from tests.test_notify import reply_as


def outbox(app) -> list[OutgoingMail]:
    """Every row of the outbox, oldest first (detached)."""
    with app.app_context():
        rows = db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)).all()
        db.session.expunge_all()
        db.session.remove()
        return list(rows)


def change_rows(app, **values) -> None:
    """Change every row of the outbox (time passing: ``created_at`` earlier, a pause over)."""
    with app.app_context():
        db.session.execute(update(OutgoingMail).values(**values))
        db.session.commit()
        db.session.remove()


def pause_over(app) -> None:
    """The pause before the next try has passed, for every message."""
    change_rows(app, next_attempt_at=utcnow() - timedelta(seconds=1))


def put(app, **fields) -> None:
    """A row in the outbox, as the app writes it (with the given state)."""
    with app.app_context():
        db.session.add(
            OutgoingMail(
                recipient=fields.pop("recipient", "iemand@example.org"),
                subject=fields.pop("subject", "Een bericht"),
                text_body=fields.pop("text_body", "Hallo."),
                html_body=fields.pop("html_body", "<p>Hallo.</p>"),
                **fields,
            )
        )
        db.session.commit()
        db.session.remove()


@pytest.fixture
def smtp_down(app):
    """Nothing listens on the mail port."""
    app.config["MAIL_PORT"] = free_port()


def ask_for_reset(client, member) -> None:
    """A member asks for a password reset: one e-mail, tried right after the commit."""
    assert client.post("/wachtwoord-vergeten", data={"email": member.email}).status_code == 200
    wait_for_background_work()


# --- an SMTP outage ---------------------------------------------------------------------------


def test_mail_waits_through_a_long_outage_with_growing_pauses_and_goes_out_after_it(
    app, client, runner, make_member, mailbox, smtp_server, smtp_down
):
    member = make_member()
    ask_for_reset(client, member)
    [row] = outbox(app)
    assert row.attempts == 1 and row.sent_at is None  # the try right after the commit

    pauses = []
    for _attempt in range(14):  # more than the ten tries after which mail used to be dropped
        pause_over(app)
        started = utcnow()
        assert "0 sent, 1 failed" in runner.invoke(args=["mail", "send"]).output
        [row] = outbox(app)
        pauses.append(round((row.next_attempt_at - started).total_seconds() / 60))
        # Until the pause is over, cron runs find nothing to do.
        assert "0 sent, 0 failed" in runner.invoke(args=["mail", "send"]).output
    assert pauses == [1, 2, 4, 8, 16, 32] + [60] * 8  # minutes, doubling up to an hour
    assert row.attempts == 15 and row.given_up_at is None and row.last_error

    app.config["MAIL_PORT"] = smtp_server.port  # the server is back
    pause_over(app)
    assert "1 sent, 0 failed" in runner.invoke(args=["mail", "send"]).output
    [message] = mailbox.to(member.email)
    assert "/wachtwoord-herstellen/" in mailbox.text(message)


def test_mail_is_given_up_after_days_not_after_a_number_of_tries(
    app, client, runner, make_member, mailbox, smtp_server, smtp_down, caplog
):
    member = make_member()
    ask_for_reset(client, member)
    change_rows(app, created_at=utcnow() - timedelta(days=6, hours=23), attempts=150)
    pause_over(app)
    assert "0 sent, 1 failed" in runner.invoke(args=["mail", "send"]).output
    [row] = outbox(app)
    assert row.given_up_at is None  # a week is the limit (MAIL_GIVE_UP_AFTER_DAYS)

    change_rows(app, created_at=utcnow() - timedelta(days=7, hours=1))
    pause_over(app)
    with caplog.at_level(logging.WARNING):
        runner.invoke(args=["mail", "send"])
    [row] = outbox(app)
    assert row.given_up_at is not None and row.sent_at is None
    given_up = [r for r in caplog.records if "given up" in r.getMessage()]
    assert given_up and all(r.levelno == logging.WARNING for r in given_up)
    assert member.email not in given_up[0].getMessage()  # no personal data in the log

    app.config["MAIL_PORT"] = smtp_server.port
    pause_over(app)
    assert "0 sent, 0 failed" in runner.invoke(args=["mail", "send"]).output
    assert mailbox.to(member.email, wait=0.2) == []
    assert re.search(r"given up:\s+1\b", runner.invoke(args=["mail", "status"]).output)


def test_the_age_limit_is_configurable(app, runner, smtp_down):
    app.config["MAIL_GIVE_UP_AFTER_DAYS"] = 2
    put(app, created_at=utcnow() - timedelta(days=3))
    put(app, created_at=utcnow() - timedelta(days=1))
    runner.invoke(args=["mail", "send"])
    old, young = outbox(app)
    assert old.given_up_at is not None and old.attempts == 0
    assert young.given_up_at is None and young.attempts == 1


# --- what the operator sees -------------------------------------------------------------------


def test_mail_status_shows_the_backlog_and_warns_when_it_is_old(app, runner, caplog):
    now = utcnow()
    put(app, created_at=now - timedelta(hours=3, minutes=5))
    put(app, created_at=now - timedelta(minutes=2))
    put(
        app,
        created_at=now - timedelta(hours=1),
        attempts=4,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        next_attempt_at=now + timedelta(minutes=4),
    )
    put(app, created_at=now - timedelta(days=8), attempts=170, given_up_at=now)
    put(app, created_at=now - timedelta(days=1), attempts=1, sent_at=now - timedelta(days=1))

    with caplog.at_level(logging.WARNING):
        output = runner.invoke(args=["mail", "status"]).output
    assert re.search(r"not tried yet:\s+2\b", output), output
    assert re.search(r"failing:\s+1\b", output), output
    assert re.search(r"given up:\s+1\b", output), output
    assert re.search(r"oldest waiting:\s+3 h 5 min\b", output), output
    assert "Connection refused" in output
    assert re.search(r"sent, kept \d+ days:\s+1\b", output), output
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("oldest waiting" in w and "3 h 5 min" in w for w in warnings), warnings

    # The same warning from every cron run of ``flask mail send`` while the backlog is old.
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        runner.invoke(args=["mail", "send"])
    assert any("oldest waiting" in r.getMessage() for r in caplog.records)


def test_no_warning_while_the_backlog_is_young(app, runner, caplog):
    put(app, created_at=utcnow() - timedelta(minutes=10))
    with caplog.at_level(logging.WARNING):
        output = runner.invoke(args=["mail", "status"]).output
    assert re.search(r"oldest waiting:\s+10 min\b", output), output
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_an_empty_outbox_says_so(app, runner):
    output = runner.invoke(args=["mail", "status"]).output
    assert re.search(r"not tried yet:\s+0\b", output) and "oldest waiting: -" in output


# --- how long sent mail is kept ---------------------------------------------------------------


def test_sent_mail_is_kept_two_weeks_then_purged(app, runner):
    now = utcnow()
    put(app, subject="oud", sent_at=now - timedelta(days=15))
    put(app, subject="recent", sent_at=now - timedelta(days=13))
    put(app, subject="opgegeven", given_up_at=now - timedelta(days=15))
    put(app, subject="wacht nog", created_at=now - timedelta(days=20))
    assert "2 purged" in runner.invoke(args=["mail", "purge"]).output
    assert [row.subject for row in outbox(app)] == ["recent", "wacht nog"]

    app.config["MAIL_KEEP_SENT_DAYS"] = 1
    put(app, subject="gisteren", sent_at=now - timedelta(days=2))
    runner.invoke(args=["mail", "send"])  # cron's every-minute command purges too
    assert [row.subject for row in outbox(app)] == ["wacht nog"]


def test_deleting_an_account_removes_sent_mail_that_names_the_member(
    app, client, auth, make_member, make_item, mailbox
):
    leaver = make_member(name="Fenna 't Zuidema")
    author = make_member(name="Auteur")
    item_id = make_item(author=author)
    reply_as(app, leaver, item_id)  # the author is told by e-mail, with the leaver's name
    [told] = mailbox.to(author.email)
    assert "Fenna 't Zuidema" in mailbox.text(told)
    ask_for_reset(client, author)  # a mail to the author that does not name the leaver
    wait_for_background_work()
    assert all(row.sent_at for row in outbox(app))

    auth.login(leaver)
    gone = client.post(
        "/mijn-gegevens/verwijderen", data={"password": leaver.password, "confirm": "y"}
    )
    assert gone.status_code == 303
    left = outbox(app)
    assert [row.recipient for row in left] == [author.email]
    assert all("Zuidema" not in (row.text_body + (row.html_body or "")) for row in left)
    assert "/wachtwoord-herstellen/" in left[0].text_body
