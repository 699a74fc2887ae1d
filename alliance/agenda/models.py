"""Events, who signed up (or waits), what a report links to, and private calendar links."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from alliance.core.i18n import writing_language
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.members.models import Member
from alliance.themes.models import Theme

KINDS = {
    "meedenksessie": _l("Co-thinking session"),
    "bijeenkomst": _l("Meeting"),
    "webinar": _l("Webinar"),
    "werkgroep": _l("Working group meeting"),
}
VISIBILITIES = {
    "public": _l("Everyone, also visitors who are not logged in"),
    "members": _l("Members of the alliance"),
    "group": _l("Only the members of one working group"),
}
#: proposed → approved (or returned → proposed again); group events start approved.
STATES = {
    "proposed": _l("Waiting for approval"),
    "returned": _l("Sent back"),
    "approved": _l("In the agenda"),
}
SIGNUP_STATES = {
    "signed_up": _l("Signed up"),
    "waiting": _l("On the waiting list"),
    "cancelled": _l("Cancelled"),
}

MAX_CAPACITY = 10_000

event_themes = Table(
    "event_theme",
    db.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_event_theme_theme_id", "theme_id", "event_id"),
)

#: What came out of an event: the items and working groups its report links to.
event_items = Table(
    "event_item",
    db.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", ForeignKey("item.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_event_item_item_id", "item_id", "event_id"),
)
event_groups = Table(
    "event_group",
    db.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("working_group.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_event_group_group_id", "group_id", "event_id"),
)


class Event(db.Model):
    """A meedenksessie, meeting, webinar or working-group meeting. Times are naive UTC.
    ``participant_count`` is kept by the services with conditional updates, so that two
    members cannot both take the last place; ``capacity`` None means no limit."""

    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_state_starts", "state", "starts_at"),
        Index("ix_event_group_starts", "group_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="meedenksessie")
    description: Mapped[str] = mapped_column(Text, default="")
    # The language it was written in (the writer's interface language): marks it lang="…".
    lang: Mapped[str | None] = mapped_column(String(5), default=writing_language)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    online: Mapped[bool] = mapped_column(default=False)
    online_url: Mapped[str] = mapped_column(String(1000), default="")
    location: Mapped[str] = mapped_column(String(300), default="")
    capacity: Mapped[int | None]
    participant_count: Mapped[int] = mapped_column(default=0)
    visibility: Mapped[str] = mapped_column(String(10), default="members")
    group_id: Mapped[int | None] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(10), default="proposed")
    review_message: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    organiser_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), index=True
    )
    report: Mapped[str] = mapped_column(Text, default="")
    report_at: Mapped[datetime | None] = mapped_column(index=True)
    hidden_at: Mapped[datetime | None]  # hidden by a coordinator after a report
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    organiser: Mapped[Member | None] = relationship(foreign_keys=[organiser_id])
    themes: Mapped[list[Theme]] = relationship(secondary=event_themes, order_by=Theme.position)
    signups: Mapped[list["Signup"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Signup.id"
    )

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, ""))

    @property
    def state_label(self) -> str:
        return str(STATES.get(self.state, ""))

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.participant_count >= self.capacity

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.participant_count)

    @property
    def has_started(self) -> bool:
        return self.starts_at <= utcnow()

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= utcnow()


class Signup(db.Model):
    """A member's place at an event: signed up, waiting (in order of ``queued_at``) or
    cancelled. One row per member and event; signing up again reuses it."""

    __tablename__ = "event_signup"
    __table_args__ = (
        UniqueConstraint("event_id", "member_id"),
        Index("ix_event_signup_event_state", "event_id", "state", "queued_at"),
        Index("ix_event_signup_member_state", "member_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(10), default="signed_up")
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship(back_populates="signups")
    member: Mapped[Member] = relationship()

    @property
    def state_label(self) -> str:
        return str(SIGNUP_STATES.get(self.state, ""))


class CalendarLink(db.Model):
    """The secret in a member's private "my events" calendar address. Renewing it or
    revoking it makes the old address stop working."""

    __tablename__ = "calendar_link"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
