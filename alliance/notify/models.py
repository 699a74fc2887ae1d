"""Notifications, each member's delivery choices, and requests to help think along."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.members.models import Member

#: At most this many "think along" requests a month, unless the member chooses otherwise.
DEFAULT_MONTHLY_CAP = 2
MAX_MONTHLY_CAP = 20


class Notification(db.Model):
    """Something happened that concerns ``recipient``. ``delivery`` is how it reaches them by
    e-mail (direct, daily, weekly, none); ``emailed_at`` is set once it went into an e-mail (or
    was dropped from a digest). ``key`` makes scheduled reminders happen once."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_recipient_read", "recipient_id", "read_at"),
        Index("ix_notification_recipient_created", "recipient_id", "created_at"),
        Index("ix_notification_delivery_emailed", "delivery", "emailed_at"),
        Index("ix_notification_recipient_key", "recipient_id", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), index=True
    )
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("item.id", ondelete="CASCADE"), index=True
    )
    reply_id: Mapped[int | None] = mapped_column(
        ForeignKey("reply.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("working_group.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(500))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    key: Mapped[str | None] = mapped_column(String(80))
    delivery: Mapped[str] = mapped_column(String(10), default="daily")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]

    recipient: Mapped[Member] = relationship(foreign_keys=[recipient_id])
    actor: Mapped[Member | None] = relationship(foreign_keys=[actor_id])


class NotificationSetting(db.Model):
    """A member's choices: e-mail per kind of notification (``deliveries``: kind → direct, daily,
    weekly or none; missing kinds use the default), and whether and how often others may ask
    them to think along."""

    __tablename__ = "notification_setting"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    deliveries: Mapped[dict] = mapped_column(JSON, default=dict)
    matching_opt_out: Mapped[bool] = mapped_column(default=False)
    monthly_cap: Mapped[int] = mapped_column(default=DEFAULT_MONTHLY_CAP)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class HelpRequest(db.Model):
    """The asker of a dilemma asked ``member`` to think along ("vraag om mee te denken")."""

    __tablename__ = "help_request"
    __table_args__ = (
        UniqueConstraint("item_id", "member_id"),
        Index("ix_help_request_member_created", "member_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    asked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
