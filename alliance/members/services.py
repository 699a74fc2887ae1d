"""The rules of profiles and the queries of the member directory."""

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import CompoundSelect, and_, func, select, union
from sqlalchemy.orm import selectinload

from alliance.core import signals
from alliance.core.errors import RuleError
from alliance.core.i18n import writing_language
from alliance.core.text import contains, fold, starts_with
from alliance.extensions import db
from alliance.members.models import (
    ORGANISATION_TYPES,
    PERSPECTIVES,
    PROFILE_FIELDS,
    Member,
    MemberTag,
    member_themes,
)
from alliance.themes.models import Theme

MAX_TAGS = 12
MAX_TAG_LENGTH = 60
SEARCH_KEY_LENGTH = 1000


def parse_tags(text: str, field_name: str) -> list[str]:
    """``"Woo-verzoeken, open source"`` → the tags, in order, without duplicates."""
    tags: list[str] = []
    seen: set[str] = set()
    for part in re.split(r"[,;\n]+", text or ""):
        label = " ".join(part.split())
        if not label:
            continue
        if len(label) > MAX_TAG_LENGTH:
            raise RuleError(
                field_name,
                _(
                    "Use at most %(n)d characters per item: “%(tag)s…”.",
                    n=MAX_TAG_LENGTH,
                    tag=label[:20],
                ),
            )
        key = fold(label)
        if key not in seen:
            seen.add(key)
            tags.append(label)
    if len(tags) > MAX_TAGS:
        raise RuleError(field_name, _("Fill in at most %(n)d items.", n=MAX_TAGS))
    return tags


def search_key_for(name: str, organisation: str, offers: list[str]) -> str:
    """What the directory's text search matches, folded: name, organisation and *Ik bied*.
    One column, so a text search is one pass over the member rows (no subquery per row)."""
    return fold(" | ".join([name, organisation, *offers]))[:SEARCH_KEY_LENGTH]


def member_search_key(member: Member, offers: list[str] | None = None) -> str:
    """The search key of ``member`` (with ``offers`` when they are about to change)."""
    return search_key_for(
        member.name, member.organisation, member.offers if offers is None else offers
    )


@dataclass
class ProfileChange:
    """The fields of a profile as the member submits them."""

    name: str
    organisation: str = ""
    organisation_type: str | None = None
    perspective: str | None = None
    theme_ids: list[int] = field(default_factory=list)
    offers: str = ""
    seeks: str = ""
    bio: str = ""
    public_fields: list[str] = field(default_factory=list)


def reindex_member(member: Member, name_changed: bool = False) -> None:
    """Search finds the member (and, after a new name, their posts under it) as they are once
    this transaction commits."""
    signals.content_changed.send("member", ref_id=member.id)
    if name_changed:
        signals.member_renamed.send(member)


def offering(words: list[str]) -> CompoundSelect:
    """The *Ik bied* tags (id, member_id, label, key) that start like one of ``words``, which
    are folded: "woo" finds "Woo-verzoeken afhandelen". The one way features find members who
    offer something (the perspective meter, helpers for a dilemma, members to invite): one
    index range per word, united — an OR of prefixes, or a LIKE '%word%', would scan every
    offer (0.8 s at 10,000 members)."""
    return union(
        *[
            select(MemberTag.id, MemberTag.member_id, MemberTag.label, MemberTag.key).where(
                MemberTag.kind == "offer", starts_with(MemberTag.key, word)
            )
            for word in dict.fromkeys(words)
            if word
        ]
    )


def update_profile(member: Member, change: ProfileChange) -> Member:
    """Apply a profile change after checking it."""
    if change.organisation_type and change.organisation_type not in ORGANISATION_TYPES:
        raise RuleError("organisation_type", _("Choose an organisation type from the list."))
    if change.perspective and change.perspective not in PERSPECTIVES:
        raise RuleError("perspective", _("Choose a perspective from the list."))
    offers = parse_tags(change.offers, "offers")
    seeks = parse_tags(change.seeks, "seeks")
    themes = []
    if change.theme_ids:
        themes = list(
            db.session.scalars(
                select(Theme).where(Theme.id.in_(change.theme_ids), Theme.retired_at.is_(None))
            )
        )
    # Retired themes the member already had stay; they are just not offered any more.
    kept = [t for t in member.themes if t.retired_at is not None]
    member.name = change.name.strip()
    member.organisation = change.organisation.strip()
    member.organisation_type = change.organisation_type or None
    member.perspective = change.perspective or None
    if change.bio != member.bio:
        member.lang = writing_language()  # the profile text is in the language it is written in
    member.bio = change.bio
    member.themes = kept + themes
    member.public_fields = [f for f in PROFILE_FIELDS if f in change.public_fields]
    set_tags(member, offers, seeks)
    member.search_key = member_search_key(member, offers)
    name_changed = db.inspect(member).attrs.name.history.has_changes()
    db.session.flush()
    reindex_member(member, name_changed)
    return member


