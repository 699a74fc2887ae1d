"""The rules of the agenda: proposing and approving events, signing up with a capacity and a
waiting list, and the report that links to what came out of an event.

Every "tell this member" goes through ``_tell``: one place to route into notifications."""

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from alliance.agenda.models import (
    KINDS,
    MAX_CAPACITY,
    VISIBILITIES,
    CalendarLink,
    Event,
    Signup,
    event_groups,
    event_items,
)
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.groups.models import WorkingGroup
from alliance.groups.services import group_ids_of
from alliance.knowledge.models import Item
from alliance.members.models import Member
from alliance.themes.models import Theme

LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")
MAX_DURATION = timedelta(days=14)
MAX_AHEAD = timedelta(days=2 * 366)
MAX_LINKS = 20


class AgendaError(ValueError):
    """A change the rules refuse; ``field`` names the form field it belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


# --- time: stored as naive UTC, typed and shown in Europe/Amsterdam -----------------------------


def local_to_utc(local: datetime) -> datetime:
    """A wall-clock time in Amsterdam (as typed in a form) as naive UTC."""
    return local.replace(tzinfo=LOCAL_ZONE).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def utc_to_local(moment: datetime) -> datetime:
    """Naive UTC as a naive wall-clock time in Amsterdam (to fill in a form)."""
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(LOCAL_ZONE).replace(tzinfo=None)


# --- who may see and do what --------------------------------------------------------------------


def _authenticated(viewer) -> bool:
    return bool(getattr(viewer, "is_authenticated", False))


def can_view(event: Event, viewer) -> bool:
    """Group events: the group's current members only (not coordinators, not a former member
    who organised it). Others: once approved, by visibility; before that, the organiser and
    the coordinators who review it."""
    if event.visibility == "group":
        return event.group_id is not None and event.group_id in group_ids_of(viewer)
    if event.state != "approved":
        return _authenticated(viewer) and (viewer.id == event.organiser_id or viewer.is_coordinator)
    return event.visibility == "public" or _authenticated(viewer)


def visible_to(viewer):
    """The SQL condition for the events in the agenda that ``viewer`` may see."""
    if not _authenticated(viewer):
        return (Event.state == "approved") & (Event.visibility == "public")
    groups = group_ids_of(viewer)
    shown = Event.visibility != "group"
    if groups:
        shown = or_(shown, Event.group_id.in_(groups))
    return (Event.state == "approved") & shown


def can_manage(event: Event, member) -> bool:
    """The organiser edits the event, sees the participants and writes the report; so do the
    coordinators, except for group events (they stay inside the group)."""
    if not _authenticated(member) or not can_view(event, member):
        return False
    return member.id == event.organiser_id or (
        member.is_coordinator and event.visibility != "group"
    )


def can_review(event: Event, member) -> bool:
    """Coordinators approve or send back a proposed event."""
    return (
        _authenticated(member)
        and member.is_coordinator
        and event.visibility != "group"
        and event.state == "proposed"
    )


def load_event(event_id: int) -> Event | None:
    """The event with its themes and organiser, or None."""
    return db.session.get(Event, event_id)


# --- telling members ----------------------------------------------------------------------------

#: What ``_tell`` can say. Each kind is a text in templates/mail/agenda.*.
TELL_KINDS = ("signed_up", "waiting", "moved_up", "approved", "returned")


def _tell(member: Member, event_kind: str, event: Event, **params) -> None:
    """Tell ``member`` about ``event``: for now an e-mail in their language through the mail
    outbox (sent after the commit). The one place to route into notifications."""
    if event_kind not in TELL_KINDS:
        raise ValueError(event_kind)
    from alliance.mail.services import queue_mail

    base = current_app.config["SITE_URL"].rstrip("/")
    queue_mail(
        member.email,
        "agenda",
        member.locale,
        kind=event_kind,
        member=member,
        event=event,
        event_url=base + url_for("agenda.show", event_id=event.id),
        **params,
    )


# --- proposing, editing and reviewing -----------------------------------------------------------


@dataclass
class EventChange:
    """The fields of an event as its organiser submits them; times in Amsterdam time."""

    title: str
    kind: str
    starts_at: datetime | None
    ends_at: datetime | None
    description: str = ""
    online: bool = False
    online_url: str = ""
    location: str = ""
    capacity: int | None = None
    visibility: str = "members"
    group_id: int | None = None
    theme_ids: list[int] = field(default_factory=list)


def groups_for_events(member) -> list[WorkingGroup]:
    """The active groups ``member`` is in: the groups they can plan a group event for."""
    ids = group_ids_of(member)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(WorkingGroup)
            .where(WorkingGroup.id.in_(ids), WorkingGroup.state != "archived")
            .order_by(WorkingGroup.name)
        )
    )


def _check(change: EventChange, event: Event | None, member: Member) -> tuple[datetime, datetime]:
    if not change.title.strip():
        raise AgendaError("title", _("Give the event a title."))
    if change.kind not in KINDS:
        raise AgendaError("kind", _("Choose what kind of event it is."))
    if change.visibility not in VISIBILITIES:
        raise AgendaError("visibility", _("Choose who can see the event."))
    if change.visibility == "group":
        if change.group_id is None or change.group_id not in {
            g.id for g in groups_for_events(member)
        }:
            raise AgendaError("group_id", _("Choose one of your working groups."))
    if change.starts_at is None:
        raise AgendaError("starts_at", _("Give the date and time it starts."))
    if change.ends_at is None:
        raise AgendaError("ends_at", _("Give the date and time it ends."))
    try:
        starts, ends = local_to_utc(change.starts_at), local_to_utc(change.ends_at)
    except (OverflowError, ValueError) as error:
        raise AgendaError("starts_at", _("This date cannot be used. Choose another.")) from error
    now = utcnow()
    if starts <= now and (event is None or starts != event.starts_at):
        raise AgendaError("starts_at", _("This moment has passed. Choose a later start."))
    if starts > now + MAX_AHEAD:
        raise AgendaError("starts_at", _("Plan at most two years ahead."))
    if ends <= starts:
        raise AgendaError("ends_at", _("The end must be after the start."))
    if ends - starts > MAX_DURATION:
        raise AgendaError("ends_at", _("An event lasts at most two weeks."))
    if change.online:
        url = change.online_url.strip()
        if not re.match(r"^https?://[^\s/$.?#][^\s]*$", url, re.IGNORECASE) or len(url) > 1000:
            raise AgendaError(
                "online_url", _("Give the web address of the online meeting (https://…).")
            )
    elif not change.location.strip():
        raise AgendaError("location", _("Say where it takes place, or make it online."))
    if change.capacity is not None and not 1 <= change.capacity <= MAX_CAPACITY:
        raise AgendaError(
            "capacity",
            _("Choose between 1 and %(max)d places, or leave it empty.", max=MAX_CAPACITY),
        )
    if event is not None and change.capacity is not None:
        if change.capacity < event.participant_count:
            raise AgendaError(
                "capacity",
                _(
                    "%(num)d members have signed up already: there cannot be fewer places.",
                    num=event.participant_count,
                ),
            )
    return starts, ends


def _apply(event: Event, change: EventChange, starts: datetime, ends: datetime) -> None:
    event.title = change.title.strip()
    event.kind = change.kind
    event.description = change.description.strip()
    event.starts_at, event.ends_at = starts, ends
    event.online = change.online
    event.online_url = change.online_url.strip() if change.online else ""
    event.location = change.location.strip()
    event.capacity = change.capacity
    event.visibility = change.visibility
    event.group_id = change.group_id if change.visibility == "group" else None
    event.themes = list(
        db.session.scalars(
            select(Theme).where(Theme.id.in_(change.theme_ids or []), Theme.retired_at.is_(None))
        )
    )
    event.updated_at = utcnow()


def propose_event(member: Member, change: EventChange) -> Event:
    """Any member proposes an event; a coordinator approves it before it is in the agenda.
    A working-group event needs no approval: it stays inside the group."""
    starts, ends = _check(change, None, member)
    event = Event(organiser_id=member.id, participant_count=0)
    _apply(event, change, starts, ends)
    event.state = "approved" if change.visibility == "group" else "proposed"
    db.session.add(event)
    db.session.flush()
    return event


def edit_event(event: Event, member: Member, change: EventChange) -> Event:
    """Change an event that has not started. A sent-back proposal goes back for approval;
    a group event cannot leave its group, nor another event become one (that would skip the
    approval or show group content outside it)."""
    if event.has_started:
        raise AgendaError("title", _("The event has started: it can no longer be changed."))
    if (change.visibility == "group") != (event.visibility == "group"):
        raise AgendaError("visibility", _("A working-group event stays in its group."))
    if event.visibility == "group":
        change.group_id = event.group_id
        organiser = db.session.get(Member, event.organiser_id) if event.organiser_id else None
        member = organiser or member
    starts, ends = _check(change, event, member)
    _apply(event, change, starts, ends)
    if event.state == "returned":
        event.state = "proposed"
    db.session.flush()
    _promote(event)
    return event


def approve(event: Event, coordinator: Member) -> None:
    """A coordinator puts a proposed event in the agenda; the organiser is told."""
    if event.state != "proposed":
        raise AgendaError("message", _("This event is not waiting for approval."))
    event.state = "approved"
    event.review_message = ""
    event.reviewed_by_id, event.reviewed_at = coordinator.id, utcnow()
    db.session.flush()
    if event.organiser is not None:
        _tell(event.organiser, "approved", event)


def send_back(event: Event, coordinator: Member, message: str) -> None:
    """A coordinator sends a proposal back with a message; the organiser changes it and it
    comes back for approval."""
    if event.state != "proposed":
        raise AgendaError("message", _("This event is not waiting for approval."))
    if not message.strip():
        raise AgendaError("message", _("Tell the organiser what to change."))
    event.state = "returned"
    event.review_message = message.strip()
    event.reviewed_by_id, event.reviewed_at = coordinator.id, utcnow()
    db.session.flush()
    if event.organiser is not None:
        _tell(event.organiser, "returned", event, message=event.review_message)


def proposals() -> list[Event]:
    """What the coordinators still have to review, soonest first."""
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.state == "proposed", Event.visibility != "group")
            .order_by(Event.starts_at, Event.id)
        )
    )


# --- signing up ---------------------------------------------------------------------------------


def signup_of(event: Event, member) -> Signup | None:
    """``member``'s row for ``event`` (whatever its state), or None."""
    if not _authenticated(member):
        return None
    return db.session.scalar(
        select(Signup).where(Signup.event_id == event.id, Signup.member_id == member.id)
    )


