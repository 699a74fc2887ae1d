"""Looking after the outbox: what waits and how old it is (``flask mail status``, a WARNING to
alert on), and how long sent mail is kept (``MAIL_KEEP_SENT_DAYS``)."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from markupsafe import escape
from sqlalchemy import case, delete, func, or_, select

from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.mail.models import OutgoingMail


@dataclass
class Backlog:
    """The state of the outbox."""

    not_tried: int  # waiting for their first try
    failing: int  # tried and failed; tried again after a pause
    given_up: int  # older than MAIL_GIVE_UP_AFTER_DAYS and still not sent
    sent: int  # sent, kept until MAIL_KEEP_SENT_DAYS
    oldest_waiting: timedelta | None  # the age of the oldest message not sent and not given up
    last_error: str | None  # of the most recent message that failed and still waits

    @property
    def waiting(self) -> int:
        return self.not_tried + self.failing


def backlog() -> Backlog:
    """Count the outbox by state (one query, plus one for the last error)."""
    waiting = (OutgoingMail.sent_at.is_(None)) & (OutgoingMail.given_up_at.is_(None))
    not_tried, failing, given_up, sent, oldest = db.session.execute(
        select(
            func.count(case((waiting & (OutgoingMail.attempts == 0), 1))),
            func.count(case((waiting & (OutgoingMail.attempts > 0), 1))),
            func.count(OutgoingMail.given_up_at),
            func.count(OutgoingMail.sent_at),
            func.min(case((waiting, OutgoingMail.created_at))),
        )
    ).one()
    last_error = db.session.scalar(
        select(OutgoingMail.last_error)
        .where(waiting, OutgoingMail.last_error.is_not(None))
        .order_by(OutgoingMail.id.desc())
        .limit(1)
    )
    db.session.rollback()
    return Backlog(
        not_tried=not_tried,
        failing=failing,
        given_up=given_up,
        sent=sent,
        oldest_waiting=max(utcnow() - oldest, timedelta(0)) if oldest else None,
        last_error=last_error,
    )


def age_text(age: timedelta | None) -> str:
    """An age the way an operator reads it: ``-``, ``10 min``, ``3 h 5 min``, ``2 d 4 h``."""
    if age is None:
        return "-"
    minutes = int(age.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 24 * 60:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes // (24 * 60)} d {minutes % (24 * 60) // 60} h"


def warn_if_backlog_is_old(found: Backlog | None = None) -> Backlog:
    """Log a WARNING while the oldest waiting message is older than MAIL_WARN_AFTER_MINUTES
    (``flask mail send`` runs every minute from cron: the line repeats until the mail is out)."""
    found = found or backlog()
    limit = timedelta(minutes=current_app.config["MAIL_WARN_AFTER_MINUTES"])
    if found.oldest_waiting is not None and found.oldest_waiting > limit:
        current_app.logger.warning(
            "mail outbox: the oldest waiting message is %s old (%d waiting, %d of them failing; "
            "last error: %s). Is the mail server reachable? See 'flask mail status'.",
            age_text(found.oldest_waiting),
            found.waiting,
            found.failing,
            found.last_error or "none",
        )
    return found


def purge_old_mail() -> int:
    """Delete sent (and given up) messages older than MAIL_KEEP_SENT_DAYS; how many."""
    cutoff = utcnow() - timedelta(days=current_app.config["MAIL_KEEP_SENT_DAYS"])
    purged = db.session.execute(
        delete(OutgoingMail).where(
            or_(OutgoingMail.sent_at < cutoff, OutgoingMail.given_up_at < cutoff)
        )
    ).rowcount
    db.session.commit()
    return purged


def forget_sent_mail_naming(name: str) -> None:
    """When a member deletes their account: delete the copies of sent (or given up) mail to
    anyone that names them, such as "Fenna replied to your dilemma". Sent mail is of no further
    use to anyone, so matching a little too much costs nothing. Mail that still waits is sent
    as it is: it was caused before the deletion, removing it would drop other people's news
    (an invitation, a digest), and its copy goes with the rest after MAIL_KEEP_SENT_DAYS."""
    name = (name or "").strip()
    if not name:
        return
    spellings = {name, " ".join(name.split()), str(escape(name))}
    mentions = [
        column.icontains(spelling, autoescape=True)
        for spelling in spellings
        for column in (OutgoingMail.subject, OutgoingMail.text_body, OutgoingMail.html_body)
    ]
    db.session.execute(
        delete(OutgoingMail).where(
            or_(OutgoingMail.sent_at.is_not(None), OutgoingMail.given_up_at.is_not(None)),
            or_(*mentions),
        )
    )
