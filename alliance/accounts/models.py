"""Login sessions kept on the server, so that logout and a password change really end them."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.members.models import Member


class LoginSession(db.Model):
    """One login of a member on one browser. Its token is what the cookies carry."""

    __tablename__ = "login_session"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # For "my sessions": the browser it was started in and when it was last used.
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    last_seen_at: Mapped[datetime | None]

    member: Mapped[Member] = relationship()


class RecoveryCode(db.Model):
    """A one-time recovery code for two-step login, stored as a digest only."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]
