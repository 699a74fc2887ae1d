"""The events of the Kennisbank and the working groups, and the scheduled reminders. The
services of those features call these functions in the transaction of their change."""

import re
from datetime import date, timedelta

from flask import has_request_context
from sqlalchemy import distinct, exists, func, select

from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.knowledge.models import Item, ItemMark, Reply
from alliance.members.models import Member
from alliance.notify.services import notify, path_for

#: "@" at the start or after a space, then the name as written.
_MENTION = re.compile(r"(?:(?<=\s)|^)@(\w[^\n@]{0,80})", re.UNICODE)


def _actor_of(item: Item, member_id: int | None) -> int | None:
    """An anonymous asker stays anonymous in what others are told."""
    if item.anonymous and member_id == item.author_id:
        return None
    return member_id


def _current_member_id() -> int | None:
    if not has_request_context():
        return None
    from flask_login import current_user

    return current_user.id if current_user.is_authenticated else None


def mentioned_ids(text: str) -> list[int]:
    """The members named "@Voornaam Achternaam" in ``text`` (longest name that fits)."""
    found: list[int] = []
    for match in _MENTION.finditer(text or ""):
        after = match.group(1).lower()
        first = after.split()[0] if after.split() else ""
        if not first:
            continue
        candidates = db.session.execute(
            select(Member.id, Member.name)
            .where(
                func.lower(Member.name).like(first[:40].replace("%", "").replace("_", "") + "%"),
                Member.email_confirmed_at.is_not(None),
            )
            .limit(100)
        ).all()
        best = None
        for member_id, name in candidates:
            name = name.lower()
            rest = after[len(name) :]
            if after.startswith(name) and (not rest or not rest[0].isalnum()):
                if best is None or len(name) > best[1]:
                    best = (member_id, len(name))
        if best and best[0] not in found:
            found.append(best[0])
    return found


# --- Kennisbank -----------------------------------------------------------------------------


def reply_added(reply: Reply, item: Item) -> None:
    """The author hears of a reply, those mentioned that they are, followers of the item that
    something new is there (each member once, never the replier)."""
    url = path_for("knowledge.show", item_id=item.id, _anchor=f"reactie-{reply.id}")
    common = {"actor_id": reply.author_id, "item_id": item.id, "reply_id": reply.id, "url": url}
    told = {reply.author_id}
    if item.author_id and item.author_id not in told:
        notify(item.author_id, "reply", **common)
        told.add(item.author_id)
    for member_id in mentioned_ids(reply.body):
        if member_id not in told:
            notify(member_id, "mention", **common)
            told.add(member_id)
    followers = db.session.scalars(
        select(ItemMark.member_id).where(ItemMark.item_id == item.id, ItemMark.kind == "follow")
    )
    for member_id in followers:
        if member_id not in told:
            notify(member_id, "followed_reply", **common)
            told.add(member_id)


def reply_helped(reply: Reply, item: Item) -> None:
    """The asker marked a reply "dit hielp mij": its author hears it (once)."""
    notify(
        reply.author_id,
        "helped",
        actor_id=_actor_of(item, item.author_id),
        item_id=item.id,
        reply_id=reply.id,
        url=path_for("knowledge.show", item_id=item.id, _anchor=f"reactie-{reply.id}"),
        key=f"helped:{reply.id}",
    )


def item_evaluated(item: Item) -> None:
    """ "Dit is ermee gedaan": everyone who replied hears that the dilemma is evaluated."""
    repliers = db.session.scalars(
        select(distinct(Reply.author_id)).where(
            Reply.item_id == item.id, Reply.author_id.is_not(None)
        )
    ).all()
    for member_id in repliers:
        if member_id != item.author_id:
            notify(
                member_id,
                "evaluated",
                actor_id=_actor_of(item, item.author_id),
                item_id=item.id,
                url=path_for("knowledge.show", item_id=item.id),
                key=f"evaluated:{item.id}",
            )


# --- working groups -------------------------------------------------------------------------


def _group_url(group_id: int) -> str:
    return path_for("groups.show", group_id=group_id)


def invited(group, membership, by: Member) -> None:
    """The invited member hears of the invitation."""
    notify(
        membership.member_id,
        "group_invitation",
        actor_id=by.id,
        group_id=group.id,
        url=_group_url(group.id),
    )


def join_requested(group, membership) -> None:
    """The leads hear that someone asks to join (not for an open group's waiting list)."""
    from alliance.groups.models import Membership

    if membership.state not in ("requested", "waiting") or group.join_policy == "open":
        return
    leads = db.session.scalars(
        select(Membership.member_id).where(
            Membership.group_id == group.id,
            Membership.state == "member",
            Membership.role == "lead",
        )
    )
    for lead_id in leads:
        notify(
            lead_id,
            "join_request",
            actor_id=membership.member_id,
            group_id=group.id,
            url=_group_url(group.id),
        )


