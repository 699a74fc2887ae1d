"""What can be reported: posts, replies and profiles (here), and what other features add by
answering ``signals.reportable_kinds`` (the agenda's events).

Each kind says how to load a piece of content by id, whether a viewer may see it (a report is
only possible on what the reporter can see, and the queue shows only what the coordinator may
see), how to hide and show it, where it lives, a short text for the queue, and — when a
coordinator may edit it — its text and how to change it."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from alliance.core import signals
from alliance.core.signals import ReportableKind
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.knowledge.access import can_view, can_view_reply
from alliance.knowledge.models import Item, ItemRevision, Reply
from alliance.knowledge.services import set_reply_hidden, snapshot
from alliance.members.models import Member
from alliance.members.services import visible_profile


def _reindex(kind: str, ref_id: int) -> None:
    signals.content_changed.send(kind, ref_id=ref_id)


# --- items ------------------------------------------------------------------------------------


def _hide_item(item: Item, hidden: bool) -> None:
    item.hidden_at = utcnow() if hidden else None
    db.session.flush()
    _reindex("item", item.id)


def _edit_item(item: Item, text: str) -> None:
    field = "tension" if item.is_dilemma else "what_we_did"
    db.session.add(ItemRevision(item_id=item.id, editor_id=None, snapshot=snapshot(item)))
    setattr(item, field, text.strip())
    item.moderated_at = item.updated_at = utcnow()
    db.session.flush()
    _reindex("item", item.id)


def _group_of(item: Item) -> int | None:
    return item.group_id if item.visibility == "group" else None


ITEM = ReportableKind(
    name="item",
    label=_l("A post"),
    load=lambda ref_id: db.session.get(Item, ref_id),
    can_see=can_view,
    set_hidden=_hide_item,
    is_hidden=lambda item: item.hidden_at is not None,
    url=lambda item: url_for("knowledge.show", item_id=item.id),
    summary=lambda item: item.title,
    author_id=lambda item: item.author_id,
    edit_text=lambda item: item.tension if item.is_dilemma else item.what_we_did,
    apply_edit=_edit_item,
    group_id=_group_of,
)


# --- replies ----------------------------------------------------------------------------------


def _edit_reply(reply: Reply, text: str) -> None:
    reply.body = text.strip()
    reply.moderated_at = reply.updated_at = utcnow()
    db.session.flush()
    _reindex("item", reply.item_id)


REPLY = ReportableKind(
    name="reply",
    label=_l("A reply"),
    load=lambda ref_id: db.session.get(Reply, ref_id),
    can_see=can_view_reply,
    set_hidden=set_reply_hidden,
    is_hidden=lambda reply: reply.hidden_at is not None,
    url=lambda reply: url_for(
        "knowledge.show", item_id=reply.item_id, _anchor=f"reactie-{reply.id}"
    ),
    summary=lambda reply: reply.body[:300],
    author_id=lambda reply: reply.author_id,
    edit_text=lambda reply: reply.body,
    apply_edit=_edit_reply,
    group_id=lambda reply: _group_of(reply.item),
)


# --- profiles ---------------------------------------------------------------------------------


def _load_member(ref_id: int) -> Member | None:
    member = db.session.get(Member, ref_id)
    return member if member is not None and member.email_confirmed_at else None


def _hide_profile(member: Member, hidden: bool) -> None:
    member.profile_hidden_at = utcnow() if hidden else None
    db.session.flush()
    _reindex("member", member.id)


def _edit_profile(member: Member, text: str) -> None:
    member.bio = text.strip()
    member.profile_moderated_at = utcnow()
    db.session.flush()
    _reindex("member", member.id)


PROFILE = ReportableKind(
    name="profile",
    label=_l("A profile"),
    load=_load_member,
    can_see=lambda member, viewer: visible_profile(member.id, viewer) is not None,
    set_hidden=_hide_profile,
    is_hidden=lambda member: member.profile_hidden_at is not None,
    url=lambda member: url_for("pages.profile", member_id=member.id),
    summary=lambda member: member.name,
    author_id=lambda member: member.id,
    edit_text=lambda member: member.bio,
    apply_edit=_edit_profile,
)


def kinds() -> dict[str, ReportableKind]:
    """Every kind of content that can be reported, by name."""
    found = [ITEM, REPLY, PROFILE]
    for answer in signals.answers(signals.reportable_kinds):
        found.extend(answer)
    return {kind.name: kind for kind in found}


def kind_of(name: str) -> ReportableKind | None:
    """The kind called ``name``, or None."""
    return kinds().get(name)
