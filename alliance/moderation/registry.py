"""What can be reported: a registry of content kinds.

Each kind says how to load a piece of content by id, whether a viewer may see it (a report is
only possible on what the reporter can see), how to hide and show it, where it lives (a URL),
a short text for the queue, and — when a coordinator may edit it — its text and how to change
it. Items, replies and profiles register here; a feature adds its own kind (the agenda's
"event") with ``register(ReportableKind(...))`` when it is set up."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l

from alliance.core.timeutil import utcnow
from alliance.extensions import db


@dataclass(frozen=True)
class ReportableKind:
    """One kind of reportable content and the hooks moderation needs for it."""

    name: str
    label: object  # a lazy string: "Post", "Reply", "Profile"
    load: Callable[[int], object | None]
    can_see: Callable[[object, object], bool]
    set_hidden: Callable[[object, bool], None]
    is_hidden: Callable[[object], bool]
    url: Callable[[object], str]
    summary: Callable[[object], str]
    author_id: Callable[[object], int | None]
    edit_text: Callable[[object], str] | None = None
    apply_edit: Callable[[object, str], None] | None = None


KINDS: dict[str, ReportableKind] = {}


def register(kind: ReportableKind) -> None:
    """Make a kind of content reportable (the last registration of a name wins)."""
    KINDS[kind.name] = kind


def kind_of(name: str) -> ReportableKind | None:
    """The registered kind called ``name``, or None."""
    return KINDS.get(name)


# --- items ------------------------------------------------------------------------------------


def _reindex(kind: str, ref_id: int) -> None:
    from alliance.search.outbox import mark_changed

    mark_changed(kind, ref_id)


def _load_item(ref_id: int):
    from alliance.knowledge.models import Item

    return db.session.get(Item, ref_id)


def _can_see_item(item, viewer) -> bool:
    from alliance.knowledge.services import can_view

    return can_view(item, viewer)


def _hide_item(item, hidden: bool) -> None:
    item.hidden_at = utcnow() if hidden else None
    db.session.flush()
    _reindex("item", item.id)


def _edit_item(item, text: str) -> None:
    from alliance.knowledge.models import ItemRevision
    from alliance.knowledge.services import snapshot

    field = "tension" if item.is_dilemma else "what_we_did"
    db.session.add(ItemRevision(item_id=item.id, editor_id=None, snapshot=snapshot(item)))
    setattr(item, field, text.strip())
    item.moderated_at = item.updated_at = utcnow()
    db.session.flush()
    _reindex("item", item.id)


register(
    ReportableKind(
        name="item",
        label=_l("A post"),
        load=_load_item,
        can_see=_can_see_item,
        set_hidden=_hide_item,
        is_hidden=lambda item: item.hidden_at is not None,
        url=lambda item: url_for("knowledge.show", item_id=item.id),
        summary=lambda item: item.title,
        author_id=lambda item: item.author_id,
        edit_text=lambda item: item.tension if item.is_dilemma else item.what_we_did,
        apply_edit=_edit_item,
    )
)


# --- replies ----------------------------------------------------------------------------------


def _load_reply(ref_id: int):
    from alliance.knowledge.models import Reply

    return db.session.get(Reply, ref_id)


def _can_see_reply(reply, viewer) -> bool:
    from alliance.knowledge.services import can_view

    return can_view(reply.item, viewer) and (
        reply.hidden_at is None or getattr(viewer, "id", None) == reply.author_id
    )


def _hide_reply(reply, hidden: bool) -> None:
    """A hidden reply no longer counts: the item's reply count follows."""
    if hidden and reply.hidden_at is None:
        reply.hidden_at = utcnow()
        reply.item.reply_count = max(0, reply.item.reply_count - 1)
    elif not hidden and reply.hidden_at is not None:
        reply.hidden_at = None
        reply.item.reply_count += 1
    db.session.flush()
    _reindex("item", reply.item_id)


def _edit_reply(reply, text: str) -> None:
    reply.body = text.strip()
    reply.moderated_at = reply.updated_at = utcnow()
    db.session.flush()
    _reindex("item", reply.item_id)


register(
    ReportableKind(
        name="reply",
        label=_l("A reply"),
        load=_load_reply,
        can_see=_can_see_reply,
        set_hidden=_hide_reply,
        is_hidden=lambda reply: reply.hidden_at is not None,
        url=lambda reply: url_for(
            "knowledge.show", item_id=reply.item_id, _anchor=f"reactie-{reply.id}"
        ),
        summary=lambda reply: reply.body[:300],
        author_id=lambda reply: reply.author_id,
        edit_text=lambda reply: reply.body,
        apply_edit=_edit_reply,
    )
)


# --- profiles ---------------------------------------------------------------------------------


def _load_member(ref_id: int):
    from alliance.members.models import Member

    member = db.session.get(Member, ref_id)
    return member if member is not None and member.email_confirmed_at else None


def _can_see_profile(member, viewer) -> bool:
    from alliance.members.services import visible_profile

    return visible_profile(member.id, viewer) is not None


def _hide_profile(member, hidden: bool) -> None:
    member.profile_hidden_at = utcnow() if hidden else None
    db.session.flush()
    _reindex("member", member.id)


def _edit_profile(member, text: str) -> None:
    member.bio = text.strip()
    member.profile_moderated_at = utcnow()
    db.session.flush()
    _reindex("member", member.id)


register(
    ReportableKind(
        name="profile",
        label=_l("A profile"),
        load=_load_member,
        can_see=_can_see_profile,
        set_hidden=_hide_profile,
        is_hidden=lambda member: member.profile_hidden_at is not None,
        url=lambda member: url_for("members.profile", member_id=member.id),
        summary=lambda member: member.name,
        author_id=lambda member: member.id,
        edit_text=lambda member: member.bio,
        apply_edit=_edit_profile,
    )
)


# --- events (the agenda) ----------------------------------------------------------------------


def _load_event(ref_id: int):
    from alliance.agenda.models import Event

    return db.session.get(Event, ref_id)


def _can_see_event(event, viewer) -> bool:
    from alliance.agenda.services import can_view

    return can_view(event, viewer)


def _hide_event(event, hidden: bool) -> None:
    event.hidden_at = (event.hidden_at or utcnow()) if hidden else None
    db.session.flush()


def _edit_event(event, text: str) -> None:
    event.description = text.strip()
    event.updated_at = utcnow()
    db.session.flush()


register(
    ReportableKind(
        name="event",
        label=_l("An event"),
        load=_load_event,
        can_see=_can_see_event,
        set_hidden=_hide_event,
        is_hidden=lambda event: event.hidden_at is not None,
        url=lambda event: url_for("agenda.show", event_id=event.id),
        summary=lambda event: event.title,
        author_id=lambda event: event.organiser_id,
        edit_text=lambda event: event.description,
        apply_edit=_edit_event,
    )
)
