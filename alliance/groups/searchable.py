"""What search finds of working groups: their public side (name, opgave, deliverable,
description), for members; and of the private space, for the group's current members only
(the index's ``group:N`` access, ``knowledge.access.search_audience``, checked again on every
row shown through ``core.audience``): the messages of the conversation, and the titles and
notes of documents. The group's Kennisbank posts are found as items."""

import re
from collections.abc import Iterator

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from alliance.core import audience
from alliance.core.audience import is_member
from alliance.core.database import id_batches
from alliance.core.signals import SearchHit, SearchSource
from alliance.core.web import format_day
from alliance.extensions import db
from alliance.groups.models import STATES, WorkingGroup, group_themes
from alliance.groups.workmodels import GroupDocument, GroupMessage
from alliance.knowledge.access import search_audience


def documents(ids: list[int]) -> dict[int, list[dict]]:
    """One document per group, for members."""
    rows = db.session.execute(
        select(
            WorkingGroup.id,
            WorkingGroup.name,
            WorkingGroup.opgave,
            WorkingGroup.deliverable,
            WorkingGroup.description,
            WorkingGroup.state,
            WorkingGroup.created_at,
        ).where(WorkingGroup.id.in_(ids))
    ).all()
    themes: dict[int, list[int]] = {}
    for group_id, theme_id in db.session.execute(
        select(group_themes.c.group_id, group_themes.c.theme_id).where(
            group_themes.c.group_id.in_(ids)
        )
    ):
        themes.setdefault(group_id, []).append(theme_id)
    return {
        row.id: [
            {
                "owner": f"group:{row.id}",
                "kind": "group",
                "ref": row.id,
                "title": row.name,
                "created": row.created_at,
                "access": ["members"],
                "body": "\n".join([row.opgave, row.deliverable, row.description]),
                "themes": themes.get(row.id, []),
                "status": row.state,
            }
        ]
        for row in rows
    }


def all_ids(batch: int = 1000) -> Iterator[list[int]]:
    """Every group id, oldest first, in batches (for a rebuild)."""
    yield from id_batches(WorkingGroup, batch)


def count() -> int:
    """How many groups there are."""
    return db.session.scalar(select(func.count(WorkingGroup.id))) or 0


def hits(ids: list[int], viewer) -> dict[int, SearchHit]:
    """How each group shows in the results: every member sees a group's public part."""
    if not is_member(viewer) or not ids:
        return {}
    found = {}
    for group in db.session.scalars(
        select(WorkingGroup)
        .where(WorkingGroup.id.in_(ids))
        .options(selectinload(WorkingGroup.themes))
    ):
        meta = [str(STATES.get(group.state, ""))]
        meta += [theme.name for theme in group.themes]
        meta.append(_("%(count)d of %(cap)d", count=group.member_count, cap=group.size_cap))
        found[group.id] = SearchHit(
            kind_label=_("Working group"),
            url=url_for("groups.show", group_id=group.id),
            title=group.name,
            texts=[group.opgave, group.deliverable, group.description],
            meta=meta,
        )
    return found


SOURCE = SearchSource(
    kind="group",
    label=_l("Working group"),
    documents=documents,
    ids=all_ids,
    count=count,
    hits=hits,
    statuses=STATES,
)


# --- the private space: messages and documents ---------------------------------------------------


def _first_line(text: str, length: int = 80) -> str:
    """The start of a message as a title: Markdown marks taken out, on one line."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text or "")
    line = " ".join(re.sub(r"[*_`#>~]+", "", text).split())
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"


def only_for(group_name: str) -> str:
    """The label of everything only a group's members see."""
    return _("Only for working group %(name)s", name=group_name)


