"""How the knowledge base takes part in what happens elsewhere: the reminders to close the
loop, and what it keeps about a member (export, erasure)."""

from datetime import date, timedelta

from sqlalchemy import delete, exists, select, update

from alliance.core import signals
from alliance.core.signals import Collected, Reminder
from alliance.core.text import slug
from alliance.core.timeutil import iso, utcnow
from alliance.core.web import path_for
from alliance.extensions import db
from alliance.knowledge.access import can_view
from alliance.knowledge.models import (
    DILEMMA_FIELDS,
    EXPERIENCE_FIELDS,
    FIELD_LABELS,
    Item,
    ItemMark,
    ItemRevision,
    Reply,
    ReplyMark,
    item_coauthors,
)
from alliance.knowledge.services import recount_marks_of

CLOSE_LOOP_DAYS = 30
WRITE_LESSON_DAYS = 90


# --- reminders ----------------------------------------------------------------------------------


def _loop_url(item_id: int) -> str:
    return path_for("knowledge.show", item_id=item_id, _anchor="loop-heading")


def _to_decide(today: date) -> list[Reminder]:
    """Open dilemmas with answers for a month and no decision: their askers."""
    answered_long_ago = exists().where(
        Reply.item_id == Item.id,
        Reply.created_at <= utcnow() - timedelta(days=CLOSE_LOOP_DAYS),
    )
    rows = db.session.execute(
        select(Item.id, Item.author_id).where(
            Item.kind == "dilemma",
            Item.status == "open",
            Item.reply_count > 0,
            Item.author_id.is_not(None),
            answered_long_ago,
        )
    ).all()
    return [
        Reminder(
            "close_loop",
            author_id,
            _loop_url(item_id),
            key=f"close_loop:{item_id}",
            item_id=item_id,
            params={"days": str(CLOSE_LOOP_DAYS)},
        )
        for item_id, author_id in rows
    ]


def _to_evaluate(today: date) -> list[Reminder]:
    """Dilemmas decided three months ago and not evaluated: their askers."""
    rows = db.session.execute(
        select(Item.id, Item.author_id).where(
            Item.kind == "dilemma",
            Item.status == "besloten",
            Item.author_id.is_not(None),
            Item.decided_at <= utcnow() - timedelta(days=WRITE_LESSON_DAYS),
        )
    ).all()
    return [
        Reminder(
            "write_lesson",
            author_id,
            _loop_url(item_id),
            key=f"write_lesson:{item_id}",
            item_id=item_id,
            params={"days": str(WRITE_LESSON_DAYS)},
        )
        for item_id, author_id in rows
    ]


#: The reminders of the knowledge base: to decide, then to write the outcome and the lesson.
REMINDERS = (_to_decide, _to_evaluate)


@signals.reminders_due.connect
def reminders(today: date) -> list[Reminder]:
    """What the knowledge base reminds askers of today."""
    return [reminder for kind in REMINDERS for reminder in kind(today)]


# --- a member's data ------------------------------------------------------------------------------


def _item_markdown(item: Item) -> str:
    names = ("title", *(DILEMMA_FIELDS if item.is_dilemma else EXPERIENCE_FIELDS))
    names += ("decision", "outcome", "lesson") if item.is_dilemma else ()
    parts = [f"# {item.title}", "", f"*{item.kind_label}, {iso(item.created_at)}*", ""]
    for name in names[1:]:
        text = getattr(item, name)
        if text:
            parts += [f"## {FIELD_LABELS[name]}", "", text, ""]
    return "\n".join(parts)


def _items(member) -> Collected:
    """The dilemmas and experiences the member posted, as data and as Markdown."""
    items = db.session.scalars(
        select(Item).where(Item.author_id == member.id).order_by(Item.id)
    ).all()
    data, files = [], {}
    for item in items:
        record = {
            "id": item.id,
            "kind": item.kind,
            "title": item.title,
            "visibility": item.visibility,
            "anonymous": item.anonymous,
            "status": item.status,
            "created_at": iso(item.created_at),
            "updated_at": iso(item.updated_at),
            "tags": [tag.label for tag in item.tags],
            "themes": [theme.slug for theme in item.themes],
            "hidden_by_moderation_at": iso(item.hidden_at),
        }
        for name in (*DILEMMA_FIELDS, *EXPERIENCE_FIELDS, "decision", "outcome", "lesson"):
            record[name] = getattr(item, name)
        data.append(record)
        files[f"bijdragen/{item.id}-{slug(item.title)}.md"] = _item_markdown(item)
    return Collected("items", data, files)


def _replies(member) -> Collected:
    """The member's replies, as data and as one Markdown file. The title of the post is given
    only when the member can still see it (a working group they left stays closed)."""
    replies = db.session.scalars(
        select(Reply).where(Reply.author_id == member.id).order_by(Reply.id)
    ).all()
    data, lines = [], ["# Mijn reacties", ""]
    for reply in replies:
        title = reply.item.title if can_view(reply.item, member) else None
        data.append(
            {
                "id": reply.id,
                "item_id": reply.item_id if title else None,
                "item_title": title,
                "perspective": reply.perspective,
                "body": reply.body,
                "created_at": iso(reply.created_at),
                "updated_at": iso(reply.updated_at),
                "hidden_by_moderation_at": iso(reply.hidden_at),
            }
        )
        lines += [f"## {title or '(werkgroep)'} — {iso(reply.created_at)}", "", reply.body, ""]
    return Collected(
        "replies", data, {"bijdragen/reacties.md": "\n".join(lines)} if replies else {}
    )


def _marks(member) -> Collected:
    """What the member recognised, follows, or marked useful."""
    item_marks = db.session.execute(
        select(ItemMark.item_id, ItemMark.kind, ItemMark.created_at).where(
            ItemMark.member_id == member.id
        )
    ).all()
    reply_marks = db.session.scalars(
        select(ReplyMark.reply_id).where(ReplyMark.member_id == member.id)
    ).all()
    return Collected(
        "marks",
        {
            "items": [
                {"item_id": row.item_id, "kind": row.kind, "created_at": iso(row.created_at)}
                for row in item_marks
            ],
            "useful_replies": list(reply_marks),
        },
    )


@signals.personal_data.connect
def personal_data(member) -> list[Collected]:
    """Posts, replies and marks of the member."""
    return [_items(member), _replies(member), _marks(member)]


@signals.account_erasing.connect
def erase(member) -> None:
    """Posts and replies stay, under "voormalig lid"; marks go (and the counts follow); the
    search index forgets the name on every post the member wrote or answered."""
    touched = set(db.session.scalars(select(Item.id).where(Item.author_id == member.id)))
    touched |= set(db.session.scalars(select(Reply.item_id).where(Reply.author_id == member.id)))
    touched |= set(
        db.session.scalars(
            select(item_coauthors.c.item_id).where(item_coauthors.c.member_id == member.id)
        )
    )
    recount_marks_of(member.id)
    db.session.execute(delete(ItemMark).where(ItemMark.member_id == member.id))
    db.session.execute(delete(ReplyMark).where(ReplyMark.member_id == member.id))
    db.session.execute(delete(item_coauthors).where(item_coauthors.c.member_id == member.id))
    db.session.execute(update(Item).where(Item.author_id == member.id).values(author_id=None))
    db.session.execute(update(Reply).where(Reply.author_id == member.id).values(author_id=None))
    db.session.execute(
        update(ItemRevision).where(ItemRevision.editor_id == member.id).values(editor_id=None)
    )
    for item_id in sorted(touched):
        signals.content_changed.send("item", ref_id=item_id)
