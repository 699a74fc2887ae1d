"""What search finds of working groups: their public side (name, opgave, deliverable,
description), for members. The space (discussion, tasks, notes) is private: the discussion is
found as the group's own items, by its members only."""

from collections.abc import Iterator

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from alliance.core.audience import is_member
from alliance.core.signals import SearchHit, SearchSource
from alliance.extensions import db
from alliance.groups.models import STATES, WorkingGroup, group_themes


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
    last = 0
    while True:
        ids = db.session.scalars(
            select(WorkingGroup.id)
            .where(WorkingGroup.id > last)
            .order_by(WorkingGroup.id)
            .limit(batch)
        ).all()
        if not ids:
            return
        yield list(ids)
        last = ids[-1]


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
