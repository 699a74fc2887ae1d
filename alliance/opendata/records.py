"""The public knowledge as records: what the API answers and the daily dump holds.

Everything here is what a visitor who is not logged in may see, and nothing more: the items
and events come through the one access rule of each feature (``knowledge.access.visible_to``,
``agenda.services.visible_to``) asked for a visitor, never through a copy of it. On top of
that, open data names fewer people than the item page does: a member is named only when their
profile is public (at least one field shown to visitors, not hidden by the moderation), and the
author of an anonymous dilemma never — also not on their own replies to it.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_login import AnonymousUserMixin
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from alliance.agenda.models import Event
from alliance.agenda.services import visible_to as events_visible_to
from alliance.core.web import path_for
from alliance.extensions import db
from alliance.knowledge.access import replies_visible_to, visible_to
from alliance.knowledge.models import DILEMMA_FIELDS, EXPERIENCE_FIELDS, Item, Reply
from alliance.members.models import Member
from alliance.themes.models import Theme

#: The licence of every record unless the alliance states another (``OPEN_DATA_LICENCE``).
DEFAULT_LICENCE = {
    "id": "CC-BY-4.0",
    "name": "Creative Commons Naamsvermelding 4.0 Internationaal",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.nl",
}
#: The text fields of an item, in the order they are documented.
TEXT_FIELDS = (*DILEMMA_FIELDS, "decision", "outcome", *EXPERIENCE_FIELDS)
KINDS = ("dilemma", "ervaring")
STATUSES = ("open", "besloten", "geevalueerd")

VISITOR = AnonymousUserMixin()


def licence() -> dict:
    """The licence the alliance publishes its open data under."""
    return dict(current_app.config.get("OPEN_DATA_LICENCE") or DEFAULT_LICENCE)


def public_link(endpoint: str, **values) -> str:
    """A whole address on this site (``SITE_URL``), also outside a request (the dump)."""
    return current_app.config["SITE_URL"].rstrip("/") + path_for(endpoint, **values)


def iso(moment: datetime | None) -> str | None:
    """A naive UTC time as ISO 8601 with its zone."""
    return None if moment is None else moment.replace(microsecond=0).isoformat() + "Z"


def publicly_named(member: Member | None) -> bool:
    """Whether open data may carry this member's name: their profile is open to visitors."""
    return bool(member and member.public_fields and member.profile_hidden_at is None)


