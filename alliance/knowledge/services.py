"""The rules of the knowledge base: posting and editing, replies and marks, closing the loop.

What others must hear of is sent as a signal (``core.signals``): search reindexes, notify
tells the asker, followers and repliers. Who may see what is in ``access``; reading in
``queries``."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, distinct, func, select, update
from sqlalchemy.exc import IntegrityError

from alliance.core import audience, signals
from alliance.core.errors import RuleError
from alliance.core.text import fold
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.knowledge.models import (
    DILEMMA_FIELDS,
    EXPERIENCE_FIELDS,
    KINDS,
    VISIBILITIES,
    Item,
    ItemMark,
    ItemRevision,
    ItemTag,
    Reply,
    ReplyMark,
)
from alliance.members.models import ORGANISATION_TYPES, PERSPECTIVES, Member
from alliance.members.services import parse_tags
from alliance.themes.models import Theme


def _reindex(item_id: int) -> None:
    """Search finds the item as it is once this transaction commits."""
    signals.content_changed.send("item", ref_id=item_id)


# --- writing items ----------------------------------------------------------------------------


@dataclass
class ItemChange:
    """The fields of an item as the author submits them."""

    kind: str
    title: str
    visibility: str = "members"
    group_id: int | None = None
    anonymous: bool = False
    organisation_type: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    theme_ids: list[int] = field(default_factory=list)
    tags: str = ""


def _check(change: ItemChange) -> list[str]:
    if change.kind not in KINDS:
        raise RuleError("kind", _("Choose a dilemma or an experience."))
    if change.visibility not in VISIBILITIES:
        raise RuleError("visibility", _("Choose who can read this."))
    if change.visibility == "group" and change.group_id is None:
        raise RuleError("visibility", _("Choose the working group that can read this."))
    if change.organisation_type and change.organisation_type not in ORGANISATION_TYPES:
        raise RuleError("organisation_type", _("Choose an organisation type from the list."))
    if change.anonymous and change.kind != "dilemma":
        raise RuleError("anonymous", _("Only a dilemma can be posted anonymously."))
    if not change.title.strip():
        raise RuleError("title", _("Give it a title."))
    main_field = "tension" if change.kind == "dilemma" else "what_we_did"
    if not (change.fields.get(main_field) or "").strip():
        raise RuleError(main_field, _("This is the heart of your post: fill it in."))
    return parse_tags(change.tags, "tags")


def _apply(item: Item, change: ItemChange, tags: list[str]) -> None:
    item.title = " ".join(change.title.split())
    item.visibility = change.visibility
    item.group_id = change.group_id if change.visibility == "group" else None
    item.anonymous = change.anonymous
    item.organisation_type = change.organisation_type or None
    names = DILEMMA_FIELDS if item.kind == "dilemma" else EXPERIENCE_FIELDS
    for name in names:
        setattr(item, name, (change.fields.get(name) or "").strip())
    item.themes = list(
        db.session.scalars(
            select(Theme).where(Theme.id.in_(change.theme_ids or [0]), Theme.retired_at.is_(None))
        )
    )
    item.tags = [ItemTag(label=label, key=fold(label), position=n) for n, label in enumerate(tags)]


def _check_group(member: Member, change: ItemChange) -> None:
    """A post for a working group: only by its current members, and not once it is archived."""
    if change.visibility != "group":
        return
    group = {ref.id: ref for ref in audience.groups_of(member)}.get(change.group_id or 0)
    if group is None:
        raise RuleError("group_id", _("Choose one of your working groups."))
    if group.archived:
        raise RuleError("group_id", _("This working group is archived: it can only be read."))


def post_item(author: Member, change: ItemChange) -> Item:
    """A member posts a dilemma or an experience; the author follows it from the start."""
    tags = _check(change)
    _check_group(author, change)
    now = utcnow()
    item = Item(
        kind=change.kind, author_id=author.id, created_at=now, updated_at=now, last_activity_at=now
    )
    _apply(item, change, tags)
    db.session.add(item)
    db.session.flush()
    db.session.add(ItemMark(item_id=item.id, member_id=author.id, kind="follow"))
    db.session.flush()
    _reindex(item.id)
    return item


def snapshot(item: Item) -> dict:
    """What an item says now, for its history."""
    names = (
        "title",
        *(DILEMMA_FIELDS if item.is_dilemma else EXPERIENCE_FIELDS),
        "decision",
        "outcome",
        "lesson",
    )
    data = {name: getattr(item, name) for name in names}
    data["tags"] = [t.label for t in item.tags]
    return data


def _refuse_if_archived(item: Item, field_name: str) -> None:
    """A post of an archived working group can only be read, like the rest of the group."""
    if item.visibility != "group":
        return
    group = audience.group_ref(item.group_id)
    if group is not None and group.archived:
        raise RuleError(field_name, _("This working group is archived: it can only be read."))


def edit_item(item: Item, editor: Member, change: ItemChange) -> Item:
    """Change an item; what it said before is kept in its history. A post of a working group
    stays in its group: moving it would show the members' replies to others (the group's
    published result is the way to share what came of it)."""
    change.kind = item.kind  # the kind of an item does not change
    tags = _check(change)
    _refuse_if_archived(item, "title")
    if item.visibility == "group" and (
        change.visibility != "group" or change.group_id != item.group_id
    ):
        raise RuleError(
            "visibility",
            _(
                "A post of a working group stays in the group: the replies were written for its "
                "members. Share what came of it in the group's result."
            ),
        )
    if change.visibility == "group" and change.group_id != item.group_id:
        _check_group(editor, change)
    db.session.add(ItemRevision(item_id=item.id, editor_id=editor.id, snapshot=snapshot(item)))
    _apply(item, change, tags)
    item.updated_at = utcnow()
    db.session.flush()
    _reindex(item.id)
    return item


def record_decision(item: Item, by: Member, decision: str) -> Item:
    """Close the loop, step one: the decision taken and why (open → besloten)."""
    if not item.is_dilemma:
        raise RuleError("decision", _("Only a dilemma gets a decision."))
    _refuse_if_archived(item, "decision")
    if not decision.strip():
        raise RuleError("decision", _("Write what you decided and why."))
    if item.decision:
        db.session.add(ItemRevision(item_id=item.id, editor_id=by.id, snapshot=snapshot(item)))
    item.decision = decision.strip()
    if item.status == "open":
        item.status = "besloten"
        item.decided_at = utcnow()
    item.last_activity_at = utcnow()
    db.session.flush()
    _reindex(item.id)
    return item


def record_evaluation(item: Item, by: Member, outcome: str, lesson: str) -> Item:
    """Close the loop, step two: what happened and the lesson (besloten → geëvalueerd)."""
    _refuse_if_archived(item, "outcome")
    if not item.is_dilemma or item.status == "open":
        raise RuleError("outcome", _("First write down the decision."))
    if not outcome.strip():
        raise RuleError("outcome", _("Write what happened."))
    if not lesson.strip():
        raise RuleError("lesson", _("Write the lesson others can use."))
    if item.outcome:
        db.session.add(ItemRevision(item_id=item.id, editor_id=by.id, snapshot=snapshot(item)))
    item.outcome, item.lesson = outcome.strip(), lesson.strip()
    first_evaluation = item.status != "geevalueerd"
    if first_evaluation:
        item.status = "geevalueerd"
        item.evaluated_at = utcnow()
    item.last_activity_at = utcnow()
    db.session.flush()
    _reindex(item.id)
    if first_evaluation:
        signals.item_evaluated.send(item)
    return item


# --- replies and marks -------------------------------------------------------------------------


def _locked(model, row_id: int):
    """The row, locked until this transaction ends (``FOR UPDATE`` on PostgreSQL; SQLite's
    write transactions run one at a time), and read again: counters kept on it are then
    recounted from their rows by one request at a time."""
    return db.session.scalar(
        select(model)
        .where(model.id == row_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def recount(item: Item) -> None:
    """The item's reply count and the perspectives heard, from its replies (hidden ones do not
    count). Call with the item locked (``_locked``)."""
    shown = (Reply.item_id == item.id, Reply.hidden_at.is_(None))
    item.reply_count = db.session.scalar(select(func.count(Reply.id)).where(*shown)) or 0
    heard = db.session.scalars(
        select(distinct(Reply.perspective)).where(*shown, Reply.perspective.is_not(None))
    ).all()
    item.answered_perspectives = "|" + "".join(f"{p}|" for p in sorted(heard))


def add_reply(
    item: Item, author: Member, body: str, perspective: str | None, parent: Reply | None = None
) -> Reply:
    """Answer an item (or a reply to it, one level deep) from a perspective."""
    if not body.strip():
        raise RuleError("body", _("Write your reply."))
    _refuse_if_archived(item, "body")
    if perspective and perspective not in PERSPECTIVES:
        raise RuleError("perspective", _("Choose a perspective from the list."))
    if parent is not None:
        if parent.item_id != item.id:
            raise RuleError("body", _("This reply belongs to another post."))
        if parent.parent_id is not None:  # answers go one level deep: attach to the top reply
            parent = db.session.get(Reply, parent.parent_id)
    item = _locked(Item, item.id)
    reply = Reply(
        item_id=item.id,
        author_id=author.id,
        body=body.strip(),
        perspective=perspective or None,
        parent_id=parent.id if parent else None,
    )
    db.session.add(reply)
    db.session.flush()
    recount(item)
    item.last_activity_at = utcnow()
    _mark(item.id, author.id, "follow", on=True)
    db.session.flush()
    _reindex(item.id)
    signals.reply_added.send(reply, item=item)
    return reply


def set_reply_hidden(reply: Reply, hidden: bool) -> None:
    """Moderation hides a reply (or shows it again); a hidden reply no longer counts."""
    item = _locked(Item, reply.item_id)
    if hidden and reply.hidden_at is None:
        reply.hidden_at = utcnow()
    elif not hidden:
        reply.hidden_at = None
    db.session.flush()
    recount(item)
    db.session.flush()
    _reindex(item.id)


def edit_reply(reply: Reply, body: str) -> Reply:
    """The author changes their reply."""
    if not body.strip():
        raise RuleError("body", _("Write your reply."))
    _refuse_if_archived(reply.item, "body")
    reply.body = body.strip()
    reply.updated_at = utcnow()
    db.session.flush()
    _reindex(reply.item_id)
    return reply


def delete_item(item: Item) -> None:
    """Remove an item with its replies, marks and history (for moderation and for members
    leaving; the search index follows through the outbox)."""
    item_id = item.id
    db.session.delete(item)
    db.session.flush()
    _reindex(item_id)


def set_helped(reply: Reply, helped: bool) -> None:
    """The asker marks a reply "dit hielp mij" (or takes it back); its author hears it."""
    changed = reply.helped_author != helped
    reply.helped_author = helped
    db.session.flush()
    if helped and changed:
        signals.reply_helped.send(reply, item=reply.item)


def set_useful(reply: Reply, member: Member, useful: bool) -> None:
    """Any member marks a reply "nuttig" (or takes it back); the count follows its marks."""
    reply = _locked(Reply, reply.id)
    exists = db.session.scalar(
        select(ReplyMark.id).where(ReplyMark.reply_id == reply.id, ReplyMark.member_id == member.id)
    )
    if useful and not exists:
        db.session.add(ReplyMark(reply_id=reply.id, member_id=member.id))
    elif not useful and exists:
        db.session.execute(delete(ReplyMark).where(ReplyMark.id == exists))
    db.session.flush()
    reply.useful_count = db.session.scalar(
        select(func.count(ReplyMark.id)).where(ReplyMark.reply_id == reply.id)
    )
    db.session.flush()


def _mark(item_id: int, member_id: int, kind: str, on: bool) -> bool:
    """Put or take off one mark; True when that changed something. A second request doing the
    same at the same moment finds the first one's mark (the unique constraint decides)."""
    where = (ItemMark.item_id == item_id, ItemMark.member_id == member_id, ItemMark.kind == kind)
    if not on:
        return bool(db.session.execute(delete(ItemMark).where(*where)).rowcount)
    if db.session.scalar(select(ItemMark.id).where(*where)):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(ItemMark(item_id=item_id, member_id=member_id, kind=kind))
    except IntegrityError:
        return False
    return True


