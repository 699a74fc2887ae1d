"""The search outbox: which documents changed, written in the same transaction as the change."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from alliance.core.timeutil import utcnow
from alliance.extensions import db


class SearchOutbox(db.Model):
    """One document (``kind``, ``ref_id``) to index again; the row is re-read when drained, so a
    rollback leaves nothing behind and a crash before the drain loses nothing."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    ref_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
