"""The mail outbox: a message is written in the same transaction as the change that causes it."""

from datetime import datetime

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from alliance.core.timeutil import utcnow
from alliance.extensions import db


class OutgoingMail(db.Model):
    """One e-mail waiting to be sent, or sent (``sent_at``)."""

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    # Extra headers, e.g. List-Unsubscribe for notification e-mail.
    headers: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime | None]  # a process is sending it right now
    last_error: Mapped[str | None] = mapped_column(Text)
    # After a failed try: not before this time (the pause grows with each try; see
    # mail.services.retry_pause). None: as soon as possible.
    next_attempt_at: Mapped[datetime | None]
    # Not sent within MAIL_GIVE_UP_AFTER_DAYS: no more tries (``flask mail status`` counts them).
    given_up_at: Mapped[datetime | None]
