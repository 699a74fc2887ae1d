"""What search finds of the agenda: each event in the agenda (approved, not hidden) by its
title, description, place and report, for whoever may see it there (``visible_to``'s rule as
search's ``access`` tokens)."""

from collections.abc import Iterator

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from alliance.agenda.models import Event, event_themes
from alliance.agenda.services import visible_to
from alliance.core.database import id_batches
from alliance.core.signals import SearchHit, SearchSource
from alliance.core.web import format_moment
from alliance.extensions import db


def access(visibility: str, group_id: int | None, state: str, hidden: bool) -> list[str]:
    """Who finds an event, as search's tokens: the rule of ``visible_to`` (in the agenda when
    approved and not hidden; public for everyone, members, or one group's members)."""
    if state != "approved" or hidden:
        return []
    if visibility == "public":
        return ["public"]
    if visibility == "members":
        return ["members"]
    return [f"group:{group_id}"] if group_id else []


def documents(ids: list[int]) -> dict[int, list[dict]]:
    """One document per event in the agenda; none for a proposal or a hidden event."""
    rows = db.session.execute(
        select(
            Event.id,
            Event.title,
            Event.kind,
            Event.description,
            Event.location,
            Event.online,
            Event.report,
            Event.visibility,
            Event.group_id,
            Event.state,
            Event.hidden_at,
            Event.starts_at,
        ).where(Event.id.in_(ids))
    ).all()
    themes: dict[int, list[int]] = {}
    for event_id, theme_id in db.session.execute(
        select(event_themes.c.event_id, event_themes.c.theme_id).where(
            event_themes.c.event_id.in_(ids)
        )
    ):
        themes.setdefault(event_id, []).append(theme_id)
    found = {}
    for row in rows:
        tokens = access(row.visibility, row.group_id, row.state, row.hidden_at is not None)
        if not tokens:
            continue
        found[row.id] = [
            {
                "owner": f"event:{row.id}",
                "kind": "event",
                "ref": row.id,
                "title": row.title,
                "created": row.starts_at,
                "access": tokens,
                "body": "\n".join(filter(None, [row.description, row.location])),
                "lesson": row.report or "",
                "labels": "\n".join(["agenda", row.kind, "online" if row.online else ""]),
                "themes": themes.get(row.id, []),
            }
        ]
    return found


def all_ids(batch: int = 1000) -> Iterator[list[int]]:
    """Every event id, oldest first, in batches (for a rebuild)."""
    yield from id_batches(Event, batch)


def count() -> int:
    return db.session.scalar(select(func.count(Event.id))) or 0


def hits(ids: list[int], viewer) -> dict[int, SearchHit]:
    """How each event shows in the results, for the events ``viewer`` may see in the agenda
    now (checked again with the agenda's own rule)."""
    if not ids:
        return {}
    found = {}
    for event in db.session.scalars(
        select(Event)
        .where(Event.id.in_(ids), visible_to(viewer))
        .options(selectinload(Event.themes))
    ):
        meta = [event.kind_label, format_moment(event.starts_at)]
        meta += [theme.name for theme in event.themes]
        if event.location:
            meta.append(event.location)
        found[event.id] = SearchHit(
            kind_label=str(_l("Event")),
            url=url_for("agenda.show", event_id=event.id),
            title=event.title,
            texts=[event.description, event.report, event.location],
            meta=meta,
        )
    return found


SOURCE = SearchSource(
    kind="event",
    label=_l("Event"),
    documents=documents,
    ids=all_ids,
    count=count,
    hits=hits,
)
