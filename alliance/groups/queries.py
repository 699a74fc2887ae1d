"""Reading working groups: the overview and its filters, one group with its members, and the
members to invite."""

import re
from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, func, literal, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from alliance.core.audience import is_member
from alliance.core.text import contains, fold
from alliance.extensions import db
from alliance.groups.models import Membership, WorkingGroup, group_themes
from alliance.knowledge.access import visible_to
from alliance.knowledge.models import Item
from alliance.members.models import Member, member_themes
from alliance.members.services import offering
from alliance.themes.models import Theme

# --- suggestions ------------------------------------------------------------------------------

#: Words too common to say anything about what a group needs.
_STOP = set(
    "aan als bij dat de deze die dit door een en er het hoe hun in is je kan kunnen maar met "
    "meer moet na naar niet nog of om onder ons ook op over te tot uit van voor wat we welke "
    "wie wij worden zijn zo zodat and the for with how what".split()
)


def opgave_words(group: WorkingGroup) -> list[str]:
    """The distinct folded words (three letters or more) of the name, opgave and deliverable."""
    text = fold(f"{group.name} {group.opgave} {group.deliverable}")
    words = []
    for word in re.findall(r"\w{3,}", text):
        if word not in _STOP and word not in words:
            words.append(word)
    return words[:20]


def invite_suggestions(group: WorkingGroup, limit: int = 8) -> list[tuple[Member, int]]:
    """Members to invite, best first: two points for each *Ik bied* tag that starts like a word
    of the opgave, one for each theme shared with the group. Members already in (or invited,
    asking or waiting) are left out."""
    words = opgave_words(group)
    theme_ids = [t.id for t in group.themes]
    hits = []
    if words:
        offers = offering(words).subquery()
        hits.append(select(offers.c.member_id.label("member_id"), literal(2).label("points")))
    if theme_ids:
        hits.append(
            select(member_themes.c.member_id.label("member_id"), literal(1).label("points")).where(
                member_themes.c.theme_id.in_(theme_ids)
            )
        )
    if not hits:
        return []
    scored = union_all(*hits).subquery()
    score = func.sum(scored.c.points).label("score")
    rows = db.session.execute(
        select(Member, score)
        .join(scored, scored.c.member_id == Member.id)
        .where(
            Member.email_confirmed_at.is_not(None),
            ~exists().where(
                Membership.group_id == group.id,
                Membership.member_id == Member.id,
                Membership.state != "declined",
            ),
        )
        .group_by(Member.id)
        .order_by(score.desc(), Member.name)
        .limit(limit)
        .options(selectinload(Member.tags))
    ).all()
    return [(member, points) for member, points in rows]


def members_named(group: WorkingGroup, typed: str, limit: int = 8) -> list[Member]:
    """Confirmed members whose name contains every word typed (any case), not in ``group`` yet
    (nor invited, asking or waiting), by name: the choices when a lead invites by name."""
    words = typed.lower().split()[:5]
    if not words:
        return []
    return list(
        db.session.scalars(
            select(Member)
            .where(
                Member.email_confirmed_at.is_not(None),
                *(contains(func.lower(Member.name), word) for word in words),
                ~exists().where(
                    Membership.group_id == group.id,
                    Membership.member_id == Member.id,
                    Membership.state != "declined",
                ),
            )
            .order_by(Member.name, Member.id)
            .limit(limit)
        )
    )


# --- lists ------------------------------------------------------------------------------------


@dataclass
class GroupQuery:
    """What the overview is asked."""

    theme: str = ""
    open_only: bool = False
    state: str = "active"  # active (with wrapping up), archived


def list_statement(query: GroupQuery) -> Select:
    """The groups that match the filters. Every member sees every group's public part."""
    statement = select(WorkingGroup)
    if query.state == "archived":
        statement = statement.where(WorkingGroup.state == "archived")
    else:
        statement = statement.where(WorkingGroup.state != "archived")
    if query.open_only:
        statement = statement.where(
            WorkingGroup.state == "active",
            WorkingGroup.join_policy != "invite",
            WorkingGroup.member_count < WorkingGroup.size_cap,
        )
    if query.theme:
        statement = statement.where(
            exists().where(
                group_themes.c.group_id == WorkingGroup.id,
                group_themes.c.theme_id == Theme.id,
                Theme.slug == query.theme,
            )
        )
    return statement


def list_groups(query: GroupQuery, limit: int = 100) -> list[WorkingGroup]:
    """The groups of the overview, ending soonest first (archived: most recent first)."""
    order = (
        (WorkingGroup.archived_at.desc(), WorkingGroup.id.desc())
        if query.state == "archived"
        else (WorkingGroup.ends_on, WorkingGroup.id)
    )
    return list(
        db.session.scalars(
            list_statement(query)
            .options(selectinload(WorkingGroup.themes))
            .order_by(*order)
            .limit(limit)
        )
    )


def load_group(group_id: int) -> WorkingGroup | None:
    """A group with its themes (in the same statement)."""
    return (
        db.session.scalars(
            select(WorkingGroup)
            .where(WorkingGroup.id == group_id)
            .options(joinedload(WorkingGroup.themes))
        )
        .unique()
        .first()
    )


def memberships_of(group: WorkingGroup) -> list[Membership]:
    """Everyone with a row in the group (members, askers, invited), with the member loaded."""
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.group_id == group.id)
            .options(joinedload(Membership.member))
            .order_by(Membership.role, Membership.joined_at, Membership.id)
        )
    )


def groups_of_member(member_id: int, viewer, limit: int = 20) -> list[tuple]:
    """The working groups a member is in, running ones first, then the archived ones they
    were in: (group, their role, the published result when ``viewer`` may read it, else
    None). For members only (visitors see no working groups): one statement."""
    if not is_member(viewer):
        return []
    return list(
        db.session.execute(
            select(WorkingGroup, Membership.role, Item)
            .join(Membership, Membership.group_id == WorkingGroup.id)
            .outerjoin(Item, and_(Item.id == WorkingGroup.result_item_id, visible_to(viewer)))
            .where(Membership.member_id == member_id, Membership.state == "member")
            .order_by(
                WorkingGroup.state == "archived", WorkingGroup.ends_on.desc(), WorkingGroup.id
            )
            .limit(limit)
        ).all()
    )
