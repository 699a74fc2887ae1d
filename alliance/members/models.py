"""A member of the alliance: account data and the profile that says what they give and ask."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from alliance.core.i18n import writing_language
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.themes.models import Theme

PERSPECTIVES = {
    "beleid": _l("Policy"),
    "uitvoering": _l("Implementation"),
    "maatschappij": _l("Civil society"),
    "inwoner": _l("Citizen"),
    "onderzoek": _l("Research"),
}

ORGANISATION_TYPES = {
    "rijksoverheid": _l("Central government"),
    "provincie": _l("Province"),
    "gemeente": _l("Municipality"),
    "waterschap": _l("Water authority"),
    "uitvoeringsorganisatie": _l("Executive agency"),
    "maatschappelijk": _l("Civil society organisation"),
    "kennisinstelling": _l("Knowledge institution"),
    "bedrijf": _l("Company"),
    "anders": _l("Citizen / other"),
}

ROLES = {
    "member": _l("Member"),
    "coordinator": _l("Coordinator"),
    "admin": _l("Administrator"),
}

#: Profile fields whose visibility the member chooses (members only, or everyone).
PROFILE_FIELDS = (
    "photo",
    "organisation",
    "organisation_type",
    "perspective",
    "themes",
    "offers",
    "seeks",
    "bio",
)

member_themes = Table(
    "member_theme",
    db.metadata,
    Column("member_id", ForeignKey("member.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_member_theme_theme_id", "theme_id", "member_id"),
)


class Member(UserMixin, db.Model):
    """A person in the network. ``get_id`` is the login session token, set at login."""

    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    email_confirmed_at: Mapped[datetime | None]
    role: Mapped[str] = mapped_column(String(20), default="member")
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    name: Mapped[str] = mapped_column(String(120), index=True)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    organisation_type: Mapped[str | None] = mapped_column(String(40))
    perspective: Mapped[str | None] = mapped_column(String(20))
    bio: Mapped[str] = mapped_column(Text, default="")
    # The language it was written in (the writer's interface language): marks it lang="…".
    lang: Mapped[str | None] = mapped_column(String(5), default=writing_language)
    public_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The profile photo: the random part of its keys in the file store (members/photos.py).
    photo_key: Mapped[str | None] = mapped_column(String(32))
    # Folded name, organisation and *Ik bied* tags, kept by the services (directory search).
    search_key: Mapped[str] = mapped_column(String(1000), default="")
    # Two-step login (TOTP): the secret, when it was confirmed, the last time step used (a code
    # works once). Coordinators and administrators use their powers only with it switched on.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int] = mapped_column(default=0)
    # Moderation of the profile text (bio, offers, seeks): hidden from others, or edited.
    profile_hidden_at: Mapped[datetime | None]
    profile_moderated_at: Mapped[datetime | None]
    # The first hour: the welcome page was first shown, and put away by the member.
    welcome_seen_at: Mapped[datetime | None]
    welcome_dismissed_at: Mapped[datetime | None]

    themes: Mapped[list[Theme]] = relationship(secondary=member_themes, order_by=Theme.position)
    tags: Mapped[list["MemberTag"]] = relationship(
        back_populates="member", cascade="all, delete-orphan", order_by="MemberTag.position"
    )

    # Set by the login session loader: the token of the session this request runs in.
    session_token = None

    def get_id(self) -> str | None:
        """Flask-Login stores the session token, not the member id: ending the session row
        ends the login everywhere it is used (session cookie and remember-me cookie)."""
        return self.session_token

    @property
    def is_active(self) -> bool:  # Flask-Login: unconfirmed members cannot log in
        return self.email_confirmed_at is not None

    @property
    def has_two_factor(self) -> bool:
        """Two-step login is switched on (a confirmed TOTP secret)."""
        return bool(self.totp_secret and self.totp_enabled_at)

    @property
    def needs_two_factor(self) -> bool:
        """A coordinator or administrator without two-step login: their powers wait for it."""
        return self.role in ("coordinator", "admin") and not self.has_two_factor

    @property
    def is_coordinator(self) -> bool:
        """Coordinators (and administrators) curate themes, invite and moderate — once their
        two-step login is on (until then ``needs_two_factor`` sends them to set it up)."""
        return self.role in ("coordinator", "admin") and self.has_two_factor

    @property
    def is_admin(self) -> bool:
        """Administrators manage accounts and roles (with two-step login on)."""
        return self.role == "admin" and self.has_two_factor

    @property
    def offers(self) -> list[str]:
        """The *Ik bied* tags, in the member's order."""
        return [t.label for t in self.tags if t.kind == "offer"]

    @property
    def seeks(self) -> list[str]:
        """The *Ik zoek* tags, in the member's order."""
        return [t.label for t in self.tags if t.kind == "seek"]

    @property
    def perspective_label(self) -> str:
        return str(PERSPECTIVES.get(self.perspective or "", ""))

    @property
    def organisation_type_label(self) -> str:
        return str(ORGANISATION_TYPES.get(self.organisation_type or "", ""))

    def shows(self, field: str, viewer) -> bool:
        """Whether ``viewer`` (a member or an anonymous visitor) may see this profile field.
        A profile hidden by the moderation shows its fields only to its owner and coordinators."""
        if self.profile_hidden_at is not None and not (
            getattr(viewer, "is_authenticated", False)
            and (viewer.id == self.id or viewer.is_coordinator)
        ):
            return False
        if getattr(viewer, "is_authenticated", False):
            return True
        return field in (self.public_fields or [])

    def __repr__(self) -> str:
        return f"<Member {self.id} {self.email}>"


class MemberTag(db.Model):
    """One *Ik bied* (offer) or *Ik zoek* (seek) tag of a member; ``key`` is folded for search."""

    __tablename__ = "member_tag"
    __table_args__ = (Index("ix_member_tag_kind_key", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(5))  # "offer" or "seek"
    label: Mapped[str] = mapped_column(String(60))
    key: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(default=0)

    member: Mapped[Member] = relationship(back_populates="tags")