# --- filters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What a list is narrowed to: theme slug, kind, status, changed since; ``after`` is the
    cursor (the last id of the previous page)."""

    theme: str = ""
    kind: str = ""
    status: str = ""
    updated_since: datetime | None = None
    after: int = 0


def public_items() -> Select:
    """The items a visitor sees, oldest id first (a stable order for cursors)."""
    return select(Item).where(visible_to(VISITOR)).order_by(Item.id)


def _item_filters(statement: Select, filters: Filters) -> Select:
    if filters.theme:
        statement = statement.where(Item.themes.any(Theme.slug == filters.theme))
    if filters.kind:
        statement = statement.where(Item.kind == filters.kind)
    if filters.status:
        statement = statement.where(Item.status == filters.status)
    if filters.updated_since:
        statement = statement.where(
            or_(
                Item.updated_at >= filters.updated_since,
                Item.last_activity_at >= filters.updated_since,
            )
        )
    if filters.after:
        statement = statement.where(Item.id > filters.after)
    return statement


def _loaded(statement: Select) -> Select:
    return statement.options(
        selectinload(Item.themes), selectinload(Item.tags), selectinload(Item.author)
    )


def item_page(filters: Filters, limit: int) -> tuple[list[Item], bool]:
    """One page of public items after the cursor; and whether there are more."""
    rows = db.session.scalars(_loaded(_item_filters(public_items(), filters)).limit(limit + 1))
    rows = list(rows)
    return rows[:limit], len(rows) > limit


def lesson_page(filters: Filters, limit: int) -> tuple[list[Item], bool]:
    """One page of public items that hold a lesson (evaluated dilemmas, experiences)."""
    statement = _item_filters(public_items().where(Item.lesson != ""), filters)
    rows = list(db.session.scalars(_loaded(statement).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def public_item(item_id: int) -> Item | None:
    """One public item (None when it does not exist or is not public)."""
    return db.session.scalar(_loaded(public_items().where(Item.id == item_id)))


def public_replies(item_ids: list[int]) -> dict[int, list[Reply]]:
    """The replies a visitor may read on these items, oldest first, by item (one query)."""
    found: dict[int, list[Reply]] = {item_id: [] for item_id in item_ids}
    if not item_ids:
        return found
    rows = db.session.scalars(
        select(Reply)
        .where(Reply.item_id.in_(item_ids), replies_visible_to(VISITOR))
        .options(selectinload(Reply.author))
        .order_by(Reply.item_id, Reply.created_at, Reply.id)
    )
    for reply in rows:
        found[reply.item_id].append(reply)
    return found


def event_page(filters: Filters, limit: int) -> tuple[list[Event], bool]:
    """One page of public events (approved, not hidden, not of a group), by id."""
    statement = select(Event).where(events_visible_to(VISITOR)).order_by(Event.id)
    if filters.theme:
        statement = statement.where(Event.themes.any(Theme.slug == filters.theme))
    if filters.updated_since:
        statement = statement.where(Event.updated_at >= filters.updated_since)
    if filters.after:
        statement = statement.where(Event.id > filters.after)
    rows = list(db.session.scalars(statement.options(selectinload(Event.themes)).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def all_themes() -> list[Theme]:
    """Every theme, retired ones too (old items carry them)."""
    return list(db.session.scalars(select(Theme).order_by(Theme.position, Theme.id)))


# --- records ----------------------------------------------------------------------------------


def item_record(item: Item) -> dict:
    """An item as open data (without its replies)."""
    return {
        "id": item.id,
        "url": public_link("knowledge.show", item_id=item.id),
        "kind": item.kind,
        "title": item.title,
        "status": item.status,
        "themes": [theme.slug for theme in item.themes],
        "tags": [tag.label for tag in item.tags],
        "author": item.author.name if not item.anonymous and publicly_named(item.author) else None,
        "organisation_type": item.organisation_type,
        "fields": {name: getattr(item, name) or "" for name in TEXT_FIELDS},
        "perspectives_answered": sorted(item.perspectives),
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
        "last_activity_at": iso(item.last_activity_at),
        "decided_at": iso(item.decided_at),
        "evaluated_at": iso(item.evaluated_at),
        "licence": licence()["id"],
    }


def reply_record(reply: Reply, item: Item) -> dict:
    """A reply as open data: its perspective always, its author's name only when public."""
    named = publicly_named(reply.author) and not (
        item.anonymous and reply.author_id == item.author_id
    )
    return {
        "id": reply.id,
        "item_id": reply.item_id,
        "parent_id": reply.parent_id,
        "perspective": reply.perspective,
        "author": reply.author.name if named else None,
        "body": reply.body,
        "helped_author": bool(reply.helped_author),
        "created_at": iso(reply.created_at),
        "licence": licence()["id"],
    }


def lesson_record(item: Item) -> dict:
    """What was learnt: the lesson with the decision and outcome it came from."""
    return {
        "item_id": item.id,
        "url": public_link("knowledge.show", item_id=item.id),
        "kind": item.kind,
        "title": item.title,
        "themes": [theme.slug for theme in item.themes],
        "decision": item.decision or "",
        "outcome": item.outcome or "",
        "lesson": item.lesson,
        "evaluated_at": iso(item.evaluated_at),
        "updated_at": iso(item.updated_at),
        "licence": licence()["id"],
    }


def theme_record(theme: Theme) -> dict:
    """A theme of the action plan in both languages."""
    return {
        "slug": theme.slug,
        "name_nl": theme.name_nl,
        "name_en": theme.name_en,
        "description_nl": theme.description_nl,
        "description_en": theme.description_en,
        "retired": theme.retired_at is not None,
    }


def event_record(event: Event) -> dict:
    """A public event and its report (the online link stays on the event page)."""
    return {
        "id": event.id,
        "url": public_link("agenda.show", event_id=event.id),
        "kind": event.kind,
        "title": event.title,
        "description": event.description,
        "starts_at": iso(event.starts_at),
        "ends_at": iso(event.ends_at),
        "online": bool(event.online),
        "location": event.location,
        "themes": [theme.slug for theme in event.themes],
        "report": event.report or None,
        "report_at": iso(event.report_at),
        "updated_at": iso(event.updated_at),
        "licence": licence()["id"],
    }


def every_item(batch: int = 500) -> Iterator[tuple[Item, list[Reply]]]:
    """All public items with their public replies, in batches (the dump): memory stays flat."""
    after = 0
    while True:
        items, more = item_page(Filters(after=after), batch)
        replies = public_replies([item.id for item in items])
        for item in items:
            yield item, replies[item.id]
        if not more:
            return
        after = items[-1].id
        db.session.expunge_all()
