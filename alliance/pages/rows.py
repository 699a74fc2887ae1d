"""The rows of the home page's blocks: "Jouw beurt", "Hier wordt jouw kennis gevraagd" and
"Recent besloten en geleerd". Each source is a function ``member -> list[Row]``: one bounded
statement, its filter built from ``knowledge.access``, ``core.audience`` and the notifications'
own rules. ``home.py`` puts the sources of a block in order of urgency."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_date, gettext, ngettext
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from alliance.core import audience
from alliance.core.text import first_line
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.groups.models import Membership, Task, WorkingGroup
from alliance.groups.proposals import awaiting_response
from alliance.knowledge.access import visible_to
from alliance.knowledge.models import Item, Reply, item_themes
from alliance.members.models import PERSPECTIVES, Member, member_themes
from alliance.notify.models import HelpRequest, Notification
from alliance.notify.services import visible_condition

#: Each block shows at most this many rows (and links to the full list).
BLOCK_SIZE = 5


@dataclass
class Row:
    """One line of a block: what it is about (a link), and a short note (how long, how many).
    ``kind`` names the source, for a test or a style; ``key`` keeps one thing from showing
    twice in a block."""

    kind: str
    title: str
    url: str
    note: str = ""
    key: str = ""
    lesson: str = ""  # the first line of a lesson (closed loops)
    when: datetime | None = None


def _days(moment: datetime | None) -> int:
    return max(0, (utcnow() - moment).days) if moment else 0


def _for_days(moment: datetime | None) -> str:
    days = _days(moment)
    if days == 0:
        return gettext("since today")
    return ngettext("for %(num)d day", "for %(num)d days", days)


def _item_url(item_id: int, anchor: str = "") -> str:
    return f"/kennisbank/{item_id}" + (f"#{anchor}" if anchor else "")


# --- Jouw beurt ---------------------------------------------------------------------------------


def my_dilemmas_waiting(member: Member) -> list[Row]:
    """My dilemmas that wait for me: answered but not decided, or decided but not evaluated."""
    items = db.session.scalars(
        select(Item)
        .where(
            Item.author_id == member.id,
            Item.kind == "dilemma",
            Item.hidden_at.is_(None),
            or_(and_(Item.status == "open", Item.reply_count > 0), Item.status == "besloten"),
        )
        .order_by(Item.last_activity_at.desc(), Item.id.desc())
        .limit(BLOCK_SIZE)
    ).all()
    rows = []
    for item in items:
        if item.status == "open":
            note = gettext(
                "Waits for your decision: %(replies)s, open %(how_long)s",
                replies=ngettext("%(num)d reply", "%(num)d replies", item.reply_count),
                how_long=_for_days(item.created_at),
            )
        else:
            note = gettext(
                "Decided %(when)s: what happened? Write the lesson",
                when=_ago(item.decided_at),
            )
        rows.append(Row("my_dilemma", item.title, _item_url(item.id), note, f"item:{item.id}"))
    return rows


#: The notifications that are a reply to me: to my post, or mentioning me.
REPLY_KINDS = ("reply", "mention")


def replies_to_me_unread(member: Member) -> list[Row]:
    """Replies to me I have not read (the notifications' read state), one row per post."""
    newest = func.max(Notification.created_at).label("newest")
    # An alias: ``visible_condition`` asks about ``item`` in a subquery of its own.
    post = aliased(Item)
    rows = db.session.execute(
        select(post.id, post.title, func.count(Notification.id), newest)
        .join(post, post.id == Notification.item_id)
        .where(
            Notification.recipient_id == member.id,
            Notification.read_at.is_(None),
            Notification.kind.in_(REPLY_KINDS),
            *visible_condition(member),
        )
        .group_by(post.id, post.title)
        .order_by(newest.desc())
        .limit(BLOCK_SIZE)
    ).all()
    return [
        Row(
            "unread_reply",
            title,
            _item_url(item_id),
            ngettext("%(num)d new reply to you", "%(num)d new replies to you", count),
            f"item:{item_id}",
        )
        for item_id, title, count, _newest in rows
    ]


def my_tasks_due(member: Member) -> list[Row]:
    """My open actiepunten with a due date, in the groups I am in now, soonest first."""
    rows = db.session.execute(
        select(Task.id, Task.title, Task.due_on, WorkingGroup.id, WorkingGroup.name)
        .join(WorkingGroup, WorkingGroup.id == Task.group_id)
        .where(
            Task.owner_id == member.id,
            Task.state != "done",
            Task.due_on.is_not(None),
            WorkingGroup.state != "archived",
            Task.group_id.in_(audience.group_ids_query(member)),
        )
        .order_by(Task.due_on, Task.id)
        .limit(BLOCK_SIZE)
    ).all()
    today = utcnow().date()
    result = []
    for task_id, title, due_on, group_id, group_name in rows:
        when = format_date(due_on, "d MMMM")
        note = (
            gettext("Overdue since %(date)s · %(group)s", date=when, group=group_name)
            if due_on < today
            else gettext("Due %(date)s · %(group)s", date=when, group=group_name)
        )
        result.append(Row("my_task", title, f"/werkgroepen/{group_id}#actiepunt-{task_id}", note))
    return result


def proposals_awaiting_me(member: Member) -> list[Row]:
    """Open proposals in my groups I have not responded to yet, closing soonest first."""
    result = []
    for proposal, group_name in awaiting_response(member, BLOCK_SIZE):
        days = max(0, (proposal.closes_at - utcnow()).days)
        note = (
            gettext("Closes today · %(group)s", group=group_name)
            if days == 0
            else ngettext(
                "Closes in %(num)d day · %(group)s",
                "Closes in %(num)d days · %(group)s",
                days,
                group=group_name,
            )
        )
        result.append(
            Row(
                "proposal",
                proposal.title,
                f"/werkgroepen/{proposal.group_id}#voorstel-{proposal.id}",
                note,
                f"proposal:{proposal.id}",
            )
        )
    return result


def join_requests_for_me(member: Member) -> list[Row]:
    """Groups I lead where members asked to join and wait for my answer."""
    asking = aliased(Membership)
    rows = db.session.execute(
        select(WorkingGroup.id, WorkingGroup.name, func.count(asking.id))
        .join(Membership, Membership.group_id == WorkingGroup.id)
        .join(asking, asking.group_id == WorkingGroup.id)
        .where(
            Membership.member_id == member.id,
            Membership.state == "member",
            Membership.role == "lead",
            asking.state == "requested",
            WorkingGroup.state != "archived",
        )
        .group_by(WorkingGroup.id, WorkingGroup.name)
        .order_by(WorkingGroup.id)
        .limit(BLOCK_SIZE)
    ).all()
    return [
        Row(
            "join_request",
            name,
            f"/werkgroepen/{group_id}#leden",
            ngettext(
                "%(num)d member asks to join: you lead this group",
                "%(num)d members ask to join: you lead this group",
                count,
            ),
            f"group:{group_id}",
        )
        for group_id, name, count in rows
    ]


# --- Hier wordt jouw kennis gevraagd -----------------------------------------------------------


def _not_answered_by(member: Member):
    return ~exists().where(Reply.item_id == Item.id, Reply.author_id == member.id)


def asked_to_think_along(member: Member) -> list[Row]:
    """Open dilemmas I was asked to think along about and have not answered."""
    items = db.session.execute(
        select(Item.id, Item.title, HelpRequest.created_at)
        .join(HelpRequest, HelpRequest.item_id == Item.id)
        .where(
            HelpRequest.member_id == member.id,
            Item.status == "open",
            visible_to(member),
            _not_answered_by(member),
        )
        .order_by(HelpRequest.created_at.desc())
        .limit(BLOCK_SIZE)
    ).all()
    return [
        Row(
            "asked",
            title,
            _item_url(item_id),
            gettext("You were asked to think along %(when)s", when=_ago(asked_at)),
            f"item:{item_id}",
        )
        for item_id, title, asked_at in items
    ]


def _ago(moment: datetime) -> str:
    days = _days(moment)
    return gettext("today") if days == 0 else ngettext("%(num)d day ago", "%(num)d days ago", days)


def my_perspective_missing(member: Member) -> list[Row]:
    """Open dilemmas in my themes where my perspective has not been heard yet (or, without a
    perspective, that I have not answered), most recently active first."""
    mine = select(member_themes.c.theme_id).where(member_themes.c.member_id == member.id)
    statement = select(Item.id, Item.title, Item.reply_count).where(
        Item.kind == "dilemma",
        Item.status == "open",
        visible_to(member),
        or_(Item.author_id.is_(None), Item.author_id != member.id),
        exists().where(item_themes.c.item_id == Item.id, item_themes.c.theme_id.in_(mine)),
    )
    if member.perspective in PERSPECTIVES:
        statement = statement.where(
            Item.answered_perspectives.not_like(f"%|{member.perspective}|%")
        )
        note = gettext(
            "No reply yet from %(perspective)s", perspective=member.perspective_label.lower()
        )
    else:
        statement = statement.where(_not_answered_by(member))
        note = ""
    rows = db.session.execute(
        statement.order_by(Item.last_activity_at.desc(), Item.id.desc()).limit(BLOCK_SIZE)
    ).all()
    return [
        Row(
            "perspective_missing",
            title,
            _item_url(item_id),
            note or ngettext("%(num)d reply", "%(num)d replies", count),
            f"item:{item_id}",
        )
        for item_id, title, count in rows
    ]


# --- Recent besloten en geleerd (also for visitors) --------------------------------------------


def closed_loops(viewer, limit: int = BLOCK_SIZE) -> list[Row]:
    """The latest decisions and lessons ``viewer`` may read: two bounded reads along the
    decided and evaluated indexes, merged newest first."""
    base = select(Item).where(Item.kind == "dilemma", visible_to(viewer))
    evaluated = db.session.scalars(
        base.where(Item.status == "geevalueerd", Item.evaluated_at.is_not(None))
        .order_by(Item.evaluated_at.desc(), Item.id.desc())
        .limit(limit)
    ).all()
    decided = db.session.scalars(
        base.where(Item.status == "besloten", Item.decided_at.is_not(None))
        .order_by(Item.decided_at.desc(), Item.id.desc())
        .limit(limit)
    ).all()
    rows = []
    for item in evaluated:
        rows.append(
            Row(
                "lesson",
                item.title,
                _item_url(item.id, "summary"),
                gettext("Lesson learned, %(date)s", date=format_date(item.evaluated_at, "d MMMM")),
                f"item:{item.id}",
                lesson=first_line(item.lesson),
                when=item.evaluated_at,
            )
        )
    for item in decided:
        rows.append(
            Row(
                "decision",
                item.title,
                _item_url(item.id),
                gettext("Decided, %(date)s", date=format_date(item.decided_at, "d MMMM")),
                f"item:{item.id}",
                lesson=first_line(item.decision),
                when=item.decided_at,
            )
        )
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows[:limit]
