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
from sqlalchemy import or_, select, update

from alliance.core.database import after_commit
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.mail.models import OutgoingMail

MAX_ATTEMPTS = 10
#: A claim older than this is taken to be from a process that died while sending.
CLAIM_TIMEOUT = timedelta(minutes=10)


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
        after_commit(lambda: deliver(message_id))
    return message


def deliver_pending(limit: int = 500) -> tuple[int, int]:
    """Send waiting messages, oldest first, each in its own short transactions.
    Returns (sent, failed)."""
    ids = list(
        db.session.scalars(
            select(OutgoingMail.id)
            .where(OutgoingMail.sent_at.is_(None), OutgoingMail.attempts < MAX_ATTEMPTS)
            .order_by(OutgoingMail.id)
            .limit(limit)
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


def _claim(message_id: int) -> EmailMessage | None:
    """Take a message for sending (one process at a time) and build it; None when it is sent,
    given up on, or being sent by another process right now."""
    now = utcnow()
    claimed = db.session.execute(
        update(OutgoingMail)
        .where(
            OutgoingMail.id == message_id,
            OutgoingMail.sent_at.is_(None),
            OutgoingMail.attempts < MAX_ATTEMPTS,
            or_(OutgoingMail.claimed_at.is_(None), OutgoingMail.claimed_at < now - CLAIM_TIMEOUT),
        )
        .values(claimed_at=now, attempts=OutgoingMail.attempts + 1)
    ).rowcount
    email = _as_email(db.session.get(OutgoingMail, message_id)) if claimed else None
    db.session.commit()
    return email


def deliver(message_id: int) -> bool | None:
    """Send one message. True: sent; False: failed (kept for a later try); None: not ours."""
    try:
        email = _claim(message_id)
    except Exception:
        db.session.rollback()
        raise
    if email is None:
        return None
    error = None
    try:
        _send(email)
    except Exception as problem:  # any failure of one message must not stop the others
        error = f"{type(problem).__name__}: {problem}"[:1000]
        current_app.logger.warning("mail %s not sent: %s", message_id, error)
    values = {"claimed_at": None, "last_error": error}
    if error is None:
        values["sent_at"] = utcnow()
    db.session.execute(update(OutgoingMail).where(OutgoingMail.id == message_id).values(**values))
    db.session.commit()
    return error is None


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


def _send(email: EmailMessage) -> None:
    config = current_app.config
    if config["MAIL_BACKEND"] == "console":
        print(email.as_string(), file=sys.stderr, flush=True)
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)