def follow_themes(member: Member, theme_ids: list[int]) -> Member:
    """Choose the themes the member follows (the first hour's second step); retired themes the
    member already had stay."""
    themes = []
    if theme_ids:
        themes = list(
            db.session.scalars(
                select(Theme).where(Theme.id.in_(theme_ids), Theme.retired_at.is_(None))
            )
        )
    kept = [t for t in member.themes if t.retired_at is not None]
    member.themes = kept + themes
    db.session.flush()
    reindex_member(member)
    return member


def set_tags(member: Member, offers: list[str], seeks: list[str]) -> None:
    """Replace the member's *Ik bied* and *Ik zoek* tags."""
    member.tags = [
        MemberTag(kind=kind, label=label, key=fold(label), position=position)
        for kind, labels in (("offer", offers), ("seek", seeks))
        for position, label in enumerate(labels)
    ]


@dataclass
class DirectoryQuery:
    """What the directory is asked: text, filters and the page."""

    text: str = ""
    organisation_type: str = ""
    perspective: str = ""
    theme: str = ""  # slug
    offer: str = ""  # one *Ik bied* tag, exact (folded)
    page: int = 1

    @property
    def is_filtered(self) -> bool:
        return any((self.text, self.organisation_type, self.perspective, self.theme, self.offer))


@dataclass
class DirectoryPage:
    """One page of directory results."""

    members: list[Member]
    total: int
    page: int
    pages: int


def find_members(query: DirectoryQuery, page_size: int, viewer=None) -> DirectoryPage:
    """Confirmed members matching every word of the text and every filter, by name; with what
    the cards show loaded up front. The text is looked up in the search index (name,
    organisation, *Ik bied*, profile; Dutch stems and synonyms, the last word as a prefix); when
    the index is unavailable, in the folded name, organisation and *Ik bied* column."""
    conditions = [Member.email_confirmed_at.is_not(None)]
    found = None
    if query.text.strip():
        found = next(
            iter(signals.answers(signals.members_matching, query.text, viewer=viewer)), None
        )
    if found is not None:
        conditions.append(Member.id.in_(found))
    else:
        for word in fold(query.text).split()[:8]:
            conditions.append(contains(Member.search_key, word))
    if query.organisation_type in ORGANISATION_TYPES:
        conditions.append(Member.organisation_type == query.organisation_type)
    if query.perspective in PERSPECTIVES:
        conditions.append(Member.perspective == query.perspective)
    # Uncorrelated IN subqueries: answered once from an index, not once per member row.
    if query.theme:
        conditions.append(
            Member.id.in_(
                select(member_themes.c.member_id)
                .join(Theme, Theme.id == member_themes.c.theme_id)
                .where(Theme.slug == query.theme)
            )
        )
    if query.offer:
        conditions.append(
            Member.id.in_(
                select(MemberTag.member_id).where(
                    MemberTag.kind == "offer", MemberTag.key == fold(query.offer)
                )
            )
        )
    where = and_(*conditions)
    total = db.session.scalar(select(func.count(Member.id)).where(where)) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, query.page), pages)
    members = db.session.scalars(
        select(Member)
        .where(where)
        .options(selectinload(Member.tags))  # the cards show offers, not themes
        .order_by(Member.name, Member.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    return DirectoryPage(list(members), total, page, pages)


def visible_profile(member_id: int, viewer) -> Member | None:
    """A confirmed member's profile, if ``viewer`` may see it: members see every profile;
    visitors only profiles with at least one public field."""
    member = db.session.scalar(
        select(Member)
        .where(Member.id == member_id, Member.email_confirmed_at.is_not(None))
        .options(selectinload(Member.themes), selectinload(Member.tags))
    )
    if member is None:
        return None
    if not getattr(viewer, "is_authenticated", False) and not member.public_fields:
        return None
    return member


def photo_owner(member_id: int, viewer) -> Member | None:
    """The member whose photo ``viewer`` asks for, if they may see it (one statement: the
    directory shows a photo on every card)."""
    member = db.session.scalar(
        select(Member).where(Member.id == member_id, Member.email_confirmed_at.is_not(None))
    )
    if member is None or not member.photo_key or not member.shows("photo", viewer):
        return None
    return member