def approved(group, membership) -> None:
    """The member who asked hears they are in, with the lead's message if there is one."""
    notify(
        membership.member_id,
        "join_approved",
        actor_id=_current_member_id(),
        group_id=group.id,
        url=_group_url(group.id),
        params={"message": membership.message} if membership.message else None,
    )


def declined(group, membership) -> None:
    """The member who asked hears the lead's answer: the group's page (its public part) says
    it too."""
    notify(
        membership.member_id,
        "join_declined",
        actor_id=_current_member_id(),
        group_id=group.id,
        url=_group_url(group.id),
        params={"message": membership.message},
    )


def task_assigned(group, task, by_id: int | None = None) -> None:
    """The owner of a task hears it is theirs (not when they took it themselves)."""
    notify(
        task.owner_id,
        "task_assigned",
        actor_id=by_id if by_id is not None else _current_member_id(),
        group_id=group.id,
        url=_group_url(group.id),
        params={"task": task.title},
    )


# --- scheduled reminders --------------------------------------------------------------------

TASK_DUE_DAYS = 2
GROUP_ENDING_DAYS = 14
CLOSE_LOOP_DAYS = 30
WRITE_LESSON_DAYS = 90


def send_reminders(today: date | None = None) -> int:
    """Tasks due soon, groups ending soon (their members) or past their end date (their
    leads), dilemmas to close: each reminder once (``key``). Returns how many members were
    told."""
    from alliance.groups.models import Membership, Task, WorkingGroup

    today = today or utcnow().date()
    now = utcnow()
    told = 0
    tasks = db.session.execute(
        select(Task, WorkingGroup)
        .join(WorkingGroup, WorkingGroup.id == Task.group_id)
        .where(
            Task.state != "done",
            Task.owner_id.is_not(None),
            Task.due_on.is_not(None),
            Task.due_on >= today,
            Task.due_on <= today + timedelta(days=TASK_DUE_DAYS),
            WorkingGroup.state == "active",
        )
    ).all()
    for task, group in tasks:
        told += bool(
            notify(
                task.owner_id,
                "task_due",
                group_id=group.id,
                url=_group_url(group.id),
                params={"task": task.title, "due": task.due_on.isoformat()},
                key=f"task_due:{task.id}:{task.due_on.isoformat()}",
            )
        )
    ending = db.session.execute(
        select(WorkingGroup, Membership.member_id)
        .join(Membership, Membership.group_id == WorkingGroup.id)
        .where(
            WorkingGroup.state == "active",
            WorkingGroup.ends_on >= today,
            WorkingGroup.ends_on <= today + timedelta(days=GROUP_ENDING_DAYS),
            Membership.state == "member",
        )
    ).all()
    for group, member_id in ending:
        told += bool(
            notify(
                member_id,
                "group_ending",
                group_id=group.id,
                url=_group_url(group.id),
                params={"ends": group.ends_on.isoformat()},
                key=f"group_ending:{group.id}:{group.ends_on.isoformat()}",
            )
        )
    overdue = db.session.execute(
        select(WorkingGroup, Membership.member_id)
        .join(Membership, Membership.group_id == WorkingGroup.id)
        .where(
            WorkingGroup.state != "archived",
            WorkingGroup.ends_on < today,
            Membership.state == "member",
            Membership.role == "lead",
        )
    ).all()
    for group, lead_id in overdue:  # once per end date: an extension sets it going again
        told += bool(
            notify(
                lead_id,
                "group_overdue",
                group_id=group.id,
                url=path_for("groups.show", group_id=group.id, _anchor="lifecycle-heading"),
                params={"ends": group.ends_on.isoformat()},
                key=f"group_overdue:{group.id}:{group.ends_on.isoformat()}",
            )
        )
    answered_long_ago = exists().where(
        Reply.item_id == Item.id, Reply.created_at <= now - timedelta(days=CLOSE_LOOP_DAYS)
    )
    to_decide = db.session.scalars(
        select(Item).where(
            Item.kind == "dilemma",
            Item.status == "open",
            Item.reply_count > 0,
            Item.author_id.is_not(None),
            answered_long_ago,
        )
    ).all()
    for item in to_decide:
        told += bool(
            notify(
                item.author_id,
                "close_loop",
                item_id=item.id,
                url=path_for("knowledge.show", item_id=item.id, _anchor="loop-heading"),
                params={"days": str(CLOSE_LOOP_DAYS)},
                key=f"close_loop:{item.id}",
            )
        )
    to_evaluate = db.session.scalars(
        select(Item).where(
            Item.kind == "dilemma",
            Item.status == "besloten",
            Item.author_id.is_not(None),
            Item.decided_at <= now - timedelta(days=WRITE_LESSON_DAYS),
        )
    ).all()
    for item in to_evaluate:
        told += bool(
            notify(
                item.author_id,
                "write_lesson",
                item_id=item.id,
                url=path_for("knowledge.show", item_id=item.id, _anchor="loop-heading"),
                params={"days": str(WRITE_LESSON_DAYS)},
                key=f"write_lesson:{item.id}",
            )
        )
    return told
