"""The group's own work: the conversation (messages and replies), shared documents (with their
versions) and proposals (with the members' responses). Private to the group's current members,
like everything in the space; a document attached to the published result is as visible as
the result."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.members.models import Member

#: How a member responds to a proposal (Loomio's four).
POSITIONS = {
    "agree": _l("Agree"),
    "abstain": _l("Abstain"),
    "disagree": _l("Disagree"),
    "block": _l("Block"),
}


class GroupMessage(db.Model):
    """A short message in the group's stream, or a reply to one (one level: a reply's
    ``parent_id`` is a message without a parent). ``last_activity_at`` of a message moves with
    its newest reply: the stream shows the latest activity first. Deleting keeps the row with
    an empty body and ``deleted_at`` (the replies stay in place, the mark shows)."""

    __tablename__ = "group_message"
    __table_args__ = (
        Index("ix_group_message_stream", "group_id", "parent_id", "last_activity_at"),
        Index("ix_group_message_parent", "parent_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("group_message.id", ondelete="CASCADE")
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    reply_count: Mapped[int] = mapped_column(default=0)
    #: The Kennisbank post this message became (a dilemma or an experience), if any.
    item_id: Mapped[int | None] = mapped_column(ForeignKey("item.id", ondelete="SET NULL"))

    author: Mapped[Member | None] = relationship()

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class GroupDocument(db.Model):
    """A shared document: a title, a note and its versions (the newest is the document).
    Deleting marks it (``deleted_at``); ``flask groups purge`` removes it with its files after
    :data:`alliance.groups.documents.KEEP_DELETED_DAYS`. ``result_item_id``: published with the
    group's result (then as visible as that Kennisbank item)."""

    __tablename__ = "group_document"
    __table_args__ = (Index("ix_group_document_group_updated", "group_id", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version_count: Mapped[int] = mapped_column(default=0)
    # The newest version, kept here so that the list of documents is one statement.
    filename: Mapped[str] = mapped_column(String(255), default="")
    mime: Mapped[str] = mapped_column(String(120), default="")
    size: Mapped[int] = mapped_column(default=0)
    deleted_at: Mapped[datetime | None] = mapped_column(index=True)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    result_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("item.id", ondelete="SET NULL"), index=True
    )

    uploaded_by: Mapped[Member | None] = relationship(foreign_keys=[uploaded_by_id])
    versions: Mapped[list["DocumentVersion"]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        order_by="DocumentVersion.number.desc()",
    )


class DocumentVersion(db.Model):
    """One uploaded file of a document: kept in the file store under ``storage_key`` (made
    from ids and a random token, never from the name typed); ``filename`` is the name it is
    downloaded with."""

    __tablename__ = "group_document_version"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("group_document.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_group.id", ondelete="CASCADE"), index=True
    )  # the quota is summed per group
    number: Mapped[int]
    storage_key: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[GroupDocument] = relationship(back_populates="versions")
    uploaded_by: Mapped[Member | None] = relationship()


class Proposal(db.Model):
    """A proposal the group decides on: open until ``closes_at``; then the proposer or a lead
    records the ``outcome`` in one sentence. ``in_result``: the lead chose to publish it with
    the group's result."""

    __tablename__ = "group_proposal"
    __table_args__ = (Index("ix_group_proposal_group_closes", "group_id", "closes_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    closes_at: Mapped[datetime]
    outcome: Mapped[str | None] = mapped_column(Text)
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    in_result: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[Member | None] = relationship(foreign_keys=[author_id])
    responses: Mapped[list["ProposalResponse"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalResponse.id"
    )

    def is_open(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) < self.closes_at

    @property
    def tally(self) -> dict[str, int]:
        """How many members gave each response."""
        counts = dict.fromkeys(POSITIONS, 0)
        for response in self.responses:
            counts[response.position] = counts.get(response.position, 0) + 1
        return counts


class ProposalResponse(db.Model):
    """A member's response to a proposal; a block carries its reason."""

    __tablename__ = "group_proposal_response"
    __table_args__ = (UniqueConstraint("proposal_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("group_proposal.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    position: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="responses")
    member: Mapped[Member] = relationship()

    @property
    def position_label(self) -> str:
        return str(POSITIONS.get(self.position, self.position))
