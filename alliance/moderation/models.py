"""Reports of content, suspensions of members, and the audit log of every moderation action."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.members.models import Member

REPORT_STATES = {
    "open": _l("Open"),
    "hidden": _l("Hidden"),
    "edited": _l("Edited"),
    "restored": _l("Restored"),
    "dismissed": _l("Dismissed"),
}

ACTIONS = {
    "hide": _l("hid"),
    "edit": _l("edited"),
    "restore": _l("restored"),
    "dismiss": _l("dismissed the report on"),
    "suspend": _l("suspended"),
    "lift": _l("lifted the suspension of"),
    "role": _l("changed the role of"),
}


class Report(db.Model):
    """A member reports a piece of content (``kind``/``ref_id``: see the registry) with a reason.
    It stays open until a coordinator acts on it."""

    __tablename__ = "moderation_report"
    __table_args__ = (
        Index("ix_moderation_report_state_created", "state", "created_at"),
        Index("ix_moderation_report_kind_ref", "kind", "ref_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    ref_id: Mapped[int]
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))

    reporter: Mapped[Member | None] = relationship(foreign_keys=[reporter_id])

    @property
    def state_label(self) -> str:
        return str(REPORT_STATES.get(self.state, self.state))


class Suspension(db.Model):
    """A member may not log in or post until ``until`` (unless lifted earlier)."""

    __tablename__ = "member_suspension"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    until: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None]

    member: Mapped[Member] = relationship(foreign_keys=[member_id])


class AuditEntry(db.Model):
    """One moderation action: who did what to which content, when and why."""

    __tablename__ = "moderation_audit"
    __table_args__ = (Index("ix_moderation_audit_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    ref_id: Mapped[int]
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderation_report.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[Member | None] = relationship(foreign_keys=[actor_id])

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, self.action))
