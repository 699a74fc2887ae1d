"""The knowledge base: dilemmas and experiences, their replies, and the marks members put on them."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from alliance.core.i18n import writing_language
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.members.models import Member
from alliance.themes.models import Theme

KINDS = {"dilemma": _l("Dilemma"), "ervaring": _l("Experience")}
VISIBILITIES = {
    "public": _l("Everyone (also without logging in)"),
    "members": _l("Members of the alliance"),
    "group": _l("One working group"),
}
STATUSES = {"open": _l("Open"), "besloten": _l("Decided"), "geevalueerd": _l("Evaluated")}

#: The structured fields of each kind, in the order they are shown and edited.
DILEMMA_FIELDS = ("situation", "tension", "options", "constraints")
EXPERIENCE_FIELDS = ("what_we_did", "what_worked", "what_failed", "lesson", "links")
#: The names of all text fields, as the history shows them.
FIELD_LABELS = {
    "title": _l("Title"),
    "situation": _l("The situation"),
    "tension": _l("The dilemma"),
    "options": _l("Options considered"),
    "constraints": _l("Constraints"),
    "decision": _l("The decision"),
    "outcome": _l("What happened"),
    "lesson": _l("The lesson"),
    "what_we_did": _l("What we did"),
    "what_worked": _l("What worked"),
    "what_failed": _l("What did not work"),
    "links": _l("Links"),
}

item_themes = Table(
    "item_theme",
    db.metadata,
    Column("item_id", ForeignKey("item.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_item_theme_theme_id", "theme_id", "item_id"),
)

#: The co-authors of an item besides its author: the members of the working group whose
#: result it is.
item_coauthors = Table(
    "item_coauthor",
    db.metadata,
    Column("item_id", ForeignKey("item.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("member.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_item_coauthor_member_id", "member_id", "item_id"),
)


class Item(db.Model):
    """A dilemma or an experience. ``answered_perspectives`` ("|beleid|uitvoering|") and the
    counts are kept by the services, so that lists filter and sort without counting replies."""

    __tablename__ = "item"
    __table_args__ = (
        Index("ix_item_visibility_activity", "visibility", "last_activity_at"),
        Index("ix_item_visibility_created", "visibility", "created_at"),  # the public feed
        Index("ix_item_recognition", "recognition_count", "last_activity_at"),
        Index("ix_item_group_activity", "group_id", "last_activity_at"),  # news in a group
        # One kind newest first ("open dilemmas", "research missing", the home's asks): without
        # it SQLite's planner took the figures' wide index and sorted every dilemma (0019).
        Index("ix_item_kind_activity", "kind", "last_activity_at"),
        Index("ix_item_author_activity", "author_id", "last_activity_at"),  # mine, newest first
        # The closed loops and the lessons, newest first (partial: see migration 0011).
        Index(
            "ix_item_status_decided",
            "status",
            "decided_at",
            sqlite_where=text("decided_at IS NOT NULL"),
            postgresql_where=text("decided_at IS NOT NULL"),
        ),
        Index(
            "ix_item_status_evaluated",
            "status",
            "evaluated_at",
            sqlite_where=text("evaluated_at IS NOT NULL"),
            postgresql_where=text("evaluated_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    # The language it was written in (the writer's interface language): marks it lang="…".
    lang: Mapped[str | None] = mapped_column(String(5), default=writing_language)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), index=True
    )
    anonymous: Mapped[bool] = mapped_column(default=False)
    visibility: Mapped[str] = mapped_column(String(10), default="members")
    # The working group, when "group". use_alter: the group refers back to items (its dilemma,
    # its published result), and the cycle is broken here for table ordering.
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("working_group.id", ondelete="SET NULL", use_alter=True), index=True
    )
    status: Mapped[str] = mapped_column(String(12), default="open")
    organisation_type: Mapped[str | None] = mapped_column(String(40))
    # Dilemma
    situation: Mapped[str] = mapped_column(Text, default="")
    tension: Mapped[str] = mapped_column(Text, default="")
    options: Mapped[str] = mapped_column(Text, default="")
    constraints: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    # Experience (``lesson`` is shared: the lesson of an experience or of an evaluated dilemma)
    what_we_did: Mapped[str] = mapped_column(Text, default="")
    what_worked: Mapped[str] = mapped_column(Text, default="")
    what_failed: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[str] = mapped_column(Text, default="")
    lesson: Mapped[str] = mapped_column(Text, default="")

    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    evaluated_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    reply_count: Mapped[int] = mapped_column(default=0)
    recognition_count: Mapped[int] = mapped_column(default=0)
    answered_perspectives: Mapped[str] = mapped_column(String(80), default="|")
    # Moderation: hidden from everyone but the author and coordinators; edited by a coordinator.
    hidden_at: Mapped[datetime | None]
    moderated_at: Mapped[datetime | None]

    author: Mapped[Member | None] = relationship()
    coauthors: Mapped[list[Member]] = relationship(secondary=item_coauthors, order_by=Member.name)
    themes: Mapped[list[Theme]] = relationship(secondary=item_themes, order_by=Theme.position)
    tags: Mapped[list["ItemTag"]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ItemTag.position"
    )

    @property
    def perspectives(self) -> set[str]:
        """The perspectives that have replied so far."""
        return {p for p in self.answered_perspectives.split("|") if p}

    @property
    def is_dilemma(self) -> bool:
        return self.kind == "dilemma"

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.status, ""))


class ItemTag(db.Model):
    """A free tag on an item; ``key`` is folded for matching."""

    __tablename__ = "item_tag"
    __table_args__ = (Index("ix_item_tag_key", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(60))
    key: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(default=0)

    item: Mapped[Item] = relationship(back_populates="tags")


class ItemRevision(db.Model):
    """The item as it was before an edit: the visible history."""

    __tablename__ = "item_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    snapshot: Mapped[dict] = mapped_column(JSON)

    editor: Mapped[Member | None] = relationship()


class Reply(db.Model):
    """An answer to an item, or (one level) to a reply, labelled with the replier's perspective."""

    __tablename__ = "reply"
    __table_args__ = (Index("ix_reply_item_created", "item_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("reply.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), index=True
    )
    perspective: Mapped[str | None] = mapped_column(String(20))
    # The language it was written in (the writer's interface language): marks it lang="…".
    lang: Mapped[str | None] = mapped_column(String(5), default=writing_language)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None]
    helped_author: Mapped[bool] = mapped_column(default=False)  # "dit hielp mij"
    useful_count: Mapped[int] = mapped_column(default=0)  # "nuttig"
    hidden_at: Mapped[datetime | None]  # moderation, as for items
    moderated_at: Mapped[datetime | None]

    item: Mapped[Item] = relationship()
    author: Mapped[Member | None] = relationship()


class ReplyMark(db.Model):
    """A member marked a reply "nuttig" (useful)."""

    __tablename__ = "reply_mark"
    __table_args__ = (UniqueConstraint("reply_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("reply.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)


class ItemMark(db.Model):
    """A member recognises an item ("ik herken dit") or follows it."""

    __tablename__ = "item_mark"
    __table_args__ = (UniqueConstraint("item_id", "member_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "recognise" or "follow"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
