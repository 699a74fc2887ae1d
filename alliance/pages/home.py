"""What the home page shows: for a member "what can I do now" (the loop), for a visitor the
closed loops and honest counts of what members see.

Every block is a list of rows (at most :data:`BLOCK_SIZE`), read with a bounded number of
statements whatever the member has. A block is made from *sources* (``rows.py``), each a
function ``member -> list[Row]``, in the block's tuple in order of urgency: adding one more kind
of row (group proposals, say) is one function and one line in that tuple."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import ngettext
from sqlalchemy import exists, func, select

from alliance.agenda.models import Event, Signup, event_themes
from alliance.agenda.services import visible_to as events_visible_to
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.groups.models import GroupNote, Membership, Task, WorkingGroup
from alliance.groups.workmodels import GroupMessage
from alliance.knowledge.models import Item
from alliance.members.models import Member, member_themes
from alliance.pages.first_hour import Steps, shows_first_steps
from alliance.pages.rows import (
    BLOCK_SIZE,
    Row,
    asked_to_think_along,
    closed_loops,
    join_requests_for_me,
    my_dilemmas_waiting,
    my_perspective_missing,
    my_tasks_due,
    proposals_awaiting_me,
    replies_to_me_unread,
)

# --- Mijn werkgroepen ---------------------------------------------------------------------------


@dataclass
class GroupLine:
    """One of my groups: what is new since my last visit, and the next task due."""

    id: int
    name: str
    active_posts: int
    new_tasks: int
    new_notes: int
    new_messages: int
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
        if self.new_messages:
            words.append(
                ngettext("%(num)d new message", "%(num)d new messages", self.new_messages)
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
    new_messages = count(
        GroupMessage,
        GroupMessage.group_id == WorkingGroup.id,
        GroupMessage.created_at > since,
        GroupMessage.deleted_at.is_(None),
        GroupMessage.author_id.is_distinct_from(member.id),
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
            new_messages.scalar_subquery(),
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


# --- the member's home, as blocks ---------------------------------------------------------------

Source = Callable[[Member], list[Row]]

#: "Jouw beurt", in order of urgency. A new kind of row is one source function here.
YOUR_TURN: tuple[Source, ...] = (
    my_dilemmas_waiting,
    proposals_awaiting_me,
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
