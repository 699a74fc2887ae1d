"""The first hour: the state of the three steps (read from what the member did, never
stored), an open question picked for the member, and the welcome seen or put away."""

from dataclasses import dataclass

from sqlalchemy import exists, or_, select

from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.knowledge.access import visible_to
from alliance.knowledge.models import Item, Reply
from alliance.members.models import Member, MemberTag, member_themes
from alliance.pages.rows import my_perspective_missing

# --- the first hour -----------------------------------------------------------------------------


@dataclass
class Steps:
    """The three steps of the first hour and whether each is done."""

    profile: bool
    themes: bool
    contribution: bool

    @property
    def done(self) -> int:
        return sum((self.profile, self.themes, self.contribution))

    @property
    def all_done(self) -> bool:
        return self.done == 3


def first_steps(member: Member) -> Steps:
    """Where the member stands in the first hour, read from what they did (one statement):
    a profile with perspective, organisation and an *Ik bied* or *Ik zoek*; themes followed;
    a first post or reply."""
    has_tag, has_theme, has_item, has_reply = db.session.execute(
        select(
            exists().where(MemberTag.member_id == member.id),
            exists().where(member_themes.c.member_id == member.id),
            exists().where(Item.author_id == member.id),
            exists().where(Reply.author_id == member.id),
        )
    ).one()
    profile = bool(member.perspective and member.organisation.strip() and has_tag)
    return Steps(profile, bool(has_theme), bool(has_item or has_reply))


def shows_first_steps(member: Member) -> Steps | None:
    """The steps for the home page: until they are all done, unless put away."""
    if member.welcome_dismissed_at is not None:
        return None
    steps = first_steps(member)
    return None if steps.all_done else steps


def question_for(member: Member) -> Item | None:
    """One open dilemma for the member to answer from their perspective: in their themes where
    their perspective is missing, else any open dilemma waiting for a first reply."""
    rows = my_perspective_missing(member)
    if rows:
        return db.session.get(Item, int(rows[0].key.removeprefix("item:")))
    return db.session.scalar(
        select(Item)
        .where(
            Item.kind == "dilemma",
            Item.status == "open",
            Item.reply_count == 0,
            visible_to(member),
            or_(Item.author_id.is_(None), Item.author_id != member.id),
        )
        .order_by(Item.last_activity_at.desc(), Item.id.desc())
        .limit(1)
    )


def mark_welcome_seen(member: Member) -> None:
    """The welcome page was shown (the first login leads there only once)."""
    if member.welcome_seen_at is None:
        member.welcome_seen_at = utcnow()
        db.session.flush()


def dismiss_welcome(member: Member) -> None:
    """The member puts the welcome away: the home page stops showing the steps."""
    member.welcome_seen_at = member.welcome_seen_at or utcnow()
    member.welcome_dismissed_at = utcnow()
    db.session.flush()


def restore_welcome(member: Member) -> None:
    """The member wants the steps back on the home page."""
    member.welcome_dismissed_at = None
    db.session.flush()
