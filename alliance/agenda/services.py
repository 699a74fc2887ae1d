"""The rules of the agenda: proposing and approving events, signing up with a capacity and a
waiting list, and the report that links to what came out of an event.

Members hear of what happens through signals (``signup_changed``, ``event_reviewed``)."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import or_, select

from alliance.agenda.models import (
    KINDS,
    MAX_CAPACITY,
    VISIBILITIES,
    Event,
)
from alliance.agenda.signups import promote
from alliance.core import audience, signals
from alliance.core.audience import GroupRef, group_ids_of
from alliance.core.errors import RuleError
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.members.models import Member
from alliance.themes.models import Theme

LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")
MAX_DURATION = timedelta(days=14)
MAX_AHEAD = timedelta(days=2 * 366)
MAX_LINKS = 20


# --- time: stored as naive UTC, typed and shown in Europe/Amsterdam -----------------------------


def local_to_utc(local: datetime) -> datetime:
    """A wall-clock time in Amsterdam (as typed in a form) as naive UTC."""
    return local.replace(tzinfo=LOCAL_ZONE).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def utc_to_local(moment: datetime) -> datetime:
    """Naive UTC as a naive wall-clock time in Amsterdam (to fill in a form)."""
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(LOCAL_ZONE).replace(tzinfo=None)


# --- who may see and do what --------------------------------------------------------------------


def can_view(event: Event, viewer) -> bool:
    """Group events: the group's current members only (not coordinators, not a former member
    who organised it). Others: once approved, by visibility; before that, the organiser and
    the coordinators who review it."""
    if event.hidden_at is not None:  # hidden by the moderation: its organiser still sees it
        if not audience.is_member(viewer) or viewer.id != event.organiser_id:
            return False
    if event.visibility == "group":
        return event.group_id is not None and event.group_id in group_ids_of(viewer)
    if event.state != "approved":
        return audience.is_member(viewer) and (
            viewer.id == event.organiser_id or viewer.is_coordinator
        )
    return event.visibility == "public" or audience.is_member(viewer)


def visible_to(viewer):
    """The SQL condition for the events in the agenda that ``viewer`` may see."""
    listed = (Event.state == "approved") & Event.hidden_at.is_(None)
    if not audience.is_member(viewer):
        return listed & (Event.visibility == "public")
    groups = group_ids_of(viewer)
    shown = Event.visibility != "group"
    if groups:
        shown = or_(shown, Event.group_id.in_(groups))
    return listed & shown


def can_manage(event: Event, member) -> bool:
    """The organiser edits the event, sees the participants and writes the report; so do the
    coordinators, except for group events (they stay inside the group)."""
    if not audience.is_member(member) or not can_view(event, member):
        return False
    return member.id == event.organiser_id or (
        member.is_coordinator and event.visibility != "group"
    )


def can_review(event: Event, member) -> bool:
    """Coordinators approve or send back a proposed event."""
    return (
        audience.is_member(member)
        and member.is_coordinator
        and event.visibility != "group"
        and event.state == "proposed"
    )


def load_event(event_id: int) -> Event | None:
    """The event with its themes and organiser, or None."""
    return db.session.get(Event, event_id)


def visible_event(event_id: int, viewer) -> Event | None:
    """The event, if ``viewer`` may see it (a group event does not exist for outsiders)."""
    event = load_event(event_id)
    return event if event is not None and can_view(event, viewer) else None


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


def groups_for_events(member) -> list[GroupRef]:
    """The groups ``member`` is in and that are not archived: those they can plan a group
    event for."""
    return audience.writable_groups(member)


def _check(change: EventChange, event: Event | None, member: Member) -> tuple[datetime, datetime]:
    if not change.title.strip():
        raise RuleError("title", _("Give the event a title."))
    if change.kind not in KINDS:
        raise RuleError("kind", _("Choose what kind of event it is."))
    if change.visibility not in VISIBILITIES:
        raise RuleError("visibility", _("Choose who can see the event."))
    if change.visibility == "group":
        if change.group_id is None or change.group_id not in {
            g.id for g in groups_for_events(member)
        }:
            raise RuleError("group_id", _("Choose one of your working groups."))
    if change.starts_at is None:
        raise RuleError("starts_at", _("Give the date and time it starts."))
    if change.ends_at is None:
        raise RuleError("ends_at", _("Give the date and time it ends."))
    try:
        starts, ends = local_to_utc(change.starts_at), local_to_utc(change.ends_at)
    except (OverflowError, ValueError) as error:
        raise RuleError("starts_at", _("This date cannot be used. Choose another.")) from error
    now = utcnow()
    if starts <= now and (event is None or starts != event.starts_at):
        raise RuleError("starts_at", _("This moment has passed. Choose a later start."))
    if starts > now + MAX_AHEAD:
        raise RuleError("starts_at", _("Plan at most two years ahead."))
    if ends <= starts:
        raise RuleError("ends_at", _("The end must be after the start."))
    if ends - starts > MAX_DURATION:
        raise RuleError("ends_at", _("An event lasts at most two weeks."))
    if change.online:
        url = change.online_url.strip()
        if not re.match(r"^https?://[^\s/$.?#][^\s]*$", url, re.IGNORECASE) or len(url) > 1000:
            raise RuleError(
                "online_url", _("Give the web address of the online meeting (https://…).")
            )
    elif not change.location.strip():
        raise RuleError("location", _("Say where it takes place, or make it online."))
    if change.capacity is not None and not 1 <= change.capacity <= MAX_CAPACITY:
        raise RuleError(
            "capacity",
            _("Choose between 1 and %(max)d places, or leave it empty.", max=MAX_CAPACITY),
        )
    if event is not None and change.capacity is not None:
        if change.capacity < event.participant_count:
            raise RuleError(
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
    signals.content_changed.send("event", ref_id=event.id)
    return event


def edit_event(event: Event, member: Member, change: EventChange) -> Event:
    """Change an event that has not started. A sent-back proposal goes back for approval;
    a group event cannot leave its group, nor another event become one (that would skip the
    approval or show group content outside it)."""
    if event.has_started:
        raise RuleError("title", _("The event has started: it can no longer be changed."))
    if (change.visibility == "group") != (event.visibility == "group"):
        raise RuleError("visibility", _("A working-group event stays in its group."))
    if event.visibility == "group":
        change.group_id = event.group_id
        organiser = db.session.get(Member, event.organiser_id) if event.organiser_id else None
        member = organiser or member
    starts, ends = _check(change, event, member)
    _apply(event, change, starts, ends)
    if event.state == "returned":
        event.state = "proposed"
    db.session.flush()
    signals.content_changed.send("event", ref_id=event.id)
    promote(event)
    return event


def approve(event: Event, coordinator: Member) -> None:
    """A coordinator puts a proposed event in the agenda; the organiser is told."""
    if event.state != "proposed":
        raise RuleError("message", _("This event is not waiting for approval."))
    event.state = "approved"
    event.review_message = ""
    event.reviewed_by_id, event.reviewed_at = coordinator.id, utcnow()
    db.session.flush()
    signals.content_changed.send("event", ref_id=event.id)
    signals.event_reviewed.send(event, approved=True, message="")


def send_back(event: Event, coordinator: Member, message: str) -> None:
    """A coordinator sends a proposal back with a message; the organiser changes it and it
    comes back for approval."""
    if event.state != "proposed":
        raise RuleError("message", _("This event is not waiting for approval."))
    if not message.strip():
        raise RuleError("message", _("Tell the organiser what to change."))
    event.state = "returned"
    event.review_message = message.strip()
    event.reviewed_by_id, event.reviewed_at = coordinator.id, utcnow()
    db.session.flush()
    signals.content_changed.send("event", ref_id=event.id)
    signals.event_reviewed.send(event, approved=False, message=event.review_message)


def proposals() -> list[Event]:
    """What the coordinators still have to review, soonest first."""
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.state == "proposed", Event.visibility != "group")
            .order_by(Event.starts_at, Event.id)
        )
    )
