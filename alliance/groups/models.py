"""Working groups: the group, who is in it (and who waits or is invited), its tasks and links."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from alliance.core.i18n import writing_language
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.members.models import Member
from alliance.themes.models import Theme

JOIN_POLICIES = {
    "open": _l("Open: every member can join"),
    "request": _l("On request: the lead decides"),
    "invite": _l("Invitation only"),
}
STATES = {"active": _l("Active"), "wrapping_up": _l("Wrapping up"), "archived": _l("Archived")}
ROLES = {"lead": _l("Lead"), "member": _l("Member")}
#: Where a membership stands. Only "member" gives access to the group space.
MEMBERSHIP_STATES = {
    "member": _l("Member"),
    "requested": _l("Asked to join"),
    "waiting": _l("On the waiting list"),
    "invited": _l("Invited"),
    "declined": _l("Request declined"),
}
TASK_STATES = {"todo": _l("To do"), "doing": _l("In progress"), "done": _l("Done")}

DEFAULT_SIZE_CAP = 8
MAX_SIZE_CAP = 15
MAX_DAYS = 366  # time-boxed: at most a year (a leap year included)

group_themes = Table(
    "working_group_theme",
    db.metadata,
    Column("group_id", ForeignKey("working_group.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_working_group_theme_theme_id", "theme_id", "group_id"),
)


class WorkingGroup(db.Model):
    """A small group with an *opgave*, a deliverable and an end date. ``result`` holds the
    *opbrengst* while the lead writes it; publishing turns it into a Kennisbank experience
    (``result_item_id``) and archives the group."""

    __tablename__ = "working_group"
    __table_args__ = (Index("ix_working_group_state_ends", "state", "ends_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    opgave: Mapped[str] = mapped_column(Text)
    deliverable: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    # The language it was written in (the writer's interface language): marks it lang="…".
    lang: Mapped[str | None] = mapped_column(String(5), default=writing_language)
    join_policy: Mapped[str] = mapped_column(String(10), default="request")
    size_cap: Mapped[int] = mapped_column(default=DEFAULT_SIZE_CAP)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    extension_reason: Mapped[str | None] = mapped_column(Text)  # set once: extended
    state: Mapped[str] = mapped_column(String(12), default="active")
    member_count: Mapped[int] = mapped_column(default=0)  # kept by the services: "5 van 8"
    dilemma_id: Mapped[int | None] = mapped_column(
        ForeignKey("item.id", ondelete="SET NULL"), index=True
    )
    result: Mapped[dict] = mapped_column(JSON, default=dict)
    result_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("item.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None]

    themes: Mapped[list[Theme]] = relationship(secondary=group_themes, order_by=Theme.position)
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="Membership.id"
    )

    @property
    def is_full(self) -> bool:
        return self.member_count >= self.size_cap

    @property
    def is_archived(self) -> bool:
        return self.state == "archived"

    @property
    def is_overdue(self) -> bool:
        """Past its end date and not archived: asked to wrap up or extend."""
        return self.state != "archived" and self.ends_on < utcnow().date()

    @property
    def state_label(self) -> str:
        return str(STATES[self.state])

    @property
    def policy_label(self) -> str:
        return str(JOIN_POLICIES[self.join_policy])

    @property
    def is_open_for_members(self) -> bool:
        """Someone can still come in: active, not by invitation only, and not full."""
        return self.state == "active" and self.join_policy != "invite" and not self.is_full


class Membership(db.Model):
    """A member's place in a group: a member (lead or lid), or asking, waiting or invited.
    ``last_visit_at`` makes "since your last visit" work."""

    __tablename__ = "group_membership"
    __table_args__ = (
        UniqueConstraint("group_id", "member_id"),
        Index("ix_group_membership_member_state", "member_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(10), default="member")
    role: Mapped[str] = mapped_column(String(10), default="member")
    contribution: Mapped[str] = mapped_column(Text, default="")  # "wat breng ik in"
    message: Mapped[str] = mapped_column(Text, default="")  # the lead's answer to a request
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    joined_at: Mapped[datetime | None]
    last_visit_at: Mapped[datetime | None]

    group: Mapped[WorkingGroup] = relationship(back_populates="memberships")
    member: Mapped[Member] = relationship(foreign_keys=[member_id])

    @property
    def is_lead(self) -> bool:
        return self.state == "member" and self.role == "lead"


class Task(db.Model):
    """An *actiepunt*: a title, an owner who is a group member, a due date and a status."""

    __tablename__ = "group_task"
    __table_args__ = (Index("ix_group_task_group_state", "group_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), index=True
    )
    due_on: Mapped[date | None]
    state: Mapped[str] = mapped_column(String(10), default="todo")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner: Mapped[Member | None] = relationship(foreign_keys=[owner_id])

    @property
    def state_label(self) -> str:
        return str(TASK_STATES[self.state])


class GroupNote(db.Model):
    """A link or a short note in the group space."""

    __tablename__ = "group_note"
    __table_args__ = (Index("ix_group_note_group_created", "group_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(1000), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # The language it was written in (the writer's interface language): marks it lang="…".
    lang: Mapped[str | None] = mapped_column(String(5), default=writing_language)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[Member | None] = relationship()
