"""Queue e-mail with the change that causes it; send it once the change is committed.

Sending never happens inside a database transaction: a message is claimed in a short
transaction, sent with no lock held, and marked sent in another short transaction. A request
sends its messages after its response has gone out; ``flask mail send`` sends the rest."""

import smtplib
import sys
import uuid
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale
from sqlalchemy import and_, or_, select, update

from alliance.core.database import drain_after_commit
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.mail.models import OutgoingMail

#: A claim older than this is taken to be from a process that died while sending.
CLAIM_TIMEOUT = timedelta(minutes=10)
#: The pause after the second failed try; it doubles after each further one, up to the most.
#: There is no limit to the number of tries: a message is given up only when it is older than
#: MAIL_GIVE_UP_AFTER_DAYS, so a mail server that is down for hours or a weekend loses nothing.
RETRY_PAUSE_FIRST = timedelta(minutes=1)
RETRY_PAUSE_MOST = timedelta(hours=1)


def retry_pause(failed_tries: int) -> timedelta:
    """How long a message waits after its ``failed_tries``-th failed try. The first try is the
    one right after the commit, so the next cron run tries again at once; after that the pause
    doubles from a minute up to an hour (a day-long outage costs about 30 tries, and mail goes
    out within the hour once the server is back)."""
    if failed_tries <= 1:
        return timedelta(0)
    return min(RETRY_PAUSE_FIRST * 2 ** min(failed_tries - 2, 16), RETRY_PAUSE_MOST)


def _due(now):
    """Not sent, not given up, and no pause running."""
    return and_(
        OutgoingMail.sent_at.is_(None),
        OutgoingMail.given_up_at.is_(None),
        or_(OutgoingMail.next_attempt_at.is_(None), OutgoingMail.next_attempt_at <= now),
    )


def single_line(text: str) -> str:
    """Header values are one line: no CR, LF or other control characters."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def queue_mail(
    recipient: str,
    template: str,
    locale: str | None,
    headers: dict[str, str] | None = None,
    **context,
) -> OutgoingMail:
    """Render ``templates/mail/<template>.txt`` and ``.html`` in the recipient's language and
    put the message in the outbox (with extra ``headers``, such as List-Unsubscribe). It is
    sent after the request commits."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = single_line(render_template(f"mail/{template}.subject.txt", **context))
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", subject=subject, **context)
    message = OutgoingMail(
        recipient=single_line(recipient),
        subject=subject[:200],
        text_body=text,
        html_body=html,
        headers={name: single_line(value) for name, value in (headers or {}).items()} or None,
    )
    db.session.add(message)
    db.session.flush()
    if has_request_context():
        message_id = message.id
        drain_after_commit(lambda: deliver(message_id))
    return message


def deliver_pending(limit: int = 500) -> tuple[int, int]:
    """Send waiting messages whose pause is over, oldest first, each in its own short
    transactions (first giving up those past the age limit). Returns (sent, failed)."""
    give_up_old_mail()
    ids = list(
        db.session.scalars(
            select(OutgoingMail.id).where(_due(utcnow())).order_by(OutgoingMail.id).limit(limit)
        )
    )
    db.session.commit()  # end the read before any SMTP work
    sent = failed = 0
    for message_id in ids:
        result = deliver(message_id)
        if result is True:
            sent += 1
        elif result is False:
            failed += 1
    return sent, failed


def give_up_old_mail() -> int:
    """Stop trying messages that are still not sent after MAIL_GIVE_UP_AFTER_DAYS, each with a
    WARNING in the log (an operator can alert on it); how many."""
    now = utcnow()
    cutoff = now - timedelta(days=current_app.config["MAIL_GIVE_UP_AFTER_DAYS"])
    not_being_sent = or_(
        OutgoingMail.claimed_at.is_(None), OutgoingMail.claimed_at < now - CLAIM_TIMEOUT
    )
    old = db.session.execute(
        select(OutgoingMail.id, OutgoingMail.attempts, OutgoingMail.last_error).where(
            OutgoingMail.sent_at.is_(None),
            OutgoingMail.given_up_at.is_(None),
            OutgoingMail.created_at < cutoff,
            not_being_sent,
        )
    ).all()
    given_up = 0
    for message_id, attempts, last_error in old:
        changed = db.session.execute(
            update(OutgoingMail)
            .where(
                OutgoingMail.id == message_id,
                OutgoingMail.sent_at.is_(None),
                OutgoingMail.given_up_at.is_(None),
                not_being_sent,
            )
            .values(given_up_at=now, claimed_at=None)
        ).rowcount
        if changed:  # not sent or given up by another process meanwhile
            given_up += 1
            _warn_given_up(message_id, attempts, last_error)
    db.session.commit()
    return given_up


def _warn_given_up(message_id: int, attempts: int, last_error: str | None) -> None:
    current_app.logger.warning(
        "mail %s given up: not sent within %s days (%s tries; last error: %s)",
        message_id,
        current_app.config["MAIL_GIVE_UP_AFTER_DAYS"],
        attempts,
        last_error or "none",
    )


