"""From database rows to search documents, in batches: the same code for the outbox drain and
for a full rebuild. Reads with plain SELECTs (no ORM objects): a rebuild reads 100,000 items."""

from collections import defaultdict
from collections.abc import Iterator
from types import SimpleNamespace

from sqlalchemy import func, select

from alliance.core import signals
from alliance.core.database import id_batches
from alliance.core.signals import SearchSource
from alliance.extensions import db
from alliance.knowledge.access import search_audience
from alliance.knowledge.models import (
    DILEMMA_FIELDS,
    EXPERIENCE_FIELDS,
    Item,
    ItemTag,
    Reply,
    item_themes,
)
from alliance.members.models import Member, MemberTag, member_themes
from alliance.search.analysis import PART_BREAK
from alliance.search.schema import Document
from alliance.themes.models import Theme

ITEM_TEXT_FIELDS = tuple(
    dict.fromkeys(DILEMMA_FIELDS + EXPERIENCE_FIELDS + ("decision", "outcome", "lesson"))
)
#: What came of it: weighed above the rest of the text.
ITEM_LESSON_FIELDS = ("decision", "outcome", "lesson")


def owner(kind: str, ref_id: int) -> str:
    return f"{kind}:{ref_id}"


def _grouped(rows) -> dict[int, list]:
    grouped = defaultdict(list)
    for key, value in rows:
        grouped[key].append(value)
    return grouped


def item_documents(ids: list[int]) -> dict[int, list[Document]]:
    """The documents of these items (one each; an item that is gone has none)."""
    if not ids:
        return {}
    columns = [getattr(Item, name) for name in ITEM_TEXT_FIELDS]
    rows = db.session.execute(
        select(
            Item.id,
            Item.kind,
            Item.title,
            Item.author_id,
            Item.anonymous,
            Item.visibility,
            Item.group_id,
            Item.status,
            Item.created_at,
            Item.hidden_at,
            *columns,
        ).where(Item.id.in_(ids))
    ).all()
    tags = _grouped(
        db.session.execute(
            select(ItemTag.item_id, ItemTag.label)
            .where(ItemTag.item_id.in_(ids))
            .order_by(ItemTag.item_id, ItemTag.position)
        )
    )
    themes = _grouped(
        db.session.execute(
            select(item_themes.c.item_id, item_themes.c.theme_id).where(
                item_themes.c.item_id.in_(ids)
            )
        )
    )
    theme_names = _theme_names()
    replies = _grouped(
        db.session.execute(
            select(Reply.item_id, Reply.body)
            .where(Reply.item_id.in_(ids), Reply.hidden_at.is_(None))
            .order_by(Reply.item_id, Reply.id)
        )
    )
    author_ids = {row.author_id for row in rows if row.author_id and not row.anonymous}
    authors = (
        {
            row.id: row
            for row in db.session.execute(
                select(Member.id, Member.name, Member.perspective).where(Member.id.in_(author_ids))
            )
        }
        if author_ids
        else {}
    )
    documents = {}
    for row in rows:
        author = authors.get(row.author_id) if not row.anonymous else None
        # Hidden by moderation: found by its author only, as in every list.
        access = search_audience(
            row.visibility, row.group_id, row.hidden_at is not None, row.author_id
        )
        text = [getattr(row, name) for name in ITEM_TEXT_FIELDS if name not in ITEM_LESSON_FIELDS]
        lesson = [getattr(row, name) for name in ITEM_LESSON_FIELDS]
        perspective = (author.perspective or "") if author else ""
        documents[row.id] = [
            Document(
                owner=owner("item", row.id),
                kind=row.kind,
                ref=row.id,
                title=row.title,
                created=row.created_at,
                access=access,
                body="\n".join(filter(None, text)),
                lesson="\n".join(filter(None, lesson)),
                tags="\n".join(tags.get(row.id, [])),
                labels=_labels(row.kind, perspective, themes.get(row.id, []), theme_names),
                replies=PART_BREAK.join(replies.get(row.id, [])),  # no phrase spans two replies
                people=author.name if author else "",
                themes=themes.get(row.id, []),
                status=row.status if row.kind == "dilemma" else "",  # experiences have none
                perspective=perspective,
            )
        ]
    return documents


