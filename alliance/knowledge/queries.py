"""Reading the knowledge base: an item and its replies, the lists and their counts, the
perspective meter, the history, similar items, and give and take (reciprocity)."""

from dataclasses import dataclass, field

from sqlalchemy import Select, distinct, exists, func, literal, select, union
from sqlalchemy.orm import selectinload

from alliance.core import signals
from alliance.core.text import fold
from alliance.extensions import db
from alliance.knowledge.access import can_view, replies_visible_to, visible_to
from alliance.knowledge.models import (
    KINDS,
    Item,
    ItemMark,
    ItemRevision,
    Reply,
    ReplyMark,
    item_themes,
)
from alliance.members.models import PERSPECTIVES, Member
from alliance.members.services import offering
from alliance.themes.models import Theme


def load_item(item_id: int) -> Item | None:
    """An item with what its page shows loaded up front."""
    return db.session.scalar(
        select(Item)
        .where(Item.id == item_id)
        .options(selectinload(Item.themes), selectinload(Item.tags), selectinload(Item.author))
    )


def replies_of(item: Item, viewer=None) -> list[tuple[Reply, list[Reply]]]:
    """The replies to an item in order, each with its answers: one query, whatever the count.
    Replies hidden by moderation only for their author and coordinators."""
    statement = select(Reply).where(Reply.item_id == item.id, replies_visible_to(viewer))
    rows = db.session.scalars(
        statement.options(selectinload(Reply.author)).order_by(Reply.created_at, Reply.id)
    ).all()
    answers: dict[int, list[Reply]] = {}
    for reply in rows:
        if reply.parent_id:
            answers.setdefault(reply.parent_id, []).append(reply)
    return [(reply, answers.get(reply.id, [])) for reply in rows if not reply.parent_id]


def marks_of(member, item: Item) -> set[str]:
    """Which marks ``member`` has put on ``item`` ("recognise", "follow")."""
    if not getattr(member, "is_authenticated", False):
        return set()
    return set(
        db.session.scalars(
            select(ItemMark.kind).where(
                ItemMark.item_id == item.id, ItemMark.member_id == member.id
            )
        )
    )


def useful_marks_of(member, reply_ids: list[int]) -> set[int]:
    """The replies among ``reply_ids`` that ``member`` marked useful (one query)."""
    if not getattr(member, "is_authenticated", False) or not reply_ids:
        return set()
    return set(
        db.session.scalars(
            select(ReplyMark.reply_id).where(
                ReplyMark.member_id == member.id, ReplyMark.reply_id.in_(reply_ids)
            )
        )
    )


@dataclass
class MeterEntry:
    """One perspective on the meter: answered or not, and who could answer from it."""

    key: str
    label: str
    answered: bool
    suggestions: list[Member]


def perspective_meter(item: Item, limit: int = 3) -> list[MeterEntry]:
    """Which perspectives have answered; for each missing one, members of that perspective with
    an *Ik bied* that starts like one of the item's tags or themes ("woo" finds "Woo-verzoeken
    afhandelen"); one query for all missing perspectives."""
    answered = item.perspectives
    missing = [key for key in PERSPECTIVES if key not in answered]
    suggestions: dict[str, list[Member]] = {key: [] for key in missing}
    words = sorted({t.key for t in item.tags} | {fold(t.name_nl) for t in item.themes})[:12]
    if missing and words:
        offers = offering(words).subquery()
        rows = db.session.scalars(
            select(Member)
            .where(
                Member.perspective.in_(missing),
                Member.email_confirmed_at.is_not(None),
                Member.id != (item.author_id or 0),
                Member.id.in_(select(offers.c.member_id)),
            )
            .order_by(Member.name)
            .limit(limit * len(missing) * 3)
        ).all()
        for member in rows:
            bucket = suggestions[member.perspective]
            if len(bucket) < limit:
                bucket.append(member)
    return [
        MeterEntry(key, str(label), key in answered, suggestions.get(key, []))
        for key, label in PERSPECTIVES.items()
    ]


@dataclass
class ListQuery:
    """What the knowledge-base list is asked."""

    kind: str = ""
    theme: str = ""
    status: str = ""
    missing: str = ""  # a perspective that has not answered yet
    unanswered: bool = False
    group: int | None = None  # a working group's own discussion (its members only)
    sort: str = "activity"  # activity, newest, recognised
    page: int = 1


SORTS = {
    "activity": (Item.last_activity_at.desc(), Item.id.desc()),
    "newest": (Item.created_at.desc(), Item.id.desc()),
    "recognised": (Item.recognition_count.desc(), Item.last_activity_at.desc(), Item.id.desc()),
}


def list_statement(query: ListQuery, viewer) -> Select:
    """The items ``viewer`` may see that match the filters (without order or paging)."""
    statement = select(Item).where(visible_to(viewer))
    if query.kind in KINDS:
        statement = statement.where(Item.kind == query.kind)
    if query.status in ("open", "besloten", "geevalueerd"):
        statement = statement.where(Item.kind == "dilemma", Item.status == query.status)
    if query.theme:
        # EXISTS per row (not IN): the list keeps its ordered walk over the activity index.
        statement = statement.where(
            exists().where(
                item_themes.c.item_id == Item.id,
                item_themes.c.theme_id == Theme.id,
                Theme.slug == query.theme,
            )
        )
    if query.missing in PERSPECTIVES:
        statement = statement.where(
            Item.kind == "dilemma", Item.answered_perspectives.not_like(f"%|{query.missing}|%")
        )
    if query.unanswered:
        statement = statement.where(Item.reply_count == 0)
    if query.group:  # visible_to above already keeps a group's posts to its members
        statement = statement.where(Item.group_id == query.group)
    return statement


