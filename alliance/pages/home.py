"""What the home page shows: for a member "what can I do now" (the loop), for a visitor the
closed loops and honest counts of what members see.

Every block is a list of :class:`Row` (at most :data:`BLOCK_SIZE`), read with a bounded number
of statements whatever the member has. A block is made from *sources*, each a function
``member -> list[Row]`` in the block's tuple, in order of urgency: adding one more kind of row
(group proposals, say) is one function and one line in that tuple. Every list builds its
filter from ``knowledge.access`` and ``core.audience`` (and the agenda's ``visible_to``)."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import format_date, gettext, ngettext
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from alliance.agenda.models import Event, Signup, event_themes
from alliance.agenda.services import visible_to as events_visible_to
from alliance.core import audience
from alliance.core.text import first_line
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.groups.models import GroupNote, Membership, Task, WorkingGroup
from alliance.knowledge.access import visible_to
from alliance.knowledge.models import Item, Reply, item_themes
from alliance.members.models import PERSPECTIVES, Member, MemberTag, member_themes
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


# --- Mijn werkgroepen ---------------------------------------------------------------------------


@dataclass
class GroupLine:
    """One of my groups: what is new since my last visit, and the next task due."""

    id: int
    name: str
    active_posts: int
    new_tasks: int
    new_notes: int
    next_task: str | None
    next_due: date | None
    first_visit: bool

    @property
    def url(self) -> str:
        return f"/werkgroepen/{self.id}"

    @property
    def news(self) -> list[str]:
        """What is new, in words ("3 new messages", "1 new task")."""
        words = []
        if self.active_posts:
            words.append(
                ngettext(
                    "%(num)d conversation with news",
                    "%(num)d conversations with news",
                    self.active_posts,
                )
            )
        if self.new_tasks:
            words.append(ngettext("%(num)d new task", "%(num)d new tasks", self.new_tasks))
        if self.new_notes:
            words.append(
                ngettext("%(num)d new link or note", "%(num)d new links or notes", self.new_notes)
            )
        return words


def my_groups(member: Member) -> list[GroupLine]:
    """The groups I am in (not archived), each with its news since my last visit and the next
    open task with a due date, in one statement."""
    since = func.coalesce(Membership.last_visit_at, Membership.joined_at, Membership.created_at)
    # An item has a group only when it is for that group (knowledge.services).
    group_item = Item.group_id == WorkingGroup.id

    def count(model, *conditions):
        return select(func.count(model.id)).where(*conditions).correlate_except(model)

    # Posts with something new (a new post, or a reply since): one range of the group's
    # activity index, however many replies there were.
    active_posts = count(Item, group_item, Item.last_activity_at > since)
    new_tasks = count(Task, Task.group_id == WorkingGroup.id, Task.created_at > since)
    new_notes = count(
        GroupNote, GroupNote.group_id == WorkingGroup.id, GroupNote.created_at > since
    )
    next_task = (
        select(Task.id)
        .where(Task.group_id == WorkingGroup.id, Task.state != "done", Task.due_on.is_not(None))
        .order_by(Task.due_on, Task.id)
        .limit(1)
        .correlate(WorkingGroup)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            WorkingGroup.id,
            WorkingGroup.name,
            active_posts.scalar_subquery(),
            new_tasks.scalar_subquery(),
            new_notes.scalar_subquery(),
            Task.title,
            Task.due_on,
            Membership.last_visit_at.is_(None),
        )
        .join(Membership, Membership.group_id == WorkingGroup.id)
        .outerjoin(Task, Task.id == next_task)
        .where(
            Membership.member_id == member.id,
            Membership.state == "member",
            WorkingGroup.state != "archived",
        )
        .order_by(WorkingGroup.ends_on, WorkingGroup.id)
        .limit(BLOCK_SIZE)
    ).all()
    return [GroupLine(*row) for row in rows]


# --- Agenda -------------------------------------------------------------------------------------


@dataclass
class EventLine:
    """An event on the home page: mine (signed up or waiting) or open in my themes."""

    event: Event
    state: str = ""  # signed_up, waiting, or "" (open)


def my_agenda(member: Member) -> list[EventLine]:
    """Upcoming events I signed up for (or wait for), then open ones in my themes."""
    now = utcnow()
    mine = db.session.execute(
        select(Event, Signup.state)
        .join(Signup, Signup.event_id == Event.id)
        .where(
            Signup.member_id == member.id,
            Signup.state.in_(("signed_up", "waiting")),
            Event.ends_at > now,
            events_visible_to(member),
        )
        .order_by(Event.starts_at, Event.id)
        .limit(BLOCK_SIZE)
    ).all()
    lines = [EventLine(event, state) for event, state in mine]
    if len(lines) < BLOCK_SIZE:
        themes = select(member_themes.c.theme_id).where(member_themes.c.member_id == member.id)
        open_ones = db.session.scalars(
            select(Event)
            .where(
                Event.ends_at > now,
                events_visible_to(member),
                exists().where(
                    event_themes.c.event_id == Event.id, event_themes.c.theme_id.in_(themes)
                ),
                ~exists().where(
                    Signup.event_id == Event.id,
                    Signup.member_id == member.id,
                    Signup.state != "cancelled",
                ),
            )
            .order_by(Event.starts_at, Event.id)
            .limit(BLOCK_SIZE - len(lines))
        ).all()
        lines.extend(EventLine(event) for event in open_ones)
    return lines


def public_agenda() -> list[Event]:
    """The next public events (for a visitor)."""
    return list(
        db.session.scalars(
            select(Event)
            .where(events_visible_to(None), Event.ends_at > utcnow())
            .order_by(Event.starts_at, Event.id)
            .limit(BLOCK_SIZE)
        )
    )


# --- the first hour -----------------------------------------------------------------------------


@dataclass
class Steps:
    """The three steps of the first hour and whether each is done."""

    profile: bool
    themes: bool
    contribution: bool

    @property
    def done(self) -> int:
        return sum((self.profile, self.themes, self.contribution))

    @property
    def all_done(self) -> bool:
        return self.done == 3


def first_steps(member: Member) -> Steps:
    """Where the member stands in the first hour, read from what they did (one statement):
    a profile with perspective, organisation and an *Ik bied* or *Ik zoek*; themes followed;
    a first post or reply."""
    has_tag, has_theme, has_item, has_reply = db.session.execute(
        select(
            exists().where(MemberTag.member_id == member.id),
            exists().where(member_themes.c.member_id == member.id),
            exists().where(Item.author_id == member.id),
            exists().where(Reply.author_id == member.id),
        )
    ).one()
    profile = bool(member.perspective and member.organisation.strip() and has_tag)
    return Steps(profile, bool(has_theme), bool(has_item or has_reply))


def shows_first_steps(member: Member) -> Steps | None:
    """The steps for the home page: until they are all done, unless put away."""
    if member.welcome_dismissed_at is not None:
        return None
    steps = first_steps(member)
    return None if steps.all_done else steps


def question_for(member: Member) -> Item | None:
    """One open dilemma for the member to answer from their perspective: in their themes where
    their perspective is missing, else any open dilemma waiting for a first reply."""
    rows = my_perspective_missing(member)
    if rows:
        return db.session.get(Item, int(rows[0].key.removeprefix("item:")))
    return db.session.scalar(
        select(Item)
        .where(
            Item.kind == "dilemma",
            Item.status == "open",
            Item.reply_count == 0,
            visible_to(member),
            or_(Item.author_id.is_(None), Item.author_id != member.id),
        )
        .order_by(Item.last_activity_at.desc(), Item.id.desc())
        .limit(1)
    )


def mark_welcome_seen(member: Member) -> None:
    """The welcome page was shown (the first login leads there only once)."""
    if member.welcome_seen_at is None:
        member.welcome_seen_at = utcnow()
        db.session.flush()


def dismiss_welcome(member: Member) -> None:
    """The member puts the welcome away: the home page stops showing the steps."""
    member.welcome_seen_at = member.welcome_seen_at or utcnow()
    member.welcome_dismissed_at = utcnow()
    db.session.flush()


def restore_welcome(member: Member) -> None:
    """The member wants the steps back on the home page."""
    member.welcome_dismissed_at = None
    db.session.flush()


# --- the member's home, as blocks ---------------------------------------------------------------

Source = Callable[[Member], list[Row]]

#: "Jouw beurt", in order of urgency. A new kind of row is one source function here.
YOUR_TURN: tuple[Source, ...] = (
    my_dilemmas_waiting,
    join_requests_for_me,
    replies_to_me_unread,
    my_tasks_due,
)
#: "Hier wordt jouw kennis gevraagd".
KNOWLEDGE_ASKED: tuple[Source, ...] = (asked_to_think_along, my_perspective_missing)


def block(member: Member, sources: tuple[Source, ...], limit: int = BLOCK_SIZE) -> list[Row]:
    """The rows of the sources in order, each thing once, at most ``limit``. A source is asked
    only while there is room."""
    rows: list[Row] = []
    seen: set[str] = set()
    for source in sources:
        if len(rows) >= limit:
            break
        for row in source(member):
            if row.key and row.key in seen:
                continue
            seen.add(row.key)
            rows.append(row)
    return rows[:limit]


@dataclass
class MemberHome:
    """Everything the member's home page shows; an empty block is not shown."""

    steps: Steps | None
    your_turn: list[Row]
    asked: list[Row]
    closed: list[Row]
    groups: list[GroupLine]
    agenda: list[EventLine]
    extra: dict = field(default_factory=dict)


