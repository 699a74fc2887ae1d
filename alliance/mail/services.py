"""Queue e-mail with the change that causes it; send it once the change is committed."""

import smtplib
import sys
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select

from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.mail.models import OutgoingMail

MAX_ATTEMPTS = 10


def queue_mail(recipient: str, template: str, locale: str | None, **context) -> OutgoingMail:
    """Render ``templates/mail/<template>.txt`` and ``.html`` in the recipient's language and
    put the message in the outbox. It is sent after the request commits."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = render_template(f"mail/{template}.subject.txt", **context).strip()
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", subject=subject, **context)
    message = OutgoingMail(recipient=recipient, subject=subject, text_body=text, html_body=html)
    db.session.add(message)
    db.session.flush()
    from flask import has_request_context

    if has_request_context():
        from alliance.core.database import after_commit

        message_id = message.id
        after_commit(lambda: _deliver_after_commit(message_id))
    return message


def _deliver_after_commit(message_id: int) -> None:
    """Try to send at once; a failure leaves the row for ``flask mail send``."""
    message = db.session.get(OutgoingMail, message_id)
    if message is not None and message.sent_at is None:
        _deliver(message)
        db.session.commit()


def deliver_pending(limit: int = 500) -> tuple[int, int]:
    """Send waiting messages, oldest first. Returns (sent, failed)."""
    rows = db.session.scalars(
        select(OutgoingMail)
        .where(OutgoingMail.sent_at.is_(None), OutgoingMail.attempts < MAX_ATTEMPTS)
        .order_by(OutgoingMail.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    for message in rows:
        if _deliver(message):
            sent += 1
        else:
            failed += 1
    return sent, failed


def _as_email(message: OutgoingMail) -> EmailMessage:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain="alliantie.local")
    email.set_content(message.text_body)
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    return email


def _deliver(message: OutgoingMail) -> bool:
    config = current_app.config
    message.attempts += 1
    email = _as_email(message)
    try:
        if config["MAIL_BACKEND"] == "console":
            print(email.as_string(), file=sys.stderr, flush=True)
        else:
            smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
            with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
                if config["MAIL_USE_TLS"]:
                    smtp.starttls()
                if config["MAIL_USERNAME"]:
                    smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
                smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as error:
        message.last_error = str(error)[:1000]
        current_app.logger.warning("mail %s not sent: %s", message.id, error)
        return False
    message.sent_at = utcnow()
    message.last_error = None
    return True