def list_items(query: ListQuery, viewer, page_size: int) -> tuple[list[Item], bool]:
    """One page of items (with themes, tags and author loaded) and whether there are more."""
    order = SORTS.get(query.sort, SORTS["activity"])
    rows = db.session.scalars(
        list_statement(query, viewer)
        .options(selectinload(Item.themes), selectinload(Item.tags), selectinload(Item.author))
        .order_by(*order)
        .limit(page_size + 1)
        .offset((max(1, query.page) - 1) * page_size)
    ).all()
    return list(rows[:page_size]), len(rows) > page_size


#: Counting stops here: "more than 1,000 posts" says enough, and a count of 100,000 rows on
#: every list page would cost more than the page itself.
COUNT_CAP = 1000


def count_items(query: ListQuery, viewer) -> int:
    """How many items match, up to ``COUNT_CAP + 1`` (for the live announcement)."""
    capped = list_statement(query, viewer).with_only_columns(Item.id).limit(COUNT_CAP + 1)
    return db.session.scalar(select(func.count()).select_from(capped.subquery())) or 0


@dataclass
class LessonQuery:
    """What ``/lessen`` is asked: a theme, a perspective that was heard, a page."""

    theme: str = ""
    perspective: str = ""
    page: int = 1


def lessons(
    query: LessonQuery, viewer, page_size: int, related: bool = True
) -> tuple[list[Item], bool]:
    """Evaluated dilemmas (their lesson) that ``viewer`` may read, newest lesson first: one
    page, and whether there are more. Filtered by theme, and by a perspective that answered
    (not the asker's own: a profile field a visitor may not see). ``related``: with themes and
    author loaded (two statements more)."""
    statement = select(Item).where(
        Item.kind == "dilemma",
        Item.status == "geevalueerd",
        Item.evaluated_at.is_not(None),
        visible_to(viewer),
    )
    if query.theme:
        statement = statement.where(
            exists().where(
                item_themes.c.item_id == Item.id,
                item_themes.c.theme_id == Theme.id,
                Theme.slug == query.theme,
            )
        )
    if query.perspective in PERSPECTIVES:
        statement = statement.where(Item.answered_perspectives.like(f"%|{query.perspective}|%"))
    if related:
        statement = statement.options(selectinload(Item.themes), selectinload(Item.author))
    rows = db.session.scalars(
        statement.order_by(Item.evaluated_at.desc(), Item.id.desc())
        .limit(page_size + 1)
        .offset((max(1, query.page) - 1) * page_size)
    ).all()
    return list(rows[:page_size]), len(rows) > page_size


def similar_items(text: str, viewer, limit: int = 5, exclude: int | None = None) -> list[Item]:
    """Items about the same thing as ``text`` (a title being typed) that ``viewer`` may read,
    best first: asked of search (stemmed, with synonyms); none when it cannot answer."""
    found = signals.answers(
        signals.similar_items, text, viewer=viewer, limit=limit, exclude=exclude
    )
    return [item for item in (found[0] if found else []) if can_view(item, viewer)][:limit]


def revisions_of(item: Item) -> list[ItemRevision]:
    """The history of an item, newest first."""
    return list(
        db.session.scalars(
            select(ItemRevision)
            .where(ItemRevision.item_id == item.id)
            .options(selectinload(ItemRevision.editor))
            .order_by(ItemRevision.created_at.desc(), ItemRevision.id.desc())
        )
    )


@dataclass
class Reciprocity:
    """Give and take from "dit hielp mij": how many members one helped and was helped by,
    and on which themes. No points."""

    helped: int = 0
    helped_by: int = 0
    helped_on: list[Theme] = field(default_factory=list)
    helped_with: list[Theme] = field(default_factory=list)


def reciprocity_of(member_id: int) -> Reciprocity:
    """Counted over posts everyone may know of (not anonymous, not in a private group)."""
    shared = (Item.anonymous.is_(False), Item.visibility != "group")
    gave = (
        select(Item.author_id.label("other"), Item.id.label("item_id"))
        .join(Reply, Reply.item_id == Item.id)
        .where(Reply.author_id == member_id, Reply.helped_author.is_(True), *shared)
        .where(Item.author_id.is_not(None), Item.author_id != member_id)
    )
    took = (
        select(Reply.author_id.label("other"), Item.id.label("item_id"))
        .join(Item, Item.id == Reply.item_id)
        .where(Item.author_id == member_id, Reply.helped_author.is_(True), *shared)
        .where(Reply.author_id.is_not(None), Reply.author_id != member_id)
    )
    # Two statements, whatever the numbers: both counts at once, then both lists of themes
    # (the profile page has a bar of 15 statements).
    gave_rows, took_rows = gave.subquery(), took.subquery()
    helped, helped_by = db.session.execute(
        select(
            select(func.count(distinct(gave_rows.c.other))).scalar_subquery(),
            select(func.count(distinct(took_rows.c.other))).scalar_subquery(),
        )
    ).one()
    result = Reciprocity(helped=helped or 0, helped_by=helped_by or 0)
    if not (result.helped or result.helped_by):
        return result
    direction = {}
    for name, rows in (("helped_on", gave_rows), ("helped_with", took_rows)):
        direction[name] = select(
            literal(name).label("direction"), item_themes.c.theme_id.label("theme_id")
        ).where(item_themes.c.item_id.in_(select(rows.c.item_id)))
    both = union(*direction.values()).subquery()
    for name, theme in db.session.execute(
        select(both.c.direction, Theme)
        .join(Theme, Theme.id == both.c.theme_id)
        .order_by(Theme.position, Theme.id)
    ):
        getattr(result, name).append(theme)
    return result
