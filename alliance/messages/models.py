"""A conversation, who is in it (with what they read), its messages, blocks, and who may
write to a member."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.members.models import Member

#: Who may start writing to a member.
ALLOW = {
    "all": _l("Every member"),
    "shared": _l("Only members who share a theme or a working group with me"),
    "none": _l("Nobody (messages off)"),
}

#: At most this many members in one conversation.
MAX_PARTICIPANTS = 8


class Conversation(db.Model):
    """Private talk between a few members. ``last_message_at`` orders the inbox."""

    __tablename__ = "conversation"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)

    participants: Mapped[list["Participant"]] = relationship(
        back_populates="conversation",
        cascade="all, delete-orphan",
        order_by="Participant.member_id",
    )


class Participant(db.Model):
    """A member in a conversation, and up to when they read it."""

    __tablename__ = "conversation_participant"
    __table_args__ = (Index("ix_conversation_participant_member", "member_id", "conversation_id"),)

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    last_read_at: Mapped[datetime | None]
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="participants")
    member: Mapped[Member] = relationship()


class Message(db.Model):
    """One message. ``author_id`` is None once the author deleted their account ("een
    voormalig lid"); ``hidden_at`` when a coordinator hid it after a report."""

    __tablename__ = "message"
    __table_args__ = (
        Index("ix_message_conversation_created", "conversation_id", "created_at"),
        Index("ix_message_author_created", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[datetime | None]

    author: Mapped[Member | None] = relationship()
    conversation: Mapped[Conversation] = relationship()


class Block(db.Model):
    """``blocker`` does not want to hear from ``blocked`` (who is not told)."""

    __tablename__ = "message_block"
    __table_args__ = (Index("ix_message_block_blocked", "blocked_id", "blocker_id"),)

    blocker_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    blocked_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    blocked: Mapped[Member] = relationship(foreign_keys=[blocked_id])


class MessageSetting(db.Model):
    """Who may start writing to a member (``ALLOW``); no row: every member."""

    __tablename__ = "message_setting"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    allow: Mapped[str] = mapped_column(String(10), default="all")