def member_home(member: Member) -> MemberHome:
    """The blocks of the member's home page, each bounded."""
    return MemberHome(
        steps=shows_first_steps(member),
        your_turn=block(member, YOUR_TURN),
        asked=block(member, KNOWLEDGE_ASKED),
        closed=closed_loops(member),
        groups=my_groups(member),
        agenda=my_agenda(member),
    )


# --- the visitor's home -------------------------------------------------------------------------


@dataclass
class VisitorCounts:
    """Honest counts: what a visitor can read, and what only members see."""

    members: int
    public_items: int
    member_items: int
    groups: int


#: The visitor's counts are the same for everyone: kept this many seconds in each worker.
VISITOR_COUNTS_SECONDS = 300
_visitor_counts: dict[str, tuple[float, VisitorCounts]] = {}


def visitor_counts() -> VisitorCounts:
    """The counts of the visitor's home, kept for :data:`VISITOR_COUNTS_SECONDS` per worker
    (per database): they change slowly and cost four counts over the whole table."""
    key = str(db.engine.url)
    cached = _visitor_counts.get(key)
    if cached and time.monotonic() - cached[0] < VISITOR_COUNTS_SECONDS:
        return cached[1]
    # Counted along the visibility index alone (a covering read, ~5 ms at 100,000 items
    # instead of a second for reading every row): posts hidden by the moderation, a handful,
    # are in these counts.
    members, public_items, member_items, groups = db.session.execute(
        select(
            select(func.count(Member.id))
            .where(Member.email_confirmed_at.is_not(None))
            .scalar_subquery(),
            select(func.count()).where(Item.visibility == "public").scalar_subquery(),
            select(func.count()).where(Item.visibility == "members").scalar_subquery(),
            select(func.count(WorkingGroup.id))
            .where(WorkingGroup.state != "archived")
            .scalar_subquery(),
        )
    ).one()
    counts = VisitorCounts(members, public_items, member_items, groups)
    _visitor_counts[key] = (time.monotonic(), counts)
    return counts


def forget_visitor_counts() -> None:
    """Count again at the next visit (tests)."""
    _visitor_counts.clear()