def message_documents(ids: list[int]) -> dict[int, list[dict]]:
    """A message (or reply) for its group's current members; a deleted one is not found."""
    rows = db.session.execute(
        select(
            GroupMessage.id,
            GroupMessage.group_id,
            GroupMessage.body,
            GroupMessage.created_at,
            GroupMessage.deleted_at,
        ).where(GroupMessage.id.in_(ids))
    ).all()
    return {
        row.id: [
            {
                "owner": f"group_message:{row.id}",
                "kind": "group_message",
                "ref": row.id,
                "title": _first_line(row.body),
                "created": row.created_at,
                "access": search_audience("group", row.group_id),
                "body": row.body,
            }
        ]
        for row in rows
        if row.deleted_at is None
    }


def _visible_groups(viewer, group_ids) -> dict:
    """The groups among ``group_ids`` the viewer is a current member of, by id (name and
    state)."""
    mine = audience.group_ids_of(viewer) & set(group_ids)
    return audience.group_refs(mine)


def message_hits(ids: list[int], viewer) -> dict[int, SearchHit]:
    """Messages of the viewer's current groups (checked again now)."""
    if not is_member(viewer) or not ids:
        return {}
    messages = db.session.scalars(
        select(GroupMessage).where(GroupMessage.id.in_(ids), GroupMessage.deleted_at.is_(None))
    ).all()
    groups = _visible_groups(viewer, {m.group_id for m in messages})
    found = {}
    for message in messages:
        group = groups.get(message.group_id)
        if group is None:
            continue
        anchor = f"bericht-{message.parent_id or message.id}"
        found[message.id] = SearchHit(
            kind_label=_("Message in the working group"),
            url=url_for("groups.show", group_id=message.group_id, _anchor=anchor),
            title=_first_line(message.body),
            texts=[message.body],
            meta=[only_for(group.name), format_day(message.created_at)],
        )
    return found


MESSAGES = SearchSource(
    kind="group_message",
    label=_l("Message in a working group"),
    documents=message_documents,
    ids=lambda: id_batches(GroupMessage),
    count=lambda: db.session.scalar(select(func.count(GroupMessage.id))) or 0,
    hits=message_hits,
)


def document_documents(ids: list[int]) -> dict[int, list[dict]]:
    """A document's title and note for its group's current members (the file's text is not
    indexed: no library in the project reads PDF, and a home-made reader of untrusted Office
    files is a risk for little gain); a deleted one is not found."""
    rows = db.session.execute(
        select(
            GroupDocument.id,
            GroupDocument.group_id,
            GroupDocument.title,
            GroupDocument.note,
            GroupDocument.created_at,
            GroupDocument.deleted_at,
        ).where(GroupDocument.id.in_(ids))
    ).all()
    return {
        row.id: [
            {
                "owner": f"group_document:{row.id}",
                "kind": "group_document",
                "ref": row.id,
                "title": row.title,
                "created": row.created_at,
                "access": search_audience("group", row.group_id),
                "body": row.note,
            }
        ]
        for row in rows
        if row.deleted_at is None
    }


def document_hits(ids: list[int], viewer) -> dict[int, SearchHit]:
    """Documents of the viewer's current groups (checked again now)."""
    if not is_member(viewer) or not ids:
        return {}
    documents = db.session.scalars(
        select(GroupDocument).where(GroupDocument.id.in_(ids), GroupDocument.deleted_at.is_(None))
    ).all()
    groups = _visible_groups(viewer, {d.group_id for d in documents})
    found = {}
    for document in documents:
        group = groups.get(document.group_id)
        if group is None:
            continue
        found[document.id] = SearchHit(
            kind_label=_("Document of the working group"),
            url=url_for(
                "groups.show", group_id=document.group_id, _anchor=f"document-{document.id}"
            ),
            title=document.title,
            texts=[document.note],
            meta=[only_for(group.name), format_day(document.updated_at)],
        )
    return found


DOCUMENTS = SearchSource(
    kind="group_document",
    label=_l("Document of a working group"),
    documents=document_documents,
    ids=lambda: id_batches(GroupDocument),
    count=lambda: db.session.scalar(select(func.count(GroupDocument.id))) or 0,
    hits=document_hits,
)