def _not_claimed(now):
    """Nobody is sending it (or whoever claimed it died while sending)."""
    return or_(OutgoingMail.claimed_at.is_(None), OutgoingMail.claimed_at < now - CLAIM_TIMEOUT)


def claim_due(limit: int) -> list[tuple[int, EmailMessage]]:
    """Take up to ``limit`` due messages for sending, oldest first, in one short transaction,
    and build them; send each with ``send_claimed``. On PostgreSQL the rows are locked with
    ``FOR UPDATE SKIP LOCKED``: several workers, on several machines, each take other
    messages, and none waits for another. (SQLite has one writer at a time: the worker's
    transaction begins ``IMMEDIATE``, see ``core.database``.)"""
    now = utcnow()
    ids = list(
        db.session.scalars(
            select(OutgoingMail.id)
            .where(_due(now), _not_claimed(now))
            .order_by(OutgoingMail.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    claimed = []
    if ids:
        db.session.execute(
            update(OutgoingMail)
            .where(OutgoingMail.id.in_(ids))
            .values(claimed_at=now, attempts=OutgoingMail.attempts + 1)
        )
        messages = db.session.scalars(
            select(OutgoingMail).where(OutgoingMail.id.in_(ids)).order_by(OutgoingMail.id)
        )
        claimed = [(message.id, _as_email(message)) for message in messages]
    db.session.commit()
    return claimed


def release(message_ids: list[int]) -> None:
    """Give back messages claimed but not tried (a worker stopping): due again at once."""
    if message_ids:
        db.session.execute(
            update(OutgoingMail)
            .where(OutgoingMail.id.in_(message_ids), OutgoingMail.sent_at.is_(None))
            .values(claimed_at=None, attempts=OutgoingMail.attempts - 1)
        )
    db.session.commit()


def _claim(message_id: int) -> EmailMessage | None:
    """Take a message for sending (one process at a time) and build it; None when it is sent,
    given up on, pausing after a failed try, or being sent by another process right now."""
    now = utcnow()
    claimed = db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == message_id, _due(now), _not_claimed(now))
        .values(claimed_at=now, attempts=OutgoingMail.attempts + 1)
    ).rowcount
    email = _as_email(db.session.get(OutgoingMail, message_id)) if claimed else None
    db.session.commit()
    return email


def deliver(message_id: int) -> bool | None:
    """Send one message. True: sent; False: failed (kept for a later try after a pause, or
    given up when it is older than MAIL_GIVE_UP_AFTER_DAYS); None: not ours."""
    try:
        email = _claim(message_id)
    except Exception:
        db.session.rollback()
        raise
    if email is None:
        return None
    return send_claimed(message_id, email)


def send_claimed(message_id: int, email: EmailMessage) -> bool:
    """Send a message this process has claimed and record the outcome. True: sent; False:
    failed (kept for a later try after a pause, or given up when too old)."""
    error = None
    try:
        _send(email)
    except Exception as problem:  # any failure of one message must not stop the others
        error = f"{type(problem).__name__}: {problem}"[:1000]
        current_app.logger.warning("mail %s not sent: %s", message_id, error)
    values = {"claimed_at": None, "last_error": error}
    if error is None:
        values["sent_at"] = utcnow()
    else:
        values.update(_after_failure(message_id, error))
    db.session.execute(update(OutgoingMail).where(OutgoingMail.id == message_id).values(**values))
    db.session.commit()
    return error is None


def _after_failure(message_id: int, error: str) -> dict:
    """A pause before the next try, or giving up when the message is too old."""
    attempts, created_at = db.session.execute(
        select(OutgoingMail.attempts, OutgoingMail.created_at).where(OutgoingMail.id == message_id)
    ).one()
    now = utcnow()
    if created_at < now - timedelta(days=current_app.config["MAIL_GIVE_UP_AFTER_DAYS"]):
        _warn_given_up(message_id, attempts, error)
        return {"given_up_at": now}
    return {"next_attempt_at": now + retry_pause(attempts)}


def _as_email(message: OutgoingMail) -> EmailMessage:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    # Not email.utils.make_msgid: it draws from the global ``random`` state, which a sending
    # thread must not touch (other code, and hypothesis in the tests, rely on it).
    email["Message-ID"] = f"<{uuid.uuid4().hex}@alliantie.local>"
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.text_body)
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    return email


def readable(email: EmailMessage) -> str:
    """A message as a person reads it in a terminal: the headers that matter and the plain text
    decoded, every link whole on one line (``as_string()`` gives quoted-printable, which breaks
    long links with ``=`` and makes them unusable when copied)."""
    text = email.get_body(("plain",)).get_content().rstrip()
    rule = "=" * 72
    return f"{rule}\nTo: {email['To']}\nSubject: {email['Subject']}\n{rule}\n{text}\n{rule}\n"


def _send(email: EmailMessage) -> None:
    config = current_app.config
    if config["MAIL_BACKEND"] == "console":
        print(readable(email), file=sys.stderr, flush=True)
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)
