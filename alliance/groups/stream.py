"""The group's conversation: short messages with replies one level deep, newest activity first,
with the group's Kennisbank posts (dilemmas and experiences) in the same stream.

A member writes, replies, edits and deletes their own (both leave a visible mark). A page of the
stream is three statements however long it is: the messages, their replies, the posts."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, load_only

from alliance.core import signals
from alliance.core.errors import RuleError
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.groups.models import WorkingGroup
from alliance.groups.services import _require_active
from alliance.groups.workmodels import GroupMessage
from alliance.knowledge.models import Item
from alliance.knowledge.services import ItemChange, post_item
from alliance.members.models import Member

#: Messages (and posts) per page of the stream; "Meer laden" brings the next ones.
PAGE = 10
#: Replies shown under a message at first; the rest open on request.
REPLIES_SHOWN = 3
MAX_LENGTH = 5000
#: How often an open stream asks whether there is something new (seconds).
POLL_SECONDS = 30


def _clean(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise RuleError("body", _("Write a message."))
    if len(body) > MAX_LENGTH:
        raise RuleError("body", _("Keep it under %(num)d characters.", num=MAX_LENGTH))
    return body


def post_message(
    group: WorkingGroup, by: Member, body: str, parent: GroupMessage | None = None
) -> GroupMessage:
    """A member writes in the stream, or replies to a message (one level: a reply to a reply
    is a reply to its message)."""
    _require_active(group, "body")
    body = _clean(body)
    if parent is not None:
        if parent.group_id != group.id:
            raise RuleError("body", _("This message is not in this group."))
        if parent.parent_id is not None:
            parent = db.session.get(GroupMessage, parent.parent_id)
        if parent is None or parent.is_deleted:
            raise RuleError("body", _("This message has been deleted."))
    now = utcnow()
    message = GroupMessage(
        group_id=group.id,
        parent_id=parent.id if parent else None,
        author_id=by.id,
        body=body,
        created_at=now,
        last_activity_at=now,
    )
    db.session.add(message)
    db.session.flush()
    if parent is not None:
        # Counted in the database: two replies at once both count.
        db.session.execute(
            update(GroupMessage)
            .where(GroupMessage.id == parent.id)
            .values(reply_count=GroupMessage.reply_count + 1, last_activity_at=now)
        )
        db.session.refresh(parent)
    signals.group_message_posted.send(
        group, message=message, parent_author_id=parent.author_id if parent else None
    )
    signals.content_changed.send("group_message", ref_id=message.id)
    return message


def _own(message: GroupMessage, by: Member) -> None:
    if message.author_id != by.id:
        raise RuleError("body", _("You can only change your own messages."))
    if message.is_deleted:
        raise RuleError("body", _("This message has been deleted."))


def edit_message(group: WorkingGroup, message: GroupMessage, by: Member, body: str) -> GroupMessage:
    """The author changes their message; it shows "bewerkt"."""
    _require_active(group, "body")
    _own(message, by)
    body = _clean(body)
    if body != message.body:
        message.body = body
        message.edited_at = utcnow()
        db.session.flush()
        signals.content_changed.send("group_message", ref_id=message.id)
    return message


def delete_message(group: WorkingGroup, message: GroupMessage, by: Member) -> GroupMessage:
    """The author deletes their message: the words go, a mark stays in its place (so that the
    replies under it keep their context)."""
    _require_active(group, "body")
    _own(message, by)
    message.body = ""
    message.deleted_at = utcnow()
    db.session.flush()
    signals.content_changed.send("group_message", ref_id=message.id)
    return message


def to_kennisbank(group: WorkingGroup, message: GroupMessage, by: Member, kind: str) -> Item:
    """The writer turns their message into a dilemma or an experience of the group in the
    Kennisbank (for the group only at first: the author can widen it when editing). The
    message keeps a link to the post, the post shows where it came from."""
    _require_active(group, "body")
    _own(message, by)
    if message.item_id is not None:
        raise RuleError("body", _("This message is already in the knowledge base."))
    text = message.body.strip()
    title = " ".join(text.split("\n", 1)[0].split()).strip("#*_ ")[:200] or _(
        "From our conversation"
    )
    item = post_item(
        by,
        ItemChange(
            kind="ervaring" if kind == "ervaring" else "dilemma",
            title=title,
            visibility="group",
            group_id=group.id,
            fields={"tension" if kind != "ervaring" else "what_we_did": text},
        ),
    )
    message.item_id = item.id
    db.session.flush()
    return item


def load_message(group: WorkingGroup, message_id: int) -> GroupMessage | None:
    """A message of this group (None: not there, or another group's)."""
    message = db.session.get(GroupMessage, message_id)
    return message if message is not None and message.group_id == group.id else None


# --- reading -----------------------------------------------------------------------------------


@dataclass
class Entry:
    """One thing in the stream: a message with its replies, or a Kennisbank post."""

    at: datetime
    message: GroupMessage | None = None
    replies: list[GroupMessage] = field(default_factory=list)
    item: Item | None = None

    @property
    def more_replies(self) -> int:
        return self.message.reply_count - len(self.replies) if self.message else 0


@dataclass
class StreamPage:
    entries: list[Entry]
    next_before: str | None  # the cursor of "Meer laden" (None: this is the end)


def _cursor(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def stream_of(
    group: WorkingGroup, before: str | None = None, limit: int = PAGE, all_replies_of=None
) -> StreamPage:
    """A page of the stream, latest activity first: messages with their latest replies (all of
    them for ``all_replies_of``, a message id), and the group's posts in between. ``before``:
    the cursor a previous page gave."""
    cursor = _cursor(before)
    messages = select(GroupMessage).where(
        GroupMessage.group_id == group.id, GroupMessage.parent_id.is_(None)
    )
    items = select(Item).where(
        Item.visibility == "group", Item.group_id == group.id, Item.hidden_at.is_(None)
    )
    if cursor is not None:
        messages = messages.where(GroupMessage.last_activity_at < cursor)
        items = items.where(Item.last_activity_at < cursor)
    found = db.session.scalars(
        messages.options(joinedload(GroupMessage.author).load_only(Member.id, Member.name))
        .order_by(GroupMessage.last_activity_at.desc(), GroupMessage.id.desc())
        .limit(limit + 1)
    ).all()
    posts = db.session.scalars(
        items.options(
            load_only(
                Item.title,
                Item.kind,
                Item.author_id,
                Item.anonymous,
                Item.reply_count,
                Item.last_activity_at,
            ),
            joinedload(Item.author).load_only(Member.id, Member.name),
        )
        .order_by(Item.last_activity_at.desc(), Item.id.desc())
        .limit(limit + 1)
    ).all()
    entries = [Entry(m.last_activity_at, message=m) for m in found]
    entries += [Entry(i.last_activity_at, item=i) for i in posts]
    entries.sort(key=lambda e: e.at, reverse=True)
    more = len(entries) > limit
    entries = entries[:limit]
    _attach_replies(entries, all_replies_of)
    return StreamPage(entries, entries[-1].at.isoformat() if more and entries else None)


def _attach_replies(entries: list[Entry], all_replies_of: int | None) -> None:
    """The latest replies of each message on the page (all of one on request), oldest first,
    in one statement."""
    by_id = {e.message.id: e for e in entries if e.message is not None and e.message.reply_count}
    if not by_id:
        return
    ranked = (
        select(
            GroupMessage.id,
            func.row_number()
            .over(
                partition_by=GroupMessage.parent_id,
                order_by=(GroupMessage.created_at.desc(), GroupMessage.id.desc()),
            )
            .label("rank"),
        )
        .where(GroupMessage.parent_id.in_(by_id))
        .subquery()
    )
    keep = ranked.c.rank <= REPLIES_SHOWN
    if all_replies_of in by_id:
        keep = keep | (GroupMessage.parent_id == all_replies_of)
    rows = db.session.scalars(
        select(GroupMessage)
        .join(ranked, ranked.c.id == GroupMessage.id)
        .where(keep)
        .options(joinedload(GroupMessage.author).load_only(Member.id, Member.name))
        .order_by(GroupMessage.created_at, GroupMessage.id)
    ).all()
    for reply in rows:
        by_id[reply.parent_id].replies.append(reply)


def one_entry(group: WorkingGroup, message: GroupMessage, all_replies: bool = False) -> Entry:
    """One message with its replies (after a change to it, for htmx)."""
    if message.parent_id is not None:
        message = db.session.get(GroupMessage, message.parent_id)
    entry = Entry(message.last_activity_at, message=message)
    _attach_replies([entry], message.id if all_replies else None)
    return entry


def news_since(group: WorkingGroup, since: datetime | None, viewer_id: int) -> int:
    """How many messages and replies others wrote since ``since`` (the poll of an open
    stream)."""
    if since is None:
        return 0
    return (
        db.session.scalar(
            select(func.count(GroupMessage.id)).where(
                GroupMessage.group_id == group.id,
                GroupMessage.created_at > since,
                GroupMessage.author_id.is_distinct_from(viewer_id),
                GroupMessage.deleted_at.is_(None),
            )
        )
        or 0
    )
