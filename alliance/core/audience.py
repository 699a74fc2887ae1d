"""Who the viewer is, and which working groups they are a current member of.

Every rule about private group content starts here: a working group's posts, events, tasks
and notifications reach its *current* members only (asked, invited, waiting, declined or left
is not in). The groups feature owns the memberships and registers a ``GroupDirectory`` when
the app starts; the features below it (the knowledge base) and beside it (agenda, notify,
search) ask through this module instead of importing groups.

The viewer's group ids are asked once per request and kept on ``flask.g``; a service that
changes a membership calls ``forget(member_id)``.
"""

from dataclasses import dataclass
from typing import Protocol

from flask import g, has_request_context
from sqlalchemy import ColumnElement, Select


@dataclass(frozen=True)
class GroupRef:
    """What other features may know of a working group: its name and state."""

    id: int
    name: str
    state: str  # active, wrapping_up, archived

    @property
    def archived(self) -> bool:
        return self.state == "archived"


class GroupDirectory(Protocol):
    """What the groups feature answers (see ``alliance.groups.directory``)."""

    def current_group_ids(self, member_id: int) -> set[int]:
        """The groups ``member_id`` is a current member of."""

    def current_group_ids_query(self, member_id: int) -> Select:
        """The same, as a subquery (one statement less where the ids are needed only once)."""

    def is_current_member(self, group_id, member_id) -> ColumnElement[bool]:
        """SQL: the member (a column or a value) is a current member of the group (a column
        or a value)."""

    def refs(self, group_ids: set[int]) -> dict[int, GroupRef]:
        """Name and state of these groups (those that exist)."""

    def lead_ids(self, group_id: int) -> set[int]:
        """The members who lead the group now."""


_directory: GroupDirectory | None = None


def register(directory: GroupDirectory) -> None:
    """The groups feature says how memberships are looked up (once, when the app starts)."""
    global _directory
    _directory = directory


def _groups() -> GroupDirectory:
    if _directory is None:
        raise RuntimeError("no GroupDirectory registered: is the groups feature set up?")
    return _directory


def is_member(viewer) -> bool:
    """A logged-in member (not a visitor)."""
    return bool(getattr(viewer, "is_authenticated", False))


def is_coordinator(viewer) -> bool:
    """A logged-in coordinator or administrator."""
    return is_member(viewer) and bool(viewer.is_coordinator)


def group_ids_of(viewer) -> set[int]:
    """The working groups ``viewer`` is a current member of (none for a visitor); once per
    request per member."""
    if not is_member(viewer):
        return set()
    if not has_request_context():
        return _groups().current_group_ids(viewer.id)
    cache = g.setdefault("audience_group_ids", {})
    if viewer.id not in cache:
        cache[viewer.id] = frozenset(_groups().current_group_ids(viewer.id))
    return set(cache[viewer.id])


def group_ids_query(viewer) -> Select:
    """The groups ``viewer`` is a current member of, as a subquery for ``IN``: a list built in
    the query itself costs no statement of its own (the bell)."""
    return _groups().current_group_ids_query(viewer.id)


def forget(member_id: int | None = None) -> None:
    """A membership changed: ask again next time (one member, or everyone)."""
    if not has_request_context():
        return
    cache = g.get("audience_group_ids")
    if cache is None:
        return
    if member_id is None:
        cache.clear()
    else:
        cache.pop(member_id, None)


def in_group(group_id, member_id) -> ColumnElement[bool]:
    """SQL: ``member_id`` is a current member of ``group_id`` (columns or values)."""
    return _groups().is_current_member(group_id, member_id)


def groups_of(viewer) -> list[GroupRef]:
    """The working groups ``viewer`` is in, by name."""
    refs = group_refs(group_ids_of(viewer))
    return sorted(refs.values(), key=lambda ref: (ref.name.casefold(), ref.id))


def writable_groups(viewer) -> list[GroupRef]:
    """The groups ``viewer`` can still post in: a current member, and not archived."""
    return [ref for ref in groups_of(viewer) if not ref.archived]


def group_refs(group_ids) -> dict[int, GroupRef]:
    """Name and state of the groups with these ids (those that exist)."""
    ids = {group_id for group_id in group_ids if group_id}
    return _groups().refs(ids) if ids else {}


def group_ref(group_id: int | None) -> GroupRef | None:
    """Name and state of one group, or None."""
    return group_refs({group_id}).get(group_id) if group_id else None


def group_leads(group_id: int | None) -> set[int]:
    """The members who lead a group now (none for no group)."""
    return _groups().lead_ids(group_id) if group_id else set()