def is_open_for_signup(event: Event) -> bool:
    """Approved and not started: sign-up closes at the start."""
    return event.state == "approved" and not event.has_started


def _take_place(event_id: int) -> bool:
    """Take one place, decided by the database: the counter only goes up while there is
    room, so two requests at the same moment cannot both take the last place (PostgreSQL
    re-checks the condition on the locked row; SQLite writers run one at a time)."""
    taken = db.session.execute(
        update(Event)
        .where(
            Event.id == event_id,
            Event.state == "approved",
            or_(Event.capacity.is_(None), Event.participant_count < Event.capacity),
        )
        .values(participant_count=Event.participant_count + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    return taken == 1


def _give_back_place(event_id: int) -> None:
    db.session.execute(
        update(Event)
        .where(Event.id == event_id, Event.participant_count > 0)
        .values(participant_count=Event.participant_count - 1)
        .execution_options(synchronize_session=False)
    )


def sign_up(event: Event, member: Member) -> Signup:
    """Sign up; when the event is full, join the waiting list. The member is told which."""
    if event.state != "approved":
        raise AgendaError("signup", _("This event is not in the agenda yet."))
    if event.has_started:
        raise AgendaError("signup", _("Sign-up has closed: the event has started."))
    already = _("You are already signed up or on the waiting list.")
    signup = signup_of(event, member)
    now = utcnow()
    if signup is None:
        try:
            with db.session.begin_nested():
                signup = Signup(
                    event_id=event.id, member_id=member.id, state="pending", queued_at=now
                )
                db.session.add(signup)
        except IntegrityError as error:  # the same member, twice at the same moment
            raise AgendaError("signup", already) from error
    else:
        claimed = db.session.execute(
            update(Signup)
            .where(Signup.id == signup.id, Signup.state == "cancelled")
            .values(state="pending", queued_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            raise AgendaError("signup", already)
    signup.state = "signed_up" if _take_place(event.id) else "waiting"
    signup.queued_at = now
    db.session.flush()
    db.session.refresh(event)
    _tell(member, signup.state, event)
    return signup


def cancel(event: Event, member: Member) -> None:
    """Cancel a place or leave the waiting list. A freed place goes to the first on the
    waiting list, who is told."""
    signup = signup_of(event, member)
    if signup is None or signup.state not in ("signed_up", "waiting"):
        raise AgendaError("signup", _("You are not signed up for this event."))
    if event.has_started:
        raise AgendaError("signup", _("The event has started: cancelling is no longer possible."))
    had_place = signup.state == "signed_up"
    left = db.session.execute(
        update(Signup)
        .where(Signup.id == signup.id, Signup.state == signup.state)
        .values(state="cancelled")
        .execution_options(synchronize_session=False)
    ).rowcount
    if left and had_place:
        _give_back_place(event.id)
    db.session.flush()
    db.session.expire(signup)
    db.session.refresh(event)
    _promote(event)


def _promote(event: Event) -> list[Signup]:
    """Move members up from the waiting list while there are places, first come first."""
    moved = []
    if event.has_started or event.state != "approved":
        return moved
    while True:
        statement = (
            select(Signup)
            .where(Signup.event_id == event.id, Signup.state == "waiting")
            .order_by(Signup.queued_at, Signup.id)
            .limit(1)
        )
        if db.engine.dialect.name == "postgresql":
            statement = statement.with_for_update(skip_locked=True)
        first = db.session.scalar(statement)
        if first is None or not _take_place(event.id):
            break
        first.state = "signed_up"
        db.session.flush()
        moved.append(first)
    db.session.refresh(event)
    for signup in moved:
        _tell(signup.member, "moved_up", event)
    return moved


def participants(event: Event) -> tuple[list[Signup], list[Signup]]:
    """Who is signed up (in order of sign-up) and who waits (in order), with their member."""
    from sqlalchemy.orm import joinedload

    rows = list(
        db.session.scalars(
            select(Signup)
            .options(joinedload(Signup.member))
            .where(Signup.event_id == event.id, Signup.state.in_(("signed_up", "waiting")))
            .order_by(Signup.queued_at, Signup.id)
        )
    )
    return [s for s in rows if s.state == "signed_up"], [s for s in rows if s.state == "waiting"]


def waiting_position(event: Event, signup: Signup) -> int:
    """1 for the first on the waiting list."""
    return 1 + db.session.scalar(
        select(func.count(Signup.id)).where(
            Signup.event_id == event.id,
            Signup.state == "waiting",
            or_(
                Signup.queued_at < signup.queued_at,
                (Signup.queued_at == signup.queued_at) & (Signup.id < signup.id),
            ),
        )
    )


# --- the report ---------------------------------------------------------------------------------

_LINK = re.compile(r"/(kennisbank|werkgroepen)/(\d{1,12})(?!\d)")


def parse_links(text: str) -> tuple[list[int], list[int]]:
    """Item and group ids in pasted addresses (…/kennisbank/12, …/werkgroepen/3), in order."""
    items, groups = [], []
    for kind, number in _LINK.findall(text or ""):
        target = items if kind == "kennisbank" else groups
        if int(number) not in target:
            target.append(int(number))
    return items, groups


def write_report(event: Event, author: Member, report: str, links: str) -> None:
    """The organiser writes the *verslag* once the event has started, and links the items and
    groups that came out of it. Only what the author may see can be linked."""
    from alliance.knowledge.services import can_view as can_view_item

    if not event.has_started:
        raise AgendaError("report", _("Write the report once the event has started."))
    if not report.strip():
        raise AgendaError("report", _("Write what happened and what came out of it."))
    item_ids, group_ids = parse_links(links)
    if len(item_ids) + len(group_ids) > MAX_LINKS:
        raise AgendaError("links", _("Link at most %(max)d things.", max=MAX_LINKS))
    leftover = _LINK.sub("", links or "")
    if re.search(r"\S", re.sub(r"https?://[^\s/]+", "", leftover)):
        raise AgendaError(
            "links", _("Paste addresses of posts in the knowledge base or of working groups.")
        )
    items = [db.session.get(Item, i) for i in item_ids]
    if any(item is None or not can_view_item(item, author) for item in items):
        raise AgendaError("links", _("One of the posts does not exist or you cannot see it."))
    groups = [db.session.get(WorkingGroup, g) for g in group_ids]
    if any(group is None for group in groups):
        raise AgendaError("links", _("One of the working groups does not exist."))
    event.report = report.strip()
    event.report_at = event.report_at or utcnow()
    event.updated_at = utcnow()
    db.session.execute(delete(event_items).where(event_items.c.event_id == event.id))
    db.session.execute(delete(event_groups).where(event_groups.c.event_id == event.id))
    if item_ids:
        db.session.execute(
            insert(event_items), [{"event_id": event.id, "item_id": i} for i in item_ids]
        )
    if group_ids:
        db.session.execute(
            insert(event_groups), [{"event_id": event.id, "group_id": g} for g in group_ids]
        )
    db.session.flush()


def report_links(event: Event, viewer) -> tuple[list[Item], list[WorkingGroup]]:
    """What the report links to, as far as ``viewer`` may see it (a group item stays inside
    its group; working groups are for members)."""
    from alliance.knowledge.services import can_view as can_view_item

    items = list(
        db.session.scalars(
            select(Item)
            .join(event_items, event_items.c.item_id == Item.id)
            .where(event_items.c.event_id == event.id)
            .order_by(Item.title)
        )
    )
    groups = []
    if _authenticated(viewer):
        groups = list(
            db.session.scalars(
                select(WorkingGroup)
                .join(event_groups, event_groups.c.group_id == WorkingGroup.id)
                .where(event_groups.c.event_id == event.id)
                .order_by(WorkingGroup.name)
            )
        )
    return [i for i in items if can_view_item(i, viewer)], groups


def links_text(event: Event) -> str:
    """The report's links as the form shows them again: one address a line."""
    item_ids = db.session.scalars(
        select(event_items.c.item_id).where(event_items.c.event_id == event.id)
    )
    group_ids = db.session.scalars(
        select(event_groups.c.group_id).where(event_groups.c.event_id == event.id)
    )
    return "\n".join(
        [url_for("knowledge.show", item_id=i, _external=False) for i in item_ids]
        + [url_for("groups.show", group_id=g, _external=False) for g in group_ids]
    )


# --- the private calendar link ------------------------------------------------------------------


def calendar_link_of(member: Member) -> CalendarLink | None:
    """The member's private calendar link, if they made one."""
    return db.session.get(CalendarLink, member.id)


def renew_calendar_link(member: Member) -> CalendarLink:
    """Make a new secret address for "my events"; the old one stops working."""
    link = calendar_link_of(member)
    if link is None:
        link = CalendarLink(member_id=member.id)
        db.session.add(link)
    link.token = secrets.token_urlsafe(32)
    link.created_at = utcnow()
    db.session.flush()
    return link


def revoke_calendar_link(member: Member) -> None:
    """Switch the private address off."""
    db.session.execute(delete(CalendarLink).where(CalendarLink.member_id == member.id))


def member_by_calendar_token(token: str) -> Member | None:
    """Whose private calendar this is; None for an unknown or revoked token."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        select(Member)
        .join(CalendarLink, CalendarLink.member_id == Member.id)
        .where(CalendarLink.token == token)
    )