def _theme_names() -> dict[int, str]:
    return {
        theme_id: f"{name_nl}\n{name_en}"
        for theme_id, name_nl, name_en in db.session.execute(
            select(Theme.id, Theme.name_nl, Theme.name_en)
        )
    }


def _labels(kind: str, perspective: str, themes: list[int], names: dict[int, str]) -> str:
    """The names a member may type for what a facet shows: the kind ("ervaring"), the themes
    (in both languages) and the perspective ("uitvoering"), all Dutch slugs as they are."""
    return "\n".join([kind, perspective, *(names.get(theme, "") for theme in themes)])


def member_documents(ids: list[int]) -> dict[int, list[Document]]:
    """A confirmed member is two documents: the whole profile for members, and — when some
    fields are public — only the public fields for visitors."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            Member.id,
            Member.name,
            Member.organisation,
            Member.perspective,
            Member.bio,
            Member.public_fields,
            Member.created_at,
            Member.profile_hidden_at,
        ).where(Member.id.in_(ids), Member.email_confirmed_at.is_not(None))
    ).all()
    tags = defaultdict(lambda: {"offer": [], "seek": []})
    for member_id, kind, label in db.session.execute(
        select(MemberTag.member_id, MemberTag.kind, MemberTag.label)
        .where(MemberTag.member_id.in_(ids))
        .order_by(MemberTag.member_id, MemberTag.position)
    ):
        tags[member_id][kind].append(label)
    themes = _grouped(
        db.session.execute(
            select(member_themes.c.member_id, member_themes.c.theme_id).where(
                member_themes.c.member_id.in_(ids)
            )
        )
    )
    documents = {}
    for row in rows:
        public = set(row.public_fields or [])
        parts = (row, tags[row.id]["offer"], tags[row.id]["seek"], themes.get(row.id, []))
        if row.profile_hidden_at is not None:  # hidden by moderation: the name only
            name_only = {**row._mapping, "bio": "", "organisation": "", "perspective": None}
            parts = (SimpleNamespace(**name_only), [], [], [])
            public = set()
        documents[row.id] = [_member_document(*parts, "members", lambda name: True)]
        if public:
            documents[row.id].append(_member_document(*parts, "anon", public.__contains__))
    return documents


def _member_document(row, offers, seeks, themes, audience: str, shown) -> Document:
    return Document(
        owner=owner("member", row.id),
        kind="member",
        ref=row.id,
        title=row.name,
        created=row.created_at,
        access=[audience],
        people=" ".join([row.name, row.organisation if shown("organisation") else ""]).strip(),
        body="\n".join(
            [row.bio if shown("bio") else "", "\n".join(seeks) if shown("seeks") else ""]
        ).strip(),
        offers="\n".join(offers) if shown("offers") else "",
        labels=(row.perspective or "") if shown("perspective") else "",
        themes=themes if shown("themes") else [],
        perspective=(row.perspective or "") if shown("perspective") else "",
    )


LOADERS = {"item": item_documents, "member": member_documents}
MODELS = {"item": Item, "member": Member}


def sources() -> dict[str, SearchSource]:
    """The kinds of document other features give search (``signals.search_sources``)."""
    return {
        source.kind: source
        for answer in signals.answers(signals.search_sources)
        for source in answer
    }


def kinds() -> tuple[str, ...]:
    """Every kind of document search knows: members, other features' kinds, items last (a
    rebuild indexes them in this order)."""
    return ("member", *sources(), "item")


def load(kind: str, ids: list[int]) -> dict[int, list[Document]]:
    """The current documents of these things (none for one that is gone or hidden)."""
    if kind in LOADERS:
        return LOADERS[kind](ids)
    source = sources().get(kind)
    if source is None:
        return {}
    return {
        ref_id: [Document(**fields) for fields in docs]
        for ref_id, docs in source.documents(ids).items()
    }


def all_ids(kind: str, batch: int = 1000) -> Iterator[list[int]]:
    """Every id of this kind, oldest first, in batches (for a rebuild)."""
    if kind not in MODELS:
        yield from sources()[kind].ids()
        return
    model = MODELS[kind]
    yield from id_batches(model, batch)


def count(kind: str) -> int:
    """How many things of this kind there are."""
    if kind not in MODELS:
        return sources()[kind].count()
    model = MODELS[kind]
    return db.session.scalar(select(func.count()).select_from(model)) or 0