def set_recognised(item: Item, member: Member, on: bool) -> None:
    """ "Ik herken dit": this is my dilemma too. The count follows its marks."""
    item = _locked(Item, item.id)
    _mark(item.id, member.id, "recognise", on)
    db.session.flush()
    item.recognition_count = db.session.scalar(
        select(func.count(ItemMark.id)).where(
            ItemMark.item_id == item.id, ItemMark.kind == "recognise"
        )
    )
    db.session.flush()


def set_following(item: Item, member: Member, on: bool) -> None:
    """Follow an item: followers hear of new replies."""
    _mark(item.id, member.id, "follow", on)
    db.session.flush()


def recount_marks_of(member_id: int) -> None:
    """Before a member's marks go (their account is deleted): the counts of what they marked
    follow, counted from the marks that stay."""
    items = db.session.scalars(
        select(ItemMark.item_id).where(
            ItemMark.member_id == member_id, ItemMark.kind == "recognise"
        )
    ).all()
    replies = db.session.scalars(
        select(ReplyMark.reply_id).where(ReplyMark.member_id == member_id)
    ).all()
    for item_id in items:
        others = select(func.count(ItemMark.id)).where(
            ItemMark.item_id == item_id,
            ItemMark.kind == "recognise",
            ItemMark.member_id != member_id,
        )
        db.session.execute(
            update(Item)
            .where(Item.id == item_id)
            .values(recognition_count=others.scalar_subquery())
        )
    for reply_id in replies:
        others = select(func.count(ReplyMark.id)).where(
            ReplyMark.reply_id == reply_id, ReplyMark.member_id != member_id
        )
        db.session.execute(
            update(Reply).where(Reply.id == reply_id).values(useful_count=others.scalar_subquery())
        )
