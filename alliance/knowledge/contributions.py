"""What a member did in the knowledge base, for their profile: their dilemmas and experiences,
their replies marked "dit hielp mij" (with the item), and the lessons of other members'
dilemmas they helped to close. Each list holds only what the viewer may see (the rules of
``knowledge/access.py``), one page at a time, in one statement."""

from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import contains_eager

from alliance.core.audience import is_member
from alliance.extensions import db
from alliance.knowledge.access import replies_visible_to, visible_to
from alliance.knowledge.models import Item, Reply

#: The lists of a profile, by the name in their address.
KINDS = ("bijdragen", "hielp", "lessen")


@dataclass
class Page:
    """One page of one list: its rows and whether another page follows."""

    kind: str
    rows: list
    page: int
    more: bool


def _posts(member_id: int, viewer) -> Select:
    """Their dilemmas and experiences. Anonymous ones only on their own profile: on anyone
    else's, listing them would name the author."""
    statement = select(Item).where(Item.author_id == member_id, visible_to(viewer))
    if not (is_member(viewer) and viewer.id == member_id):
        statement = statement.where(Item.anonymous.is_(False))
    # By id, newest first (the order they were posted): the author's index gives that order,
    # so the database walks the member's own posts, not every public item by date.
    return statement.order_by(Item.id.desc())


def _helped(member_id: int, viewer) -> Select:
    """Their replies the asker marked "dit hielp mij", each with its item."""
    return (
        select(Reply)
        .join(Item, Item.id == Reply.item_id)
        .where(
            Reply.author_id == member_id,
            Reply.helped_author.is_(True),
            replies_visible_to(viewer),
            visible_to(viewer),
        )
        .options(contains_eager(Reply.item))
        .order_by(Reply.created_at.desc(), Reply.id.desc())
    )


def _lessons(member_id: int, viewer) -> Select:
    """Dilemmas of others that got their lesson after this member replied on them. Walked
    from the member's replies (their author index), not over every item."""
    return (
        select(Item)
        .select_from(Reply)
        .join(Item, Item.id == Reply.item_id)
        .where(
            Reply.author_id == member_id,
            Reply.hidden_at.is_(None),
            Item.kind == "dilemma",
            Item.evaluated_at.is_not(None),
            Item.lesson != "",
            or_(Item.author_id.is_(None), Item.author_id != member_id),
            visible_to(viewer),
        )
        .distinct()  # two replies on one dilemma: one lesson
        .order_by(Item.evaluated_at.desc(), Item.id.desc())
    )


_STATEMENTS = {"bijdragen": _posts, "hielp": _helped, "lessen": _lessons}


def contributions(kind: str, member_id: int, viewer, page: int = 1, size: int = 5) -> Page:
    """One page of one of a member's lists (``KINDS``), as ``viewer`` may see it."""
    page = max(1, min(page, 10_000))
    rows = db.session.scalars(
        _STATEMENTS[kind](member_id, viewer).limit(size + 1).offset((page - 1) * size)
    ).all()
    return Page(kind, list(rows[:size]), page, len(rows) > size)
